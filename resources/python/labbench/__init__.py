"""Log metrics, tags, tables and images of a Labbench run.

    import labbench
    labbench.log("loss", 0.25)             # step = how many "loss" points this process logged
    labbench.log("accuracy", 0.9, step=3)
    labbench.log_list("lr", [0.1, 0.01])    # one point per value, steps 0..n-1
    labbench.log_row("eval", epoch=1, acc=0.93)   # metrics "eval.epoch" and "eval.acc"
    labbench.log_table("roc", {"fpr": [0, 1], "tpr": [0, 1]})
    labbench.log_image("confusion", path="cm.png")  # copied to ./logs/images/
    labbench.tag("model", "mlp")
    labbench.get_metrics()                  # what this run has logged so far
    labbench.sample_dataset("mnist")        # the folder of the MNIST files Labbench ships
    labbench.checkpoint_dir()               # the run's ./checkpoints, kept like ./outputs
    labbench.checkpoint_saved(path, step=7) # a complete checkpoint (a resume starts from it)
    labbench.resume_checkpoint()            # the checkpoint a resumed attempt goes on from, or None

Labbench sets LABBENCH_METRICS_FILE for every run; each call appends one JSON line there at once
(see _stream.py for the exact records). Outside Labbench the calls print what they would log.
Values are numbers (ints, floats, bools as 0/1, numpy/torch scalars); a string value is logged as
a "text" record.
"""

import numbers
import operator
import os
import threading

from . import _attempts, _files, _stream

__all__ = ["log", "log_list", "log_row", "log_table", "log_image", "tag", "set_tags",
           "get_metrics", "get_tags", "upload_file", "metrics_file", "sample_dataset",
           "checkpoint_dir", "checkpoint_saved", "resume_checkpoint"]

metrics_file = _stream.metrics_file
checkpoint_dir = _files.checkpoint_dir
checkpoint_saved = _attempts.checkpoint_saved
resume_checkpoint = _attempts.resume_checkpoint

_steps = None  # {name: next step}; a resumed attempt starts where the kept points end
_steps_lock = threading.Lock()


def _check_name(name):
    if not isinstance(name, str) or not name:
        raise ValueError("a metric name must be a non-empty string, not %r" % (name,))
    return name


def _number(value):
    """The JSON number for a metric value, or None when it is not numeric."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    for convert in (operator.index, float):  # numpy and torch scalars, 0-d arrays
        try:
            return convert(value)
        except (TypeError, ValueError):
            continue
    return None


def _step(name, step):
    global _steps
    with _steps_lock:
        if _steps is None:
            _steps = _attempts.kept_steps()
        if step is None:
            step = _steps.get(name, 0)
        else:
            if isinstance(step, bool):
                raise TypeError("step must be an integer, not a bool")
            try:
                step = operator.index(step)
            except TypeError:
                if isinstance(step, float) and step.is_integer():
                    step = int(step)
                else:
                    raise TypeError("step must be an integer, not %r" % (step,))
            if step < 0:
                raise ValueError("step must be 0 or more, not %d" % step)
        _steps[name] = max(_steps.get(name, 0), step + 1)
        return step


def log(name, value, step=None, description=""):
    """Logs one point of metric `name`. Without `step`, the step is the number of points this
    process logged for `name` before (0, 1, 2, ...)."""
    _check_name(name)
    number = _number(value)
    step = _step(name, step)
    if number is not None:
        _stream.write({"name": name, "value": number, "step": step})
    else:
        _stream.write({"type": "text", "name": name, "value": str(value), "step": step})


def log_list(name, values, description=""):
    """Logs every value as a point of metric `name`, with steps 0..n-1 (as get_metrics returns
    it)."""
    _check_name(name)
    for i, value in enumerate(list(values)):
        log(name, value, step=i)


def log_row(name, description=None, **columns):
    """Logs one row of table `name`: each column becomes metric "name.column" (its next step),
    and a "row" record keeps the row whole."""
    _check_name(name)
    for column, value in columns.items():
        log("%s.%s" % (name, column), value)
    _stream.write({"type": "row", "name": name, "value": _jsonable(columns)})


def log_table(name, value, description=""):
    """Logs a table given as {column: [values...]}: each column becomes metric "name.column" with
    steps 0..n-1, and a "table" record keeps the table whole."""
    _check_name(name)
    if not isinstance(value, dict):
        raise TypeError("log_table expects a dict of column name -> list of values")
    for column, values in value.items():
        log_list("%s.%s" % (name, column), values)
    _stream.write({"type": "table", "name": name, "value": _jsonable(value)})


def log_image(name, path=None, plot=None, description="", step=None):
    """Copies an image file (path=) or saves a matplotlib plot (plot=) to ./logs/images/ and logs
    an "image" record whose value is the file's path in the run, e.g. "logs/images/cm_123.png"."""
    _check_name(name)
    stored = _files.store_image(name, path=path, plot=plot)
    _stream.write({"type": "image", "name": name, "value": stored,
                   "step": _step("image:" + name, step)})
    return stored


def tag(key, value=""):
    """Tags the run: key = value (a string)."""
    _check_name(key)
    _stream.write({"type": "tag", "name": key, "value": "" if value is None else str(value)})


def set_tags(tags):
    for key, value in dict(tags).items():
        tag(key, value)


def upload_file(name, path_or_stream):
    """Copies a file (or a stream's bytes) into the run's ./outputs/ as `name`; returns the path in
    the run. A name starting with "outputs/" or "logs/" goes there; ".." and absolute names are
    refused with ValueError."""
    return _files.store_file(name, path_or_stream)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str):
        return value
    number = _number(value)
    return number if number is not None else str(value)


def _is_metric(record):
    return record.get("type", "metric") == "metric"


def get_metrics(name=None, path=None):
    """What the run has logged, as Azure ML's Run.get_metrics() returns it: {name: value} for a
    metric logged once, {name: [values in step order]} for one logged more often, {table:
    {column: [values]}} for rows and tables, {image: path} for images. `name` picks one. Points
    a resumed attempt superseded (logged after the checkpoint it resumed from) are left out, as
    `labbench metrics` leaves them out."""
    points, tables, images = {}, {}, {}
    for record in _attempts.kept_records(_stream.read(path)):
        key = record.get("name")
        if not isinstance(key, str):
            continue
        kind = record.get("type", "metric")
        if kind in ("metric", "text"):
            points.setdefault(key, []).append((record.get("step", 0), record.get("value")))
        elif kind == "row" and isinstance(record.get("value"), dict):
            table = tables.setdefault(key, {})
            for column, value in record["value"].items():
                table.setdefault(column, []).append(value)
        elif kind == "table" and isinstance(record.get("value"), dict):
            table = tables.setdefault(key, {})
            for column, values in record["value"].items():
                table.setdefault(column, []).extend(values if isinstance(values, list) else [values])
        elif kind == "image":
            images[key] = record.get("value")
    result = {}
    for key, series in points.items():
        series.sort(key=lambda p: p[0] if isinstance(p[0], (int, float)) else 0)  # stable
        values = [v for _, v in series]
        result[key] = values[0] if len(values) == 1 else values
    result.update(tables)
    result.update(images)
    if name is not None:
        return {name: result[name]} if name in result else {}
    return result


def get_tags(path=None):
    """The tags this run has set, {key: value} (the last value of a key wins)."""
    return {r["name"]: r.get("value", "") for r in _stream.read(path)
            if r.get("type") == "tag" and isinstance(r.get("name"), str)}


def _status(status, reason=None):
    record = {"type": "status", "name": "status", "value": status}
    if reason:
        record["reason"] = str(reason)
    _stream.write(record)


def sample_dataset(name="mnist"):
    """The folder of a dataset that Labbench ships (MNIST's four IDX .gz files), so that a first
    script needs no download. It sits beside this package: share/labbench/datasets/NAME in the
    build tree and the installed tree alike. Raises FileNotFoundError naming the folder when
    Labbench ships no such dataset."""
    here = os.path.dirname(os.path.abspath(__file__))
    folder = os.path.normpath(os.path.join(here, "..", "..", "datasets", name))
    if not os.path.isfile(os.path.join(folder, "train-images-idx3-ubyte.gz")):
        raise FileNotFoundError("Labbench ships no dataset %r (looked in %s); pass the data's "
                                "folder to your script instead" % (name, folder))
    return folder
