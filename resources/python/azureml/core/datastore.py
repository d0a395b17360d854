"""Datastore: a named data folder of the workspace (`labbench datastore add`). A script
argument that is a datastore reference (ds.as_mount(), ds.path('mnist').as_mount()) reaches the
script as the folder's path on the target, as Azure's mounts do."""

from azureml import _labbench
from azureml.exceptions import UserErrorException


class Datastore:
    """Datastore(ws, name) or Datastore.get(ws, name): an existing datastore; without a name,
    the workspace's default one (workspaceblobstore)."""

    def __new__(cls, workspace, name=None):
        if name is None:
            return workspace.get_default_datastore()
        return Datastore.get(workspace, name)

    @staticmethod
    def get(workspace, datastore_name):
        from azureml.data.azure_storage_datastore import AzureBlobDatastore
        for d in _labbench.call_json(["datastore", "list", "--json"], workspace=workspace._root):
            if d["name"] == datastore_name:
                return AzureBlobDatastore._bind(workspace, d)
        if datastore_name == "workspaceblobstore":
            return workspace.get_default_datastore()
        raise UserErrorException("No datastore named %s in this workspace; add one with 'labbench "
                                 "datastore add %s DIR'." % (datastore_name, datastore_name))

    @staticmethod
    def get_default(workspace):
        return workspace.get_default_datastore()
