"""Labbench's stand-in for the Azure ML SDK (v1): the calls training scripts make inside a run
(`Run.get_context().log(...)`), and the driver surface a notebook uses to submit and follow runs
(Workspace, Experiment, ComputeTarget/AmlCompute, Datastore, Estimator and the framework
estimators, HyperDrive, Run, Model), over Labbench's own `labbench` program (issue 24).

Labbench puts its python/ folder on PYTHONPATH for every run, and `eval "$(labbench sdk env)"`
does the same for a shell, so this package is what `import azureml` finds first. It must not hide
a real SDK: when another folder on sys.path holds azureml/core (an installed azureml-core), this
package's __path__ is replaced by the real package folders, so `azureml.core` and every other
`azureml.*` module come from the real SDK and this stand-in's modules are never used. Without a
real SDK, the other installed azureml-* parts (a namespace package shared by many distributions)
come first and this stand-in fills in the rest: `azureml.core` is always the stand-in's then.
"""

import os as _os
import sys as _sys

_here = _os.path.realpath(_os.path.dirname(_os.path.abspath(__file__)))


def _other_azureml_folders():
    """Other `azureml` package folders on sys.path, in sys.path order: (folder, has_core)."""
    found, seen = [], {_here}
    for entry in list(_sys.path):
        if not isinstance(entry, str):
            continue
        try:
            folder = _os.path.realpath(_os.path.join(_os.path.abspath(entry or _os.curdir), "azureml"))
        except (OSError, ValueError):
            continue
        if folder in seen or not _os.path.isdir(folder):
            continue
        seen.add(folder)
        core = _os.path.join(folder, "core")
        has_core = _os.path.isfile(_os.path.join(core, "run.py")) or _os.path.isfile(
            _os.path.join(core, "__init__.py"))
        found.append((folder, has_core))
    return found


_others = _other_azureml_folders()
#: True when the real Azure ML SDK is installed and used instead of Labbench's stand-in.
REAL_SDK = any(has_core for _, has_core in _others)
if REAL_SDK:
    __path__[:] = [folder for folder, _ in _others]  # noqa: F821 (set by the import system)
else:
    __path__[:] = [folder for folder, _ in _others] + [_here]  # noqa: F821
del _others
