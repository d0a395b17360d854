"""Labbench's stand-in for azureml.core.compute: ComputeTarget and AmlCompute, mapped to
Labbench compute targets (see compute.py)."""

from .compute import ComputeTarget
from .amlcompute import AmlCompute

__all__ = ["ComputeTarget", "AmlCompute"]
