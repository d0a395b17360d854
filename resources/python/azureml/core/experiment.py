"""Experiment: a name runs are grouped under. Labbench creates it with its first run."""

from azureml import _labbench
from azureml.exceptions import UserErrorException


class Experiment:
    """Experiment(ws, name=...) or Experiment(workspace=ws, name=...); exp.submit(config)
    submits an estimator (a ScriptRun comes back) or a HyperDriveConfig (a HyperDriveRun)."""

    def __init__(self, workspace, name, _skip_name_validation=False, _id=None, _archived_time=None,
                 _create_in_cloud=True, _experiment_dto=None, **kwargs):
        _labbench.reject_kwargs("Experiment", kwargs)
        if not isinstance(name, str) or not name.strip() or len(name) > 256 or "\0" in name:
            raise UserErrorException("An experiment needs a name of 1-256 characters, like 'mnist', not %r."
                                     % (name,))
        self._workspace = workspace
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def workspace(self):
        return self._workspace

    @property
    def id(self):
        return self._name

    def submit(self, config, tags=None, **kwargs):
        """Submits `config` as a Labbench run (or sweep) and returns it at once; follow it with
        run.wait_for_completion(show_output=True)."""
        _labbench.reject_kwargs("Experiment.submit", kwargs)
        submit = getattr(config, "_labbench_submit", None)
        if submit is None:
            raise NotImplementedError(
                "Experiment.submit: Labbench submits estimators (Estimator, Chainer, TensorFlow, "
                "PyTorch) and HyperDriveConfig, not %s" % type(config).__name__)
        return submit(self, dict(tags or {}))

    def get_runs(self, type=None, tags=None, properties=None, include_children=False):
        """This experiment's runs, newest first."""
        _labbench.reject_unsupported("Experiment.get_runs", {
            "type": (type, None), "tags": (tags, None), "properties": (properties, None),
            "include_children": (include_children, False)})
        from azureml.core.run import Run
        for r in _labbench.call_json(["runs", "list", "--experiment", self._name, "--json"],
                                     workspace=self._workspace._root):
            yield Run._bind(self, r)

    @staticmethod
    def list(workspace, experiment_name=None, view_type='ActiveOnly', tags=None):
        _labbench.reject_unsupported("Experiment.list", {"view_type": (view_type, 'ActiveOnly'),
                                                          "tags": (tags, None)})
        return [e for name, e in sorted(workspace.experiments.items())
                if experiment_name is None or name == experiment_name]

    def __repr__(self):
        return "Experiment(Name: %s,\nWorkspace: %s)" % (self._name, self._workspace.name)
