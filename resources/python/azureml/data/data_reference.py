"""DataReference: where a script argument points into a datastore. In script_params it becomes
the URI datastore://NAME/path, which Labbench resolves to the data's folder on the target (the
folder itself on `local`, never a copy)."""

import posixpath

from azureml import _labbench


def _clean_datastore_path(path):
    """A path inside a datastore: relative, '/'-separated, never climbing out ("..")."""
    if path is None:
        return ""
    text = str(path).replace("\\", "/").strip("/")
    if str(path).startswith("/") or any(part == ".." for part in text.split("/")) or "\0" in text:
        raise ValueError("A datastore path must stay inside the datastore (relative, no '..'), not %r" % (path,))
    return posixpath.normpath(text) if text else ""


class DataReference:
    """A path in a datastore, given to a run as a mount (read and written in place)."""

    def __init__(self, datastore, data_reference_name=None, path_on_datastore=None, mode='mount',
                 path_on_compute=None, overwrite=False):
        _labbench.reject_unsupported("DataReference", {"mode": (mode, "mount"),
                                                       "path_on_compute": (path_on_compute, None),
                                                       "overwrite": (overwrite, False)})
        self.datastore = datastore
        self.path_on_datastore = _clean_datastore_path(path_on_datastore) or None
        self.data_reference_name = data_reference_name or datastore.name
        self.mode = mode
        self.path_on_compute = None
        self.overwrite = False

    def as_mount(self):
        return DataReference(self.datastore, self.data_reference_name, self.path_on_datastore)

    def as_download(self, path_on_compute=None, overwrite=False):
        raise NotImplementedError(
            "as_download: Labbench gives a run the datastore's folder itself (as_mount); use "
            "as_mount(), and copy inside the script if it must not change the data")

    def path(self, path=None, data_reference_name=None):
        joined = posixpath.join(self.path_on_datastore or "", _clean_datastore_path(path))
        return DataReference(self.datastore, data_reference_name or self.data_reference_name, joined)

    def _labbench_uri(self):
        """The script argument Labbench resolves: datastore://NAME/path."""
        return "datastore://%s/%s" % (self.datastore.name, self.path_on_datastore or "")

    def __str__(self):
        return self._labbench_uri()

    def __repr__(self):
        return "$AZUREML_DATAREFERENCE_%s (%s)" % (self.data_reference_name, self._labbench_uri())
