"""Estimator: how to run a training script, as Azure ML's estimators describe it, translated to a
Labbench estimator (the JSON `labbench submit --estimator` reads). exp.submit(est) makes it an
ordinary Labbench run: the workbench shows it, with its estimator form filled in."""

import json
import os
import tempfile

from azureml import _labbench
from azureml.exceptions import TrainingException, UserErrorException

# Azure's distributed_backend strings and Labbench's backends.
_BACKENDS = {"mpi": "mpi", "ps": "parameter_server", "gloo": "pytorch", "nccl": "pytorch"}


class _DistributedTraining:
    """The legacy azureml.train.estimator forms of distributed_training."""

    def __init__(self, backend, **fields):
        self._fields = dict(fields, distributed_backend=backend)

    def _labbench_fields(self):
        return dict(self._fields)


class Mpi(_DistributedTraining):
    def __init__(self, process_count_per_node=1):
        super().__init__("mpi", process_count_per_node=process_count_per_node)


class ParameterServer(_DistributedTraining):
    def __init__(self, worker_count=1, parameter_server_count=1):
        super().__init__("parameter_server", worker_count=worker_count,
                         parameter_server_count=parameter_server_count)


class Gloo(_DistributedTraining):
    def __init__(self):
        super().__init__("pytorch")


class Nccl(_DistributedTraining):
    def __init__(self):
        super().__init__("pytorch")


def _script_arguments(script_params):
    """script_params as argv words, in the dict's order, as Azure builds them: each key, then its
    value (str()); a value of None or "" gives a bare flag; a datastore reference becomes its
    datastore://NAME/path URI, which Labbench resolves on the target."""
    if script_params is None:
        return []
    if isinstance(script_params, (list, tuple)):
        return [_word(v) for v in script_params]
    if not isinstance(script_params, dict):
        raise TrainingException("script_params must be a dict of argument: value, not %s"
                                % type(script_params).__name__)
    words = []
    for key, value in script_params.items():
        words.append(str(key))
        if value is not None and value != "":
            words.append(_word(value))
    return words


def _word(value):
    to_uri = getattr(value, "_labbench_uri", None)
    return to_uri() if callable(to_uri) else str(value)


def _requirements(path):
    """The requirement lines of a pip requirements file (comments and blanks left out)."""
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip() and not line.strip().startswith("#")]


class _EstimatorBase:
    """What every estimator shares: the arguments Azure's estimators take and their translation.
    Arguments Labbench cannot honour raise NotImplementedError naming them."""

    _framework = "generic"
    _framework_package = None  # the pip package framework_version pins

    def _setup(self, source_directory, compute_target, vm_size, vm_priority, entry_script, script_params,
               node_count, process_count_per_node, distributed_backend, distributed_training, use_gpu,
               use_docker, custom_docker_base_image, custom_docker_image, image_registry_details,
               user_managed, conda_packages, pip_packages, conda_dependencies_file_path,
               pip_requirements_file_path, conda_dependencies_file, pip_requirements_file,
               environment_variables, environment_definition, inputs, source_directory_data_store,
               shm_size, resume_from, max_run_duration_seconds, framework_version=None, **framework_fields):
        where = type(self).__name__
        _labbench.reject_unsupported(where, {
            "vm_size": (vm_size, None), "vm_priority": (vm_priority, None),
            "image_registry_details": (image_registry_details, None),
            "conda_dependencies_file_path": (conda_dependencies_file_path, None),
            "conda_dependencies_file": (conda_dependencies_file, None),
            "environment_definition": (environment_definition, None), "inputs": (inputs, None),
            "source_directory_data_store": (source_directory_data_store, None),
            "shm_size": (shm_size, None), "resume_from": (resume_from, None)})
        if custom_docker_base_image and custom_docker_image:
            raise TrainingException("%s: give custom_docker_image only (custom_docker_base_image is its "
                                    "old name)" % where)
        image = custom_docker_image or custom_docker_base_image
        if use_docker is False and image:
            raise TrainingException("%s: custom_docker_image needs use_docker=True" % where)
        if not entry_script:
            raise TrainingException("%s needs entry_script, the script to run (relative to "
                                    "source_directory)" % where)
        if source_directory is None or not os.path.isdir(source_directory):
            raise UserErrorException("%s: source_directory %r is not a folder" % (where, source_directory))

        pips = list(pip_packages or [])
        for requirements in (pip_requirements_file_path, pip_requirements_file):
            if requirements:
                pips += _requirements(os.path.join(source_directory, requirements)
                                      if not os.path.isabs(requirements) else requirements)
        if framework_version:
            pips.append(self._pinned(framework_version))
        if user_managed and (pips or conda_packages):
            raise TrainingException("%s: user_managed=True uses the target's own Python as it is, so "
                                    "pip_packages, conda_packages and framework_version cannot be added" % where)

        spec = {
            "source_directory": os.path.abspath(source_directory),
            "entry_script": entry_script,
            "script_params": _script_arguments(script_params),
            "framework": self._framework,
            "pip_packages": pips,
            "conda_packages": list(conda_packages or []),
            "custom_docker_image": image or "",
            "use_gpu": bool(use_gpu),
            "node_count": int(node_count),
            "process_count_per_node": int(process_count_per_node),
            "environment_variables": {str(k): str(v) for k, v in (environment_variables or {}).items()},
        }
        if max_run_duration_seconds is not None:
            spec["max_run_duration_seconds"] = int(max_run_duration_seconds)
        spec.update(self._distribution(where, distributed_backend, distributed_training, node_count,
                                       process_count_per_node, framework_fields))
        self._spec = spec
        self._compute_target = compute_target
        self.source_directory = source_directory
        self.run_config = None

    def _pinned(self, version):
        version = str(version)
        if self._framework_package is None:
            raise NotImplementedError("%s: framework_version has no framework to pin" % type(self).__name__)
        # "1.13" means the newest 1.13.x, as Azure's image for that version has.
        return "%s==%s%s" % (self._framework_package, version, ".*" if version.count(".") < 2 else "")

    def _distribution(self, where, backend, training, node_count, process_count_per_node, framework_fields):
        if backend is not None and training is not None:
            raise TrainingException("%s: give distributed_training only (distributed_backend is its old form)" % where)
        if training is not None:
            fields = getattr(training, "_labbench_fields", None)
            if fields is None:
                raise NotImplementedError("%s: distributed_training=%s is not supported; use "
                                          "MpiConfiguration, TensorflowConfiguration or PyTorchConfiguration"
                                          % (where, type(training).__name__))
            out = fields()
            # The estimator's own counts win; the configuration's fill in what it left at 1
            # (Azure's MpiConfiguration carries process_count_per_node for estimators).
            for key, given in (("node_count", node_count), ("process_count_per_node", process_count_per_node)):
                if key in out and int(given) != 1:
                    del out[key]
            return out
        if backend is None:
            return {}
        key = str(backend).lower()
        if key not in _BACKENDS:
            raise TrainingException("%s: distributed_backend %r is unknown; use 'mpi', 'ps', 'gloo' or 'nccl'"
                                    % (where, backend))
        out = {"distributed_backend": _BACKENDS[key]}
        if out["distributed_backend"] == "parameter_server":
            out["worker_count"] = int(framework_fields.get("worker_count", 1))
            out["parameter_server_count"] = int(framework_fields.get("parameter_server_count", 1))
        return out

    # --- submission ---------------------------------------------------------------------------

    def _labbench_estimator(self, workspace):
        """The Labbench estimator JSON, with the compute resolved to a Labbench target."""
        spec = dict(self._spec)
        spec["compute_target"] = _labbench_target(workspace, self._compute_target)
        return spec

    def _labbench_submit(self, experiment, tags):
        from azureml.core.script_run import ScriptRun
        workspace = experiment.workspace
        spec = self._labbench_estimator(workspace)
        spec["tags"] = {str(k): str(v) for k, v in tags.items()}
        run_id = _submit_estimator(workspace, experiment.name, spec)
        return ScriptRun(experiment, run_id)


def _labbench_target(workspace, compute_target):
    """A compute target object or name -> the Labbench target it maps to ("" = the default)."""
    if compute_target is None:
        return ""
    if hasattr(compute_target, "_labbench_target"):
        return compute_target._labbench_target()
    from azureml.exceptions import ComputeTargetException
    binding = _labbench.call_json(["sdk", "compute", "show", str(compute_target)], workspace=workspace._root,
                                  error=ComputeTargetException)
    if not binding.get("found"):
        raise ComputeTargetException("ComputeTargetNotFound: Compute Target with name %s not found in provided "
                                     "workspace" % compute_target)
    return binding["target"]


def _submit_estimator(workspace, experiment_name, spec):
    """`labbench submit --estimator FILE`: the run id it prints first."""
    handle, path = tempfile.mkstemp(prefix="labbench-estimator-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            json.dump(spec, f)
        out = _labbench.call(["submit", "--estimator", path, "--experiment", experiment_name],
                             workspace=workspace._root, error=TrainingException)
    finally:
        os.unlink(path)
    return out.strip().splitlines()[0]


class Estimator(_EstimatorBase):
    """A generic estimator: any entry script, run with the target's Python."""

    def __init__(self, source_directory, *, compute_target=None, vm_size=None, vm_priority=None,
                 entry_script=None, script_params=None, node_count=1, process_count_per_node=1,
                 distributed_backend=None, distributed_training=None, use_gpu=False, use_docker=True,
                 custom_docker_base_image=None, custom_docker_image=None, image_registry_details=None,
                 user_managed=False, conda_packages=None, pip_packages=None,
                 conda_dependencies_file_path=None, pip_requirements_file_path=None,
                 conda_dependencies_file=None, pip_requirements_file=None, environment_variables=None,
                 environment_definition=None, inputs=None, source_directory_data_store=None,
                 shm_size=None, resume_from=None, max_run_duration_seconds=None, _disable_validation=True,
                 _show_lint_warnings=False, _show_package_warnings=False):
        self._setup(source_directory, compute_target, vm_size, vm_priority, entry_script, script_params,
                    node_count, process_count_per_node, distributed_backend, distributed_training, use_gpu,
                    use_docker, custom_docker_base_image, custom_docker_image, image_registry_details,
                    user_managed, conda_packages, pip_packages, conda_dependencies_file_path,
                    pip_requirements_file_path, conda_dependencies_file, pip_requirements_file,
                    environment_variables, environment_definition, inputs, source_directory_data_store,
                    shm_size, resume_from, max_run_duration_seconds)
