"""Labbench's stand-in for azureml.train.estimator: Estimator, and the legacy distributed
training forms Mpi, ParameterServer, Gloo and Nccl."""

from ._estimator import Estimator, Gloo, Mpi, Nccl, ParameterServer

__all__ = ["Estimator", "Mpi", "ParameterServer", "Gloo", "Nccl"]
