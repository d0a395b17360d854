"""The metric stream of a run: appending records to LABBENCH_METRICS_FILE and reading them back.

Each record is one JSON object on one line. A numeric metric is exactly
    {"name": str, "value": number, "step": int, "time": float}
(NaN and infinities are written as Python's json writes them: NaN, Infinity, -Infinity).
Every other kind carries a "type" key: "tag", "text", "image", "row", "table", "status", and the
attempt contract's "checkpoint" (see _attempts.py).

A line is written with a single os.write() on a descriptor opened with O_APPEND, so records of
concurrent writers (ranks, threads, forked workers) never interleave, and nothing is buffered:
a record is in the file as soon as the call returns, even if the script is killed next.
"""

import json
import os
import sys
import threading
import time

METRICS_FILE_ENV = "LABBENCH_METRICS_FILE"

_lock = threading.Lock()
_fd = None
_fd_path = None
_fd_pid = None


def metrics_file():
    """The metric stream of this run, or None when the script runs outside Labbench."""
    path = os.environ.get(METRICS_FILE_ENV)
    return path or None


def _descriptor(path):
    global _fd, _fd_path, _fd_pid
    pid = os.getpid()
    if _fd is not None and _fd_path == path and _fd_pid == pid:
        return _fd
    # A forked child inherits the descriptor, which is still correct with O_APPEND; it reopens
    # anyway so that it never closes one its parent still uses.
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    _fd = os.open(path, flags, 0o644)
    _fd_path, _fd_pid = path, pid
    return _fd


def _print(record):
    kind = record.get("type", "metric")
    step = record.get("step")
    where = "" if step is None else " (step %d)" % step
    if kind == "checkpoint":
        sys.stdout.write("[labbench checkpoint] %s%s\n" % (record.get("path"), where))
        sys.stdout.flush()
        return
    sys.stdout.write("[labbench %s] %s = %r%s\n" % (kind, record.get("name"), record.get("value"), where))
    sys.stdout.flush()


def write(record):
    """Appends one record (a dict) to the stream; prints it when there is no stream."""
    record.setdefault("time", time.time())
    path = metrics_file()
    if path is None:
        _print(record)
        return
    data = (json.dumps(record, ensure_ascii=False, separators=(", ", ": ")) + "\n").encode("utf-8")
    with _lock:
        fd = _descriptor(path)
        written = os.write(fd, data)
        # A regular file takes the whole line in one write unless the disk is full or a signal
        # interrupts it; finish the line rather than lose the record.
        while written < len(data):
            written += os.write(fd, data[written:])


def read(path=None):
    """Every complete, valid record in the stream, in file order. A partial last line (a write
    in progress) and lines that are not JSON objects are skipped."""
    path = path or metrics_file()
    if not path or not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        data = f.read()
    records = []
    for line in data.split(b"\n")[:-1]:  # the part after the last newline is not complete yet
        try:
            record = json.loads(line.decode("utf-8"))
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records
