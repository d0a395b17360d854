"""Labbench's stand-in for azureml.core: only what a training script needs, Run."""

from .run import Run

__all__ = ["Run"]
