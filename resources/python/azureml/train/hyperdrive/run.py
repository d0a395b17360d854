"""HyperDriveRun: a Labbench sweep (its parent run) as Azure's HyperDriveRun: its children, their
hyperparameters and metrics, and the best child by the primary metric (`labbench sweep show`)."""

import json

from azureml import _labbench
from azureml.core.run import Run


class HyperDriveRun(Run):
    """The parent run of a sweep. Experiment.submit(HyperDriveConfig) returns one."""

    def __init__(self, experiment, run_id, hyperdrive_config=None, **kwargs):
        super().__init__(experiment, run_id, **kwargs)
        self.hyperdrive_config = hyperdrive_config

    @property
    def type(self):
        return "hyperdrive"

    def _sweep(self):
        return self._json("sweep", "show", self._id, "--json")

    def _child(self, child_id):
        return Run(self._experiment, child_id)

    def get_children(self, recursive=False, tags=None, properties=None, type=None, status=None,
                     _rehydrate_runs=True):
        _labbench.reject_unsupported("HyperDriveRun.get_children", {
            "tags": (tags, None), "properties": (properties, None), "type": (type, None)})
        for c in self._sweep()["children"]:
            if status is None or _labbench.azure_status(c["status"]) == status:
                yield self._child(c["id"])

    def get_best_run_by_primary_metric(self, include_failed=True, include_canceled=True,
                                       include_resume_from_runs=True):
        """The child with the best primary metric (the last value it logged), or None when no
        child reported one yet."""
        sweep = self._sweep()
        maximize = sweep["primary_metric"]["goal"] == "maximize"
        best = None
        for c in sweep["children"]:
            status = _labbench.azure_status(c["status"])
            value = c.get("primary_metric")
            if value is None or (status == "Failed" and not include_failed) \
                    or (status == "Canceled" and not include_canceled):
                continue
            if best is None or (value > best["primary_metric"] if maximize else value < best["primary_metric"]):
                best = c
        return self._child(best["id"]) if best else None

    def get_children_sorted_by_primary_metric(self, top=0, reverse=False, discard_no_metric=False):
        """[{"run_id", "hyperparameters", "best_primary_metric", "status"}], best first."""
        sweep = self._sweep()
        maximize = sweep["primary_metric"]["goal"] == "maximize"
        rows = [{"run_id": c["id"], "hyperparameters": json.dumps(c["params"], sort_keys=True),
                 "best_primary_metric": c.get("primary_metric"),
                 "status": _labbench.azure_status(c["status"])} for c in sweep["children"]]
        if discard_no_metric:
            rows = [r for r in rows if r["best_primary_metric"] is not None]
        with_metric = sorted((r for r in rows if r["best_primary_metric"] is not None),
                             key=lambda r: r["best_primary_metric"], reverse=maximize)
        rows = with_metric + [r for r in rows if r["best_primary_metric"] is None]
        if reverse:
            rows.reverse()
        return rows[:top] if top else rows

    def get_hyperparameters(self):
        """{child run id: its sampled values as JSON text}, as Azure gives them."""
        return {c["id"]: json.dumps(c["params"], sort_keys=True) for c in self._sweep()["children"]}

    def get_metrics(self):
        """Azure's HyperDriveRun.get_metrics(): {child run id: that child's metrics}."""
        return {c.id: c.get_metrics() for c in self.get_children()}

    def cancel(self):
        self._call("sweep", "cancel", self._id)
