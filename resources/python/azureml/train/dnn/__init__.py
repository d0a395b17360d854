"""Labbench's stand-in for azureml.train.dnn: the Chainer, TensorFlow and PyTorch estimators."""

from azureml.train.estimator._estimator import Gloo, Mpi, Nccl, ParameterServer

from ._frameworks import Chainer, PyTorch, TensorFlow

__all__ = ["Chainer", "TensorFlow", "PyTorch", "Mpi", "ParameterServer", "Gloo", "Nccl"]
