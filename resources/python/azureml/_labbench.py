"""How the SDK surface talks to Labbench: the `labbench` program, its JSON output and its exit
status, never the workspace's files or its SQLite store (issue 24). Every call is an argv list:
no shell, so names and paths reach Labbench as the same bytes."""

import json
import os
import shutil
import subprocess
import sys

from azureml.exceptions import UserErrorException

#: The Azure status of each Labbench status. Labbench's Preempted (a run that lost its node and
#: waits to run again) reads as Azure's Queued.
AZURE_STATUS = {
    "Queued": "Queued",
    "Preempted": "Queued",
    "Preparing": "Preparing",
    "Starting": "Starting",
    "Running": "Running",
    "Finalizing": "Finalizing",
    "Completed": "Completed",
    "Failed": "Failed",
    "Canceled": "Canceled",
}

TERMINAL = ("Completed", "Failed", "Canceled")


def azure_status(status):
    return AZURE_STATUS.get(status, status)


def program():
    """The labbench program: $LABBENCH_BIN, else the one installed beside this package
    (<prefix>/share/labbench/python/azureml -> <prefix>/bin/labbench), else the one on PATH."""
    chosen = os.environ.get("LABBENCH_BIN")
    if chosen:
        return chosen
    here = os.path.dirname(os.path.realpath(os.path.abspath(__file__)))
    beside = os.path.normpath(os.path.join(here, "..", "..", "..", "..", "bin", "labbench"))
    if os.access(beside, os.X_OK):
        return beside
    found = shutil.which("labbench")
    if found:
        return found
    raise UserErrorException("The labbench program was not found (not beside this package, not on PATH); "
                             "run eval \"$(labbench sdk env)\" or set LABBENCH_BIN to its path.")


def _argv(args, workspace):
    argv = [program()]
    if workspace is not None:
        argv += ["--workspace", workspace]
    return argv + [str(a) for a in args]


def _sentence(stderr):
    """Labbench's one-sentence error, without its "labbench: " prefix."""
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    text = lines[-1] if lines else "labbench failed without saying why"
    return text[len("labbench: "):] if text.startswith("labbench: ") else text


def call(args, workspace=None, error=UserErrorException, cwd=None, env=None):
    """Runs `labbench [--workspace WS] ARGS`; returns its stdout. A non-zero exit raises `error`
    with Labbench's own sentence."""
    done = subprocess.run(_argv(args, workspace), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, cwd=cwd, env=env)
    out = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0:
        raise error(_sentence(done.stderr.decode("utf-8", "replace")))
    return out


def call_json(args, workspace=None, error=UserErrorException, cwd=None, env=None):
    """As call(), for commands that print JSON (list/show --json and `labbench sdk ...`)."""
    out = call(args, workspace, error, cwd, env)
    try:
        return json.loads(out)
    except ValueError:
        raise error("labbench printed something that is not JSON for 'labbench %s': %r"
                    % (" ".join(str(a) for a in args), out[:200]))


def stream(args, workspace=None, file_handle=None):
    """Runs a command and copies its stdout to `file_handle` (sys.stdout) as it comes, so a
    notebook shows it live; returns (exit status, stderr text)."""
    file_handle = file_handle or sys.stdout
    process = subprocess.Popen(_argv(args, workspace), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        for raw in iter(process.stdout.readline, b""):
            file_handle.write(raw.decode("utf-8", "replace"))
            file_handle.flush()
        err = process.stderr.read().decode("utf-8", "replace")
        return process.wait(), err
    finally:
        if process.poll() is None:  # interrupted (KeyboardInterrupt): stop following, not the run
            process.kill()
            process.wait()


def reject_unsupported(where, given):
    """Raises NotImplementedError naming the first argument of `given` ({name: (value, default)})
    whose value is not its default: Labbench never ignores an argument it cannot honour."""
    for name, (value, default) in given.items():
        if value is not default and value != default:
            raise NotImplementedError(
                "%s: the argument %s=%r is not supported by Labbench's Azure ML surface; leave it out"
                % (where, name, value))


def reject_kwargs(where, kwargs):
    if kwargs:
        raise NotImplementedError("%s: the argument %s is not supported by Labbench's Azure ML surface; "
                                  "leave it out" % (where, sorted(kwargs)[0]))
