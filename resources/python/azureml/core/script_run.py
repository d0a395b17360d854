"""ScriptRun: what Experiment.submit returns for an estimator (a Run of a training script)."""

from azureml._labbench import reject_unsupported as _labbench_reject

from .run import Run


class ScriptRun(Run):
    """A run of an entry script, submitted from an estimator."""

    def __init__(self, experiment, run_id, directory=None, _run_config=None, **kwargs):
        _labbench_reject("ScriptRun", {"directory": (directory, None)})
        super().__init__(experiment, run_id, **kwargs)

    @property
    def type(self):
        return "azureml.scriptrun"
