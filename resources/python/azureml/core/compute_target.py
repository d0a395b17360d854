"""azureml.core.compute_target: where Azure ML's docs import ComputeTargetException from."""

from azureml.exceptions import ComputeTargetException

__all__ = ["ComputeTargetException"]
