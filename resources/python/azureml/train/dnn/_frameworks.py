"""Chainer, TensorFlow and PyTorch: estimators with a framework preset. Labbench runs them with
the target's Python like any estimator; its framework preset picks the distributed backend
(Chainer: mpi, TensorFlow: parameter_server, PyTorch: pytorch) when more than one process is
asked for, and framework_version becomes a pip requirement on that framework ("1.13" ->
tensorflow==1.13.*), installed into the run's environment."""

from azureml.train.estimator._estimator import _EstimatorBase


class _FrameworkEstimator(_EstimatorBase):

    def __init__(self, source_directory, *, compute_target=None, vm_size=None, vm_priority=None,
                 entry_script=None, script_params=None, node_count=1, process_count_per_node=1,
                 distributed_backend=None, distributed_training=None, use_gpu=False, use_docker=True,
                 custom_docker_base_image=None, custom_docker_image=None, image_registry_details=None,
                 user_managed=False, conda_packages=None, pip_packages=None,
                 conda_dependencies_file_path=None, pip_requirements_file_path=None,
                 conda_dependencies_file=None, pip_requirements_file=None, environment_variables=None,
                 environment_definition=None, inputs=None, source_directory_data_store=None, shm_size=None,
                 resume_from=None, max_run_duration_seconds=None, framework_version=None,
                 _enable_optimized_mode=False, _disable_validation=True, _show_lint_warnings=False,
                 _show_package_warnings=False, **framework_fields):
        self.framework_version = framework_version
        self._setup(source_directory, compute_target, vm_size, vm_priority, entry_script, script_params,
                    node_count, process_count_per_node, distributed_backend, distributed_training, use_gpu,
                    use_docker, custom_docker_base_image, custom_docker_image, image_registry_details,
                    user_managed, conda_packages, pip_packages, conda_dependencies_file_path,
                    pip_requirements_file_path, conda_dependencies_file, pip_requirements_file,
                    environment_variables, environment_definition, inputs, source_directory_data_store,
                    shm_size, resume_from, max_run_duration_seconds, framework_version, **framework_fields)


class Chainer(_FrameworkEstimator):
    """A Chainer training script (distributed: ChainerMN over MPI)."""

    _framework = "chainer"
    _framework_package = "chainer"

    def __init__(self, source_directory, *, compute_target=None, vm_size=None, vm_priority=None,
                 entry_script=None, script_params=None, node_count=1, process_count_per_node=1,
                 distributed_backend=None, distributed_training=None, use_gpu=False, use_docker=True,
                 custom_docker_base_image=None, custom_docker_image=None, image_registry_details=None,
                 user_managed=False, conda_packages=None, pip_packages=None,
                 conda_dependencies_file_path=None, pip_requirements_file_path=None,
                 conda_dependencies_file=None, pip_requirements_file=None, environment_variables=None,
                 environment_definition=None, inputs=None, source_directory_data_store=None, shm_size=None,
                 resume_from=None, max_run_duration_seconds=None, framework_version=None,
                 _enable_optimized_mode=False, _disable_validation=True, _show_lint_warnings=False,
                 _show_package_warnings=False):
        super().__init__(**_arguments(locals()))


class TensorFlow(_FrameworkEstimator):
    """A TensorFlow training script; parameter-server training with
    distributed_training=TensorflowConfiguration(worker_count=..., parameter_server_count=...)
    (or the older distributed_backend='ps' with worker_count and parameter_server_count)."""

    _framework = "tensorflow"
    _framework_package = "tensorflow"

    def __init__(self, source_directory, *, compute_target=None, vm_size=None, vm_priority=None,
                 entry_script=None, script_params=None, node_count=1, process_count_per_node=1,
                 worker_count=1, parameter_server_count=1, distributed_backend=None,
                 distributed_training=None, use_gpu=False, use_docker=True, custom_docker_base_image=None,
                 custom_docker_image=None, image_registry_details=None, user_managed=False,
                 conda_packages=None, pip_packages=None, conda_dependencies_file_path=None,
                 pip_requirements_file_path=None, conda_dependencies_file=None, pip_requirements_file=None,
                 environment_variables=None, environment_definition=None, inputs=None,
                 source_directory_data_store=None, shm_size=None, resume_from=None,
                 max_run_duration_seconds=None, framework_version=None, _enable_optimized_mode=False,
                 _disable_validation=True, _show_lint_warnings=False, _show_package_warnings=False):
        self.worker_count = worker_count
        self.parameter_server_count = parameter_server_count
        super().__init__(**_arguments(locals()))


class PyTorch(_FrameworkEstimator):
    """A PyTorch training script (distributed: torch.distributed with MASTER_ADDR, RANK, ...)."""

    _framework = "pytorch"
    _framework_package = "torch"

    def __init__(self, source_directory, *, compute_target=None, vm_size=None, vm_priority=None,
                 entry_script=None, script_params=None, node_count=1, process_count_per_node=1,
                 distributed_backend=None, distributed_training=None, use_gpu=False, use_docker=True,
                 custom_docker_base_image=None, custom_docker_image=None, image_registry_details=None,
                 user_managed=False, conda_packages=None, pip_packages=None,
                 conda_dependencies_file_path=None, pip_requirements_file_path=None,
                 conda_dependencies_file=None, pip_requirements_file=None, environment_variables=None,
                 environment_definition=None, inputs=None, source_directory_data_store=None, shm_size=None,
                 resume_from=None, max_run_duration_seconds=None, framework_version=None,
                 _enable_optimized_mode=False, _disable_validation=True, _show_lint_warnings=False,
                 _show_package_warnings=False):
        super().__init__(**_arguments(locals()))


def _arguments(scope):
    """A framework constructor's arguments, passed on as keywords (self and __class__ left out)."""
    return {k: v for k, v in scope.items() if k not in ("self", "__class__")}
