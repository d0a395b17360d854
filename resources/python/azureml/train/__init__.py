"""Labbench's stand-in for azureml.train: estimators (estimator, dnn) and HyperDrive sweeps."""
