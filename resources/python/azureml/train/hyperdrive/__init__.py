"""Labbench's stand-in for azureml.train.hyperdrive: HyperDriveConfig over an estimator, the
samplings, parameter expressions and early termination policies, and HyperDriveRun, run by
Labbench's sweep driver (`labbench sweep ...`)."""

from .parameter_expressions import (choice, lognormal, loguniform, normal, qlognormal, qloguniform, qnormal,
                                    quniform, randint, uniform)
from .policy import (BanditPolicy, EarlyTerminationPolicy, MedianStoppingPolicy, NoTerminationPolicy,
                     TruncationSelectionPolicy)
from .run import HyperDriveRun
from .runconfig import HyperDriveConfig, PrimaryMetricGoal
from .sampling import (BayesianParameterSampling, GridParameterSampling, HyperParameterSampling,
                       RandomParameterSampling)

__all__ = ["BanditPolicy", "BayesianParameterSampling", "EarlyTerminationPolicy", "GridParameterSampling",
           "HyperDriveConfig", "HyperDriveRun", "HyperParameterSampling", "MedianStoppingPolicy",
           "NoTerminationPolicy", "PrimaryMetricGoal", "RandomParameterSampling", "TruncationSelectionPolicy",
           "choice", "lognormal", "loguniform", "normal", "randint", "qlognormal", "qloguniform", "qnormal",
           "quniform", "uniform"]
