"""Webservice and LocalWebservice: Azure ML v1's deployment surface over Labbench's endpoints
(issue 18). A service is a `labbench endpoints` endpoint; every call goes through the CLI."""

from .webservice import LocalWebservice, LocalWebserviceDeploymentConfiguration, Webservice

__all__ = ["Webservice", "LocalWebservice", "LocalWebserviceDeploymentConfiguration"]
