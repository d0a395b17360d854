"""Labbench's stand-in for azureml.data: the datastore and data reference types that
ws.get_default_datastore() and ds.as_mount() give (azure_storage_datastore, data_reference)."""
