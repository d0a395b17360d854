"""Model: a version of a model in the workspace's registry (registered with run.register_model)."""

import os

from azureml import _labbench
from azureml.exceptions import ModelNotFoundException, UserErrorException


class Model:
    """Model(ws, name) is the latest version of `name`; Model(ws, name, version=2) or
    Model(ws, id="name:2") a given one. tags, properties and run_id narrow the search like Azure's
    (tags: a list of keys or [key, value] pairs, or a dict)."""

    def __init__(self, workspace, name=None, id=None, tags=None, properties=None, version=None,
                 run_id=None, model_framework=None, expand=True, **kwargs):
        _labbench.reject_kwargs("Model", kwargs)
        _labbench.reject_unsupported("Model", {"model_framework": (model_framework, None)})
        if id is not None:
            name, _, v = str(id).partition(":")
            version = int(v) if v else version
        if not name:
            raise UserErrorException("Model needs a name (or an id 'name:version').")
        matches = [m for m in _labbench.call_json(["models", "list", "--json"], workspace=workspace._root)
                   if m["name"] == name and (version is None or m["version"] == int(version))
                   and (run_id is None or m["run_id"] == run_id)
                   and _labels_match(m["tags"], tags) and _labels_match(m["properties"], properties)]
        if not matches:
            raise ModelNotFoundException("ModelNotFound: Model with name %s%s not found in provided workspace"
                                         % (name, "" if version is None else ":%s" % version))
        self._load(workspace, max(matches, key=lambda m: m["version"]))

    @classmethod
    def _bind(cls, workspace, record):
        model = cls.__new__(cls)
        model._load(workspace, record)
        return model

    def _load(self, workspace, m):
        self.workspace = workspace
        self.name = m["name"]
        self.version = m["version"]
        self.id = "%s:%d" % (m["name"], m["version"])
        self.tags = dict(m.get("tags", {}))
        self.properties = dict(m.get("properties", {}))
        self.description = m.get("description") or None
        self.created_time = m.get("created")
        self.run_id = m.get("run_id")
        self.url = m.get("path")
        self.model_framework = self.properties.get("model_framework")
        self.model_framework_version = self.properties.get("model_framework_version")

    @staticmethod
    def list(workspace, name=None, tags=None, properties=None, run_id=None, latest=False,
             dataset_id=None, expand=True, page_count=255, model_framework=None):
        _labbench.reject_unsupported("Model.list", {"dataset_id": (dataset_id, None),
                                                     "model_framework": (model_framework, None)})
        found = [m for m in _labbench.call_json(["models", "list", "--json"], workspace=workspace._root)
                 if (name is None or m["name"] == name) and (run_id is None or m["run_id"] == run_id)
                 and _labels_match(m["tags"], tags) and _labels_match(m["properties"], properties)]
        if latest:
            newest = {}
            for m in found:
                if m["name"] not in newest or m["version"] > newest[m["name"]]["version"]:
                    newest[m["name"]] = m
            found = list(newest.values())
        return [Model._bind(workspace, m) for m in found]

    def download(self, target_dir='.', exist_ok=False, exists_ok=None):
        """Copies the model's file or folder into target_dir; returns its path there."""
        if exists_ok is not None:
            exist_ok = exists_ok
        target = os.path.join(target_dir, os.path.basename(self.url.rstrip("/")))
        if os.path.exists(target) and not exist_ok:
            raise UserErrorException("File already exists: %s; pass exist_ok=True to overwrite it." % target)
        return _labbench.call(["models", "download", self.id, "--to", target_dir],
                              workspace=self.workspace._root).strip()

    def serialize(self):
        return {"id": self.id, "name": self.name, "version": self.version, "tags": self.tags,
                "properties": self.properties, "description": self.description,
                "createdTime": self.created_time, "runId": self.run_id, "url": self.url}

    def __repr__(self):
        return "Model(workspace=%r, name=%s, id=%s, version=%d, tags=%s, properties=%s)" % (
            self.workspace, self.name, self.id, self.version, self.tags, self.properties)


def _labels_match(labels, wanted):
    """Azure's tag/property filter: keys that must be there, or [key, value] pairs that must."""
    if not wanted:
        return True
    items = wanted.items() if isinstance(wanted, dict) else wanted
    for item in items:
        if isinstance(item, (list, tuple)):
            key, value = item[0], item[1] if len(item) > 1 else None
        else:
            key, value = item, None
        if key not in labels or (value is not None and labels[key] != str(value)):
            return False
    return True


class InferenceConfig:
    """How a model is served: entry_script (Azure's score.py, with init() and run(raw_data)) in
    source_directory, and optionally an environment whose pip packages the workers need."""

    def __init__(self, entry_script=None, runtime=None, conda_file=None, extra_docker_file_steps=None,
                 source_directory=None, enable_gpu=None, description=None, base_image=None,
                 base_image_registry=None, cuda_version=None, environment=None):
        _labbench.reject_unsupported("InferenceConfig", {
            "conda_file": (conda_file, None), "extra_docker_file_steps": (extra_docker_file_steps, None),
            "enable_gpu": (enable_gpu, None), "base_image": (base_image, None),
            "base_image_registry": (base_image_registry, None), "cuda_version": (cuda_version, None)})
        self.entry_script = entry_script
        self.source_directory = source_directory
        self.environment = environment
        self.runtime = runtime
        self.description = description


def _pip_packages(environment):
    """The pip packages of an Environment-like object (env.python.conda_dependencies)."""
    if environment is None:
        return []
    dependencies = getattr(getattr(environment, "python", None), "conda_dependencies", None)
    packages = getattr(dependencies, "pip_packages", None) if dependencies is not None else None
    if packages is None:
        packages = getattr(environment, "pip_packages", None) or []
    return list(packages)


def _deploy_args(name, models, inference_config, deployment_config, current=None):
    args = ["endpoints", "deploy", name]
    refs = [m.id if isinstance(m, Model) else str(m) for m in (models or [])]
    if not refs and current:
        refs = current["models"]
    for ref in refs:
        args += ["--model", ref]
    if inference_config is not None and inference_config.entry_script:
        args += ["--entry", inference_config.entry_script,
                 "--source", os.path.abspath(inference_config.source_directory or ".")]
        for package in _pip_packages(inference_config.environment):
            args += ["--pip", package]
    port = getattr(deployment_config, "port", None) if deployment_config is not None else None
    if port is None and current:
        port = current["port"]
    if port is not None:
        args += ["--port", str(port)]
    return args + ["--json"]


def _deploy(workspace, name, models, inference_config=None, deployment_config=None,
            deployment_target=None, overwrite=False, show_output=False):
    """Model.deploy: serves `models` as the endpoint `name` on this machine and returns its
    LocalWebservice (deployed, or Failed with its reason: call wait_for_deployment())."""
    from azureml.core.webservice import LocalWebservice
    from azureml.exceptions import WebserviceException
    _labbench.reject_unsupported("Model.deploy", {"deployment_target": (deployment_target, None)})
    if overwrite:
        try:
            _labbench.call(["endpoints", "remove", name], workspace=workspace._root)
        except UserErrorException:
            pass  # nothing to overwrite
    args = _deploy_args(name, models, inference_config, deployment_config)
    try:
        _labbench.call(args, workspace=workspace._root, error=WebserviceException)
    except WebserviceException:
        pass  # a Failed service is returned; wait_for_deployment() raises with its reason
    return LocalWebservice(workspace, name)


def _get_model_path(model_name, version=None, _workspace=None):
    """Inside score.py: the model's files under AZUREML_MODEL_DIR; with _workspace: its path in
    the workspace's registry."""
    if _workspace is not None:
        return Model(_workspace, model_name, version=version).url
    root = os.getenv("AZUREML_MODEL_DIR")
    if not root:
        raise ModelNotFoundException("AZUREML_MODEL_DIR is not set: get_model_path without _workspace works "
                                     "inside a deployed score.py only.")
    nested = os.path.join(root, model_name)
    if os.path.isdir(nested):  # several models: <name>/<version>/
        versions = sorted((int(v) for v in os.listdir(nested) if v.isdigit()), reverse=True)
        chosen = str(version if version is not None else versions[0]) if versions else None
        if chosen is None or not os.path.isdir(os.path.join(nested, chosen)):
            raise ModelNotFoundException("Model %s:%s is not deployed with this service." % (model_name, version))
        folder = os.path.join(nested, chosen)
    else:
        folder = root
    entries = os.listdir(folder)
    return os.path.join(folder, entries[0]) if len(entries) == 1 else folder


Model.deploy = staticmethod(_deploy)
Model.get_model_path = staticmethod(_get_model_path)
