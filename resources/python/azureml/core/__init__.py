"""Labbench's stand-in for azureml.core: the run a training script executes in
(Run.get_context()), and the driver surface a notebook uses: Workspace, Experiment,
ComputeTarget, Datastore, Run, ScriptRun and Model, over the `labbench` program (issue 24)."""

from .run import Run
from .workspace import Workspace
from .experiment import Experiment
from .script_run import ScriptRun
from .model import Model
from .datastore import Datastore
from .compute import ComputeTarget

__all__ = ["Run", "ScriptRun", "Workspace", "Experiment", "Model", "Datastore", "ComputeTarget"]
