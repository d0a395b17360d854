"""Workspace: a Labbench workspace (a folder with config.json and its store), found the way
`labbench` finds one: Workspace.from_config() is the notebook's first line."""

import os

from azureml import _labbench
from azureml.exceptions import UserErrorException, WorkspaceException


class Workspace:
    """A Labbench workspace. Obtain it with Workspace.from_config(); Azure's
    subscription/resource-group constructor has no meaning here (no cloud, no credentials)."""

    def __init__(self, subscription_id, resource_group, workspace_name, auth=None, _location=None,
                 _disable_service_check=False, _workspace_id=None, sku='basic', tags=None,
                 _cloud='AzureCloud'):
        raise NotImplementedError(
            "Workspace(subscription_id=..., resource_group=..., workspace_name=...): a Labbench "
            "workspace is a folder, not a cloud resource; use Workspace.from_config(path=FOLDER)")

    @classmethod
    def _open(cls, details):
        ws = cls.__new__(cls)
        ws._details = details
        ws._root = details["path"]
        return ws

    @staticmethod
    def from_config(path=None, auth=None, _logger=None, _file_name=None):
        """The workspace whose config.json is in `path` (a folder or the config.json file itself)
        or one of its parents; without `path`, the one `labbench` uses here ($LABBENCH_WORKSPACE,
        a config.json in this folder or a parent, else the user's default workspace)."""
        if auth is not None:
            print("Labbench uses no credentials: the auth argument is not needed and not used.")
        env = None
        cwd = None
        if _file_name is not None and path is None:
            path = _file_name
        if path is not None:
            path = os.path.abspath(os.fspath(path))
            if os.path.isfile(path):
                path = os.path.dirname(path)
            if not os.path.isdir(path):
                raise UserErrorException("We could not find config.json in: %s (no such folder)." % path)
            cwd = path
            env = dict(os.environ)
            env.pop("LABBENCH_WORKSPACE", None)  # the path given wins, as Azure's does
        details = _labbench.call_json(["workspace", "show", "--json"], error=WorkspaceException,
                                      cwd=cwd, env=env)
        root = os.path.realpath(details["path"])
        if path is not None:
            here = os.path.realpath(path)
            inside = here == root or here.startswith(root.rstrip(os.sep) + os.sep)
            # A workspace in .labbench/ of the folder or a parent also counts.
            parent = os.path.dirname(root) if os.path.basename(root) == ".labbench" else root
            inside = inside or here == parent or here.startswith(parent.rstrip(os.sep) + os.sep)
            if not inside:
                raise UserErrorException(
                    "We could not find a Labbench config.json in %s or its parents; create a "
                    "workspace there with 'labbench workspace init %s'." % (path, path))
        print("Found the config file in: %s" % os.path.join(root, "config.json"))
        return Workspace._open(details)

    # --- what notebooks print -----------------------------------------------------------------

    @property
    def name(self):
        return self._details["name"]

    @property
    def subscription_id(self):
        """Labbench has no subscriptions: the workspace's own id stands in."""
        return self._details["id"]

    @property
    def resource_group(self):
        return "labbench"

    @property
    def location(self):
        return "local"

    @property
    def _workspace_id(self):
        return self._details["id"]

    def get_details(self):
        d = dict(self._details)
        return {"id": d["id"], "name": d["name"], "location": "local", "type": "Labbench workspace",
                "workspaceid": d["id"], "description": "", "friendlyName": d["name"],
                "creationTime": d.get("created"), "path": d["path"],
                "defaultComputeTarget": d.get("default_compute_target")}

    # --- what it holds ------------------------------------------------------------------------

    def _json(self, *args, error=UserErrorException):
        return _labbench.call_json(list(args), workspace=self._root, error=error)

    @property
    def compute_targets(self):
        from azureml.core.compute import AmlCompute
        return {c["name"]: AmlCompute._bind(self, c) for c in self._json("sdk", "compute", "list")}

    @property
    def datastores(self):
        from azureml.data.azure_storage_datastore import AzureBlobDatastore
        return {d["name"]: AzureBlobDatastore._bind(self, d) for d in self._json("datastore", "list", "--json")}

    @property
    def experiments(self):
        from azureml.core.experiment import Experiment
        return {e["name"]: Experiment(self, e["name"]) for e in self._json("experiments", "list", "--json")}

    @property
    def models(self):
        from azureml.core.model import Model
        models = {}
        for m in self._json("models", "list", "--json"):
            models.setdefault(m["name"], []).append(Model._bind(self, m))
        return models

    def get_default_datastore(self):
        """Azure's workspaceblobstore: a folder of the workspace, registered as a Labbench
        datastore on first use."""
        from azureml.data.azure_storage_datastore import AzureBlobDatastore
        return AzureBlobDatastore._bind(self, self._json("sdk", "datastore", "default"))

    def __repr__(self):
        return "Workspace.create(name='%s', subscription_id='%s', resource_group='%s')" % (
            self.name, self.subscription_id, self.resource_group)

    def __eq__(self, other):
        return isinstance(other, Workspace) and other._root == self._root

    def __hash__(self):
        return hash(self._root)
