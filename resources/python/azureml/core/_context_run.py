"""The run a training script executes in, as Run.get_context() returns it: the logging calls of
Azure ML training scripts, writing to the Labbench run's metric stream (see labbench/). Outside a
run it is an offline run whose calls print what they would log, like Azure ML's offline run."""

import os
import uuid

import labbench
from labbench import _files, _stream

from azureml.core.run import Run


class _Experiment:
    """What scripts read from run.experiment: its name."""

    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name

    def __repr__(self):
        return "Experiment(name=%r)" % (self.name,)


class _ContextRun(Run):
    """The run a script executes in. Obtain it with Run.get_context()."""

    def __init__(self, run_id=None, experiment_name=None):
        self._id = run_id or os.environ.get("LABBENCH_RUN_ID") or "OfflineRun_%s" % uuid.uuid4()
        self._experiment = _Experiment(
            experiment_name or os.environ.get("LABBENCH_EXPERIMENT") or "offline")
        self._properties = {}
        self._status = "Running"

    @property
    def properties(self):
        return dict(self._properties)

    def _root(self):
        raise NotImplementedError("this call follows a submitted run from a notebook; inside the run "
                                  "itself Labbench offers the logging, tag and file calls")

    # --- metrics ---------------------------------------------------------------------------

    def log(self, name, value, description="", step=None):
        labbench.log(name, value, step=step)

    def log_list(self, name, value, description=""):
        labbench.log_list(name, value)

    def log_row(self, name, description=None, **kwargs):
        labbench.log_row(name, **kwargs)

    def log_table(self, name, value, description=""):
        labbench.log_table(name, value)

    def log_image(self, name, path=None, plot=None, description=""):
        return labbench.log_image(name, path=path, plot=plot)

    def get_metrics(self, name=None, recursive=False, run_type=None, populate=False):
        return labbench.get_metrics(name=name)

    # --- tags and properties ---------------------------------------------------------------

    def tag(self, key, value=None):
        labbench.tag(key, "" if value is None else value)

    def set_tags(self, tags):
        labbench.set_tags(tags)

    def get_tags(self):
        return labbench.get_tags()

    def add_properties(self, properties):
        for key, value in dict(properties).items():
            self._properties[str(key)] = str(value)
            _stream.write({"type": "property", "name": str(key), "value": str(value)})

    def get_properties(self):
        return dict(self._properties)

    # --- files -----------------------------------------------------------------------------

    def upload_file(self, name, path_or_stream, datastore_name=None):
        """Copies a file (or a stream's bytes) into the run's ./outputs/ as `name` ("outputs/x"
        is accepted too). Names that are absolute or contain ".." raise ValueError."""
        return _files.store_file(name, path_or_stream)

    def upload_files(self, names, paths, return_artifacts=False, timeout_seconds=None,
                     datastore_name=None):
        if len(names) != len(paths):
            raise ValueError("upload_files needs as many names as paths")
        return [_files.store_file(n, p) for n, p in zip(names, paths)]

    def upload_folder(self, name, path, datastore_name=None):
        stored = []
        for folder, _, files in os.walk(path):
            for f in sorted(files):
                full = os.path.join(folder, f)
                relative = os.path.relpath(full, path).replace(os.sep, "/")
                stored.append(_files.store_file(name.rstrip("/") + "/" + relative, full))
        return stored

    def get_file_names(self):
        root = _files.run_root()
        names = []
        for top in ("outputs", "logs", "checkpoints"):
            for folder, _, files in os.walk(os.path.join(root, top)):
                names.extend(os.path.relpath(os.path.join(folder, f), root).replace(os.sep, "/")
                             for f in files)
        return sorted(names)

    # --- status ----------------------------------------------------------------------------

    def get_status(self):
        return self._status

    def get_details(self):
        return {"runId": self.id, "status": self._status, "experiment": self.experiment.name,
                "properties": dict(self._properties), "tags": self.get_tags()}

    def complete(self, _set_status=True):
        """Marks the run completed (recorded in the metric stream; Labbench's final state still
        comes from the script's exit code)."""
        self._status = "Completed"
        labbench._status("Completed")

    def fail(self, error_details=None, error_code=None, _set_status=True):
        self._status = "Failed"
        labbench._status("Failed", error_details if error_details is not None else error_code)

    def cancel(self):
        self._status = "Canceled"
        labbench._status("Canceled")

    def flush(self, timeout_seconds=300):
        """Every record is already written when its call returns."""

    def wait_for_completion(self, show_output=False, wait_post_processing=False,
                            raise_on_error=True):
        return self.get_details()

    def get_children(self, recursive=False, tags=None, properties=None, type=None, status=None,
                     _rehydrate_runs=True):
        return iter(())

    def __repr__(self):
        return "Run(id=%r, experiment=%r, status=%r)" % (self.id, self.experiment.name, self._status)
