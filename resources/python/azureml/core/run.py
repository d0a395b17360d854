"""Run: a Labbench run, as a notebook follows it after exp.submit(...) (status, streamed log,
metrics, files, model registration), and Run.get_context(), the run a training script executes
in (see _context_run.py)."""

import json
import os
import shutil
import sys
import tempfile

from azureml import _labbench
from azureml.exceptions import (ActivityFailedException, ExperimentExecutionException,
                                UserErrorException)


class Run:
    """A submitted run. Experiment.submit returns one; Run(experiment, run_id) and
    Run.get(workspace, run_id) find an existing one."""

    _context = None

    def __init__(self, experiment, run_id, outputs=None, **kwargs):
        _labbench.reject_kwargs("Run", kwargs)
        _labbench.reject_unsupported("Run", {"outputs": (outputs, None)})
        self._experiment = experiment
        self._id = run_id
        self._summary = None

    @classmethod
    def _bind(cls, experiment, summary):
        run = cls(experiment, summary["id"])
        run._summary = summary
        return run

    @classmethod
    def get_context(cls, allow_offline=True, used_for_context_manager=False, **kwargs):
        """The run this script executes in. Outside Labbench (no LABBENCH_METRICS_FILE) an
        offline run whose calls print what they would log, like Azure ML's offline run."""
        from azureml.core._context_run import _ContextRun
        from labbench import _stream
        if not allow_offline and _stream.metrics_file() is None:
            raise RuntimeError("not running inside a Labbench run (LABBENCH_METRICS_FILE is unset)")
        if Run._context is None:
            Run._context = _ContextRun()
        return Run._context

    @staticmethod
    def get(workspace, run_id):
        from azureml.core.experiment import Experiment
        summary = _labbench.call_json(["runs", "show", run_id, "--json"], workspace=workspace._root)
        return Run._bind(Experiment(workspace, summary["experiment"]), summary)

    # --- identity -------------------------------------------------------------------------------

    @property
    def id(self):
        return self._id

    @property
    def name(self):
        return self._id

    @property
    def display_name(self):
        return self._id

    @property
    def experiment(self):
        return self._experiment

    @property
    def number(self):
        return self._show().get("number")

    @property
    def parent(self):
        return None

    @property
    def type(self):
        return "azureml.scriptrun"

    @property
    def properties(self):
        return self.get_properties()

    @property
    def status(self):
        return self.get_status()

    def _root(self):
        return self._experiment.workspace._root

    def _call(self, *args, error=UserErrorException):
        return _labbench.call(list(args), workspace=self._root(), error=error)

    def _json(self, *args, error=UserErrorException):
        return _labbench.call_json(list(args), workspace=self._root(), error=error)

    def _show(self):
        """`labbench runs show --json`, fresh each time (status moves on)."""
        self._summary = self._json("runs", "show", self._id, "--json")
        return self._summary

    # --- status ---------------------------------------------------------------------------------

    def get_status(self):
        return _labbench.azure_status(self._show()["status"])

    def get_properties(self):
        s = self._summary if self._summary and "estimator" in self._summary else self._show()
        props = {"labbench.run_dir": s.get("run_dir", ""), "labbench.compute_target": s.get("compute_target", "")}
        if s.get("exit_code") is not None:
            props["labbench.exit_code"] = str(s["exit_code"])
        return props

    def get_tags(self):
        return dict(self._show().get("tags", {}))

    def get_details(self):
        """The run as Azure's get_details() shapes it: runId, target, status, start and end
        times, runDefinition (script, arguments, framework, node count), logFiles, and an error
        when it failed."""
        s = self._show()
        e = s.get("estimator") or {}
        status = _labbench.azure_status(s["status"])
        details = {
            "runId": s["id"],
            "target": s.get("compute_target", ""),
            "status": status,
            "startTimeUtc": s.get("started"),
            "endTimeUtc": s.get("ended"),
            "properties": self.get_properties(),
            "tags": dict(s.get("tags", {})),
            "inputDatasets": [],
            "outputDatasets": [],
            "runDefinition": {
                "script": e.get("entry_script"),
                "arguments": list(e.get("script_params", [])),
                "target": s.get("compute_target", ""),
                "framework": "Python",
                "nodeCount": e.get("node_count", 1),
                "environment": {"python": {"userManagedDependencies": not e.get("pip_packages"),
                                           "pipPackages": list(e.get("pip_packages", []))},
                                "environmentVariables": dict(e.get("environment_variables", {}))},
            },
            "logFiles": {"driver.log": os.path.join(s.get("run_dir", ""), "driver.log")},
            "submittedBy": os.environ.get("USER", ""),
        }
        if status == "Failed":
            details["error"] = self._error(s)
        return details

    @staticmethod
    def _error(summary):
        reason = summary.get("reason") or "The run failed; its log (driver.log) says why."
        return {"error": {"code": "UserError", "message": reason,
                          "details": [{"code": "ExitCode", "message": str(summary.get("exit_code"))}]
                          if summary.get("exit_code") is not None else []},
                "time": summary.get("ended")}

    def get_details_with_logs(self):
        details = self.get_details()
        details["logFiles"] = {"driver.log": self._call("logs", self._id)}
        return details

    def wait_for_completion(self, show_output=False, wait_post_processing=False, raise_on_error=True):
        """Waits until the run ends. With show_output, prints its log as it comes (as Azure
        streams azureml-logs/70_driver_log.txt). Raises ActivityFailedException when it failed
        (unless raise_on_error=False); returns get_details()."""
        if show_output:
            self._stream_output(sys.stdout)
        else:
            # `labbench wait` exits with the script's exit code: the state is read below.
            _labbench.stream(["wait", self._id], workspace=self._root(), file_handle=_Discard())
        details = self.get_details()
        if details["status"] == "Failed":
            error = json.dumps(details["error"], indent=4)
            if raise_on_error:
                raise ActivityFailedException(error_details=error)
            if show_output:
                sys.stdout.write("\nError:\n%s\n" % error)
        return details

    def _stream_output(self, out):
        out.write("RunId: %s\n" % self._id)
        out.write("Web View: %s\n" % self._web_view())
        out.write("\nStreaming driver.log\n====================\n\n")
        out.flush()
        code, err = _labbench.stream(["logs", self._id, "--follow"], workspace=self._root(), file_handle=out)
        if code != 0:
            raise ExperimentExecutionException("The output streaming for the run interrupted: %s"
                                               % _labbench._sentence(err))
        out.write("\nExecution Summary\n=================\n")
        out.write("RunId: %s\n" % self._id)
        out.write("Web View: %s\n\n" % self._web_view())
        out.flush()

    def _web_view(self):
        return "labbench --workspace %s (experiment %s)" % (self._root(), self._experiment.name)

    def cancel(self):
        self._call("cancel", self._id)

    # --- metrics, files, models -----------------------------------------------------------------

    def get_metrics(self, name=None, recursive=False, run_type=None, populate=False):
        """{name: value} for a metric logged once, {name: [values]} for one logged more often,
        {name: {column: [values]}} for a table. recursive=True gives {run_id: metrics} for this
        run and its children."""
        _labbench.reject_unsupported("Run.get_metrics", {"run_type": (run_type, None),
                                                          "populate": (populate, False)})
        if recursive:
            runs = [self] + list(self.get_children(recursive=True))
            return {r.id: r.get_metrics(name=name) for r in runs}
        metrics = self._json("sdk", "metrics", self._id)
        if name is not None:
            return {name: metrics[name]} if name in metrics else {}
        return metrics

    def get_file_names(self):
        """The run's files (outputs/ and logs/), as paths relative to the run."""
        return [f["path"] for f in self._json("files", self._id, "--json")]

    def download_file(self, name, output_file_path=None, _validate_checksum=False):
        """Copies one of the run's files (a name from get_file_names()) to output_file_path (a
        file or a folder; the current folder when None). A name outside the run's files is
        refused."""
        names = self.get_file_names()
        if name not in names:
            raise UserErrorException("File with path %s was not found,\navailable files include: %s."
                                     % (name, ", ".join(names) or "(none)"))
        if output_file_path is None:
            output_file_path = os.path.basename(name)
        elif os.path.isdir(output_file_path):
            output_file_path = os.path.join(output_file_path, os.path.basename(name))
        with tempfile.TemporaryDirectory(prefix="labbench-download-") as scratch:
            self._call("download", self._id, "--prefix", name, "--to", scratch)
            fetched = os.path.join(scratch, *name.split("/"))
            if not os.path.isfile(fetched):
                raise UserErrorException("File with path %s could not be downloaded." % name)
            parent = os.path.dirname(os.path.abspath(output_file_path))
            os.makedirs(parent, exist_ok=True)
            shutil.copyfile(fetched, output_file_path)
        return output_file_path

    def download_files(self, prefix=None, output_directory=None, output_paths=None, batch_size=100,
                       append_prefix=True, timeout_seconds=None):
        """Copies the run's files under `prefix` into output_directory (the current folder)."""
        _labbench.reject_unsupported("Run.download_files", {"output_paths": (output_paths, None)})
        target = output_directory or os.getcwd()
        if append_prefix or not prefix:
            self._call("download", self._id, "--prefix", prefix or "", "--to", target)
            return
        with tempfile.TemporaryDirectory(prefix="labbench-download-") as scratch:
            self._call("download", self._id, "--prefix", prefix, "--to", scratch)
            base = os.path.join(scratch, *prefix.rstrip("/").split("/"))
            base = base if os.path.isdir(base) else os.path.dirname(base)
            for folder, _, files in os.walk(base):
                for f in files:
                    rel = os.path.relpath(os.path.join(folder, f), base)
                    os.makedirs(os.path.dirname(os.path.join(target, rel)) or target, exist_ok=True)
                    shutil.copyfile(os.path.join(folder, f), os.path.join(target, rel))

    def register_model(self, model_name, model_path=None, tags=None, properties=None,
                       model_framework=None, model_framework_version=None, description=None,
                       datasets=None, sample_input_dataset=None, sample_output_dataset=None,
                       resource_configuration=None, **kwargs):
        """Registers a file or folder of the run (e.g. "outputs/model.pkl") as the next version
        of model `model_name`; returns the Model (.name, .version, .id)."""
        _labbench.reject_kwargs("Run.register_model", kwargs)
        _labbench.reject_unsupported("Run.register_model", {
            "datasets": (datasets, None), "sample_input_dataset": (sample_input_dataset, None),
            "sample_output_dataset": (sample_output_dataset, None),
            "resource_configuration": (resource_configuration, None)})
        if not model_path:
            raise UserErrorException("register_model needs model_path, the run's file or folder to "
                                     "register, like 'outputs/model.pkl'.")
        props = dict(properties or {})
        if model_framework is not None:
            props["model_framework"] = model_framework
        if model_framework_version is not None:
            props["model_framework_version"] = model_framework_version
        args = ["models", "register", "--run", self._id, "--name", model_name, "--path", model_path, "--json"]
        for key, value in _pairs(tags):
            args += ["--tag", "%s=%s" % (key, value)]
        for key, value in _pairs(props):
            args += ["--property", "%s=%s" % (key, value)]
        if description:
            args += ["--description", description]
        from azureml.core.model import Model
        return Model._bind(self._experiment.workspace, self._json(*args))

    def get_children(self, recursive=False, tags=None, properties=None, type=None, status=None,
                     _rehydrate_runs=True):
        """A plain run has no children in Labbench (a HyperDriveRun has)."""
        return iter(())

    # --- calls that only make sense inside the run ------------------------------------------------

    def log(self, name, value, description="", step=None):
        raise NotImplementedError("Run.log from outside the run: Labbench runs log their own "
                                  "metrics (Run.get_context().log inside the script)")

    def __repr__(self):
        status = self._summary["status"] if self._summary else "?"
        return "Run(Experiment: %s,\nId: %s,\nType: %s,\nStatus: %s)" % (
            self._experiment.name, self._id, self.type, _labbench.azure_status(status))


def _pairs(mapping):
    """Tags as (key, value) pairs: a dict, or Azure's list form [key, ...] (empty value)."""
    if mapping is None:
        return []
    if isinstance(mapping, dict):
        return [(str(k), "" if v is None else str(v)) for k, v in mapping.items()]
    return [(str(k), "") for k in mapping]


class _Discard:
    def write(self, text):
        pass

    def flush(self):
        pass

