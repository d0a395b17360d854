"""HyperDriveConfig: a hyperparameter sweep over an estimator, submitted as a Labbench sweep
(`labbench sweep submit`): a parent run whose children run the estimator with sampled values."""

import enum
import json
import os
import tempfile

from azureml import _labbench
from azureml.exceptions import TrainingException


class PrimaryMetricGoal(enum.Enum):
    MAXIMIZE = "MAXIMIZE"
    MINIMIZE = "MINIMIZE"


class HyperDriveConfig:
    """The sweep: how values are sampled, which metric ranks the runs and to which goal, the
    early termination policy, and how many runs, how many at once, for how long."""

    def __init__(self, hyperparameter_sampling, primary_metric_name, primary_metric_goal, max_total_runs,
                 max_concurrent_runs=None, max_duration_minutes=10080, policy=None, estimator=None,
                 run_config=None, resume_from=None, resume_child_runs=None, pipeline=None, debug_flag=None,
                 custom_run_id=None):
        _labbench.reject_unsupported("HyperDriveConfig", {
            "run_config": (run_config, None), "resume_from": (resume_from, None),
            "resume_child_runs": (resume_child_runs, None), "pipeline": (pipeline, None),
            "debug_flag": (debug_flag, None), "custom_run_id": (custom_run_id, None)})
        if estimator is None or not hasattr(estimator, "_labbench_estimator"):
            raise TrainingException("HyperDriveConfig needs estimator=, the Estimator (or Chainer, TensorFlow, "
                                    "PyTorch) each child run runs")
        goal = primary_metric_goal.value if isinstance(primary_metric_goal, PrimaryMetricGoal) \
            else str(primary_metric_goal).upper()
        if goal not in ("MAXIMIZE", "MINIMIZE"):
            raise TrainingException("primary_metric_goal must be PrimaryMetricGoal.MAXIMIZE or MINIMIZE, not %r"
                                    % (primary_metric_goal,))
        self._sampling = hyperparameter_sampling
        self._primary_metric_config = {"name": primary_metric_name, "goal": goal.lower()}
        self._max_total_runs = max_total_runs
        self._max_concurrent_runs = max_concurrent_runs
        self._max_duration_minutes = max_duration_minutes
        self._policy = policy
        self.estimator = estimator

    def _labbench_spec(self, workspace, experiment_name, tags):
        estimator = self.estimator._labbench_estimator(workspace)
        estimator["tags"] = {str(k): str(v) for k, v in tags.items()}
        spec = {"experiment": experiment_name, "estimator": estimator,
                "primary_metric": self._primary_metric_config, "max_total_runs": int(self._max_total_runs),
                "max_duration_minutes": self._max_duration_minutes}
        spec.update(self._sampling._labbench_fields())
        if self._max_concurrent_runs is not None:
            spec["max_concurrent_runs"] = int(self._max_concurrent_runs)
        if self._policy is not None:
            spec["early_termination"] = self._policy._labbench_fields()
        return spec

    def _labbench_submit(self, experiment, tags):
        from azureml.train.hyperdrive.run import HyperDriveRun
        spec = self._labbench_spec(experiment.workspace, experiment.name, tags)
        handle, path = tempfile.mkstemp(prefix="labbench-sweep-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as f:
                json.dump(spec, f)
            out = _labbench.call(["sweep", "submit", path, "--experiment", experiment.name],
                                 workspace=experiment.workspace._root, error=TrainingException)
        finally:
            os.unlink(path)
        return HyperDriveRun(experiment, out.strip().splitlines()[0], hyperdrive_config=self)


__all__ = ["HyperDriveConfig", "PrimaryMetricGoal"]
