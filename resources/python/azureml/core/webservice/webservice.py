"""Webservice: one Labbench endpoint as Azure ML's v1 SDK shows a deployed service."""

import json
import sys
import time
import urllib.error
import urllib.request

from azureml import _labbench
from azureml.exceptions import WebserviceException


class Webservice:
    """Webservice(ws, name): the endpoint `name`. state, scoring_uri, swagger_uri, run(),
    get_logs(), get_keys(), delete(), reload(), wait_for_deployment()."""

    def __init__(self, workspace, name):
        self.workspace = workspace
        self.name = name
        self._record = None
        self.reload()

    @classmethod
    def _bind(cls, workspace, record):
        service = cls.__new__(cls)
        service.workspace = workspace
        service.name = record["name"]
        service._set(record)
        return service

    def _set(self, record):
        self._record = record
        self.state = record["state"]
        self.scoring_uri = record["scoring_uri"]
        self.swagger_uri = record["swagger_uri"]
        self.port = record["port"]
        self.auth_enabled = bool(record["auth"])
        self.compute_type = "Local"
        self.models = record["models"]
        self.error = {"message": record["reason"]} if record.get("reason") else None

    def _cli(self, *args):
        return _labbench.call(list(args), workspace=self.workspace._root, error=WebserviceException)

    def reload(self):
        self._set(_labbench.call_json(["endpoints", "show", self.name, "--json"],
                                      workspace=self.workspace._root, error=WebserviceException))

    def wait_for_deployment(self, show_output=False, timeout_sec=None):
        """Waits until the service is Healthy or Failed; raises WebserviceException with the reason
        when it failed."""
        deadline = None if timeout_sec is None else time.time() + timeout_sec
        while True:
            self.reload()
            if show_output:
                sys.stdout.write("%s service %s: %s\n" % (time.strftime("%H:%M:%S"), self.name, self.state))
                sys.stdout.flush()
            if self.state in ("Healthy", "Failed", "Stopped"):
                break
            if deadline is not None and time.time() > deadline:
                raise WebserviceException("Service %s is still %s after %s s." % (self.name, self.state, timeout_sec))
            time.sleep(0.5)
        if self.state != "Healthy":
            raise WebserviceException("Service deployment polling reached non-successful terminal state, "
                                       "current service state: %s. %s" % (self.state, self._record.get("reason", "")))

    def get_logs(self, num_lines=5000, init=False):
        text = self._cli("endpoints", "logs", self.name)
        return "\n".join(text.splitlines()[-num_lines:])

    def get_keys(self):
        key = _labbench.call_json(["endpoints", "keys", self.name, "--json"],
                                  workspace=self.workspace._root, error=WebserviceException)["key"]
        return key, key

    def regen_key(self, key=None, set_key=None):
        self._cli("endpoints", "keys", self.name, "--regenerate")

    def run(self, input_data):
        """POSTs input_data (a JSON string, or a value that is made one) to the scoring URI and
        returns the decoded answer; an error answer raises WebserviceException with its sentence."""
        body = input_data if isinstance(input_data, (str, bytes)) else json.dumps(input_data)
        if isinstance(body, str):
            body = body.encode("utf-8")
        request = urllib.request.Request(self.scoring_uri.replace("0.0.0.0", "127.0.0.1"), data=body,
                                         headers={"Content-Type": "application/json"})
        if self.auth_enabled:
            request.add_header("Authorization", "Bearer " + self.get_keys()[0])
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                return json.loads(answer.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            try:
                text = json.loads(text).get("error", text)
            except ValueError:
                pass
            raise WebserviceException("Received bad response from service (HTTP %d): %s" % (error.code, text))
        except urllib.error.URLError as error:
            raise WebserviceException("Service %s did not answer at %s: %s" % (self.name, self.scoring_uri, error.reason))

    def delete(self):
        self._cli("endpoints", "remove", self.name)
        self.state = "Deleted"

    @staticmethod
    def list(workspace, compute_type=None, **kwargs):
        _labbench.reject_kwargs("Webservice.list", kwargs)
        records = _labbench.call_json(["endpoints", "list", "--json"], workspace=workspace._root,
                                      error=WebserviceException)
        return [LocalWebservice._bind(workspace, r) for r in records]

    def __repr__(self):
        return "%s(workspace=%r, name=%s, state=%s, scoring_uri=%s)" % (
            type(self).__name__, self.workspace, self.name, self.state, self.scoring_uri)


class LocalWebserviceDeploymentConfiguration:
    def __init__(self, port=None):
        self.port = port


class LocalWebservice(Webservice):
    """A service on this machine: Labbench serves every endpoint locally."""

    @staticmethod
    def deploy_configuration(port=None):
        return LocalWebserviceDeploymentConfiguration(port=port)

    def update(self, models=None, inference_config=None, deployment_config=None, **kwargs):
        _labbench.reject_kwargs("LocalWebservice.update", kwargs)
        from azureml.core.model import _deploy_args
        args = _deploy_args(self.name, models, inference_config, deployment_config, self._record)
        self._cli("endpoints", "stop", self.name)
        self._cli(*args)
        self.reload()
