"""Files a script hands to its run: images under ./logs/images/, uploads under ./outputs/.

Both land in the run's working folder (its snapshot), whose outputs/ and logs/ Labbench keeps
with the run. No name may lead outside those folders.
"""

import os
import re
import shutil

_import_cwd = os.getcwd()


def run_root():
    """The run's working folder: LABBENCH_RUN_DIR/snapshot under Labbench, else the folder the
    script started in (so a later os.chdir() does not move the outputs)."""
    run_dir = os.environ.get("LABBENCH_RUN_DIR")
    if run_dir:
        snapshot = os.path.join(run_dir, "snapshot")
        if os.path.isdir(snapshot):
            return snapshot
    return _import_cwd


CHECKPOINT_DIR_ENV = "LABBENCH_CHECKPOINT_DIR"


def checkpoint_dir():
    """The folder for this run's checkpoints, created if missing: LABBENCH_CHECKPOINT_DIR, which
    Labbench sets to the run's ./checkpoints (kept and listed with the run like ./outputs, and
    where a resumed attempt finds them), else ./checkpoints beside ./outputs."""
    folder = os.environ.get(CHECKPOINT_DIR_ENV) or os.path.join(run_root(), "checkpoints")
    os.makedirs(folder, exist_ok=True)
    return folder


def _inside(path, folder):
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def safe_destination(name, default_folder="outputs"):
    """Where the file `name` of a run goes: below outputs/ (or logs/ when the name starts with
    "logs/"; a leading "outputs/" is accepted as Azure ML scripts write it). Raises ValueError
    for an empty or absolute name, a ".." part, or a path leading out through a link."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError("upload name must be a non-empty relative path such as 'model.pkl'")
    if "\0" in name:
        raise ValueError("upload name %r contains a NUL character" % (name,))
    normalized = name.replace("\\", "/")
    if normalized.startswith("/") or os.path.isabs(name) or re.match(r"^[A-Za-z]:", normalized):
        raise ValueError("upload name %r is absolute; give a path relative to outputs/, "
                         "such as 'model.pkl'" % (name,))
    parts = [p for p in normalized.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ValueError("upload name %r leads out of the run's folder with '..'; give a path "
                         "relative to outputs/, such as 'model.pkl'" % (name,))
    if not parts:
        raise ValueError("upload name %r names no file" % (name,))
    if parts[0] in ("outputs", "logs", "checkpoints") and len(parts) > 1:
        folder, parts = parts[0], parts[1:]
    else:
        folder = default_folder
    base = os.path.join(run_root(), folder)
    destination = os.path.join(base, *parts)
    os.makedirs(os.path.dirname(destination), exist_ok=True)
    if not _inside(os.path.dirname(destination), base) or os.path.islink(destination):
        raise ValueError("upload name %r leads out of the run's %s folder through a link"
                         % (name, folder))
    return destination


def relative_to_root(path):
    return os.path.relpath(path, run_root()).replace(os.sep, "/")


def store_file(name, path_or_stream):
    """Copies a file (a path) or the bytes of a stream into the run; returns its path relative to
    the run's working folder, e.g. "outputs/model.pkl"."""
    destination = safe_destination(name)
    if hasattr(path_or_stream, "read"):
        data = path_or_stream.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(destination, "wb") as f:
            f.write(data)
    else:
        source = os.fspath(path_or_stream)
        if not os.path.isfile(source):
            raise ValueError("cannot upload %r: no such file" % (source,))
        if os.path.exists(destination) and os.path.samefile(source, destination):
            return relative_to_root(destination)  # already in place (written to ./outputs)
        shutil.copyfile(source, destination)
    return relative_to_root(destination)


_image_counter = {}


def store_image(name, path=None, plot=None):
    """Puts an image into logs/images/ and returns its path relative to the run's folder. `path`
    is an image file; `plot` is anything with savefig() (matplotlib.pyplot or a Figure)."""
    if (path is None) == (plot is None):
        raise ValueError("log_image needs exactly one of path= or plot=")
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", str(name)).strip("._") or "image"
    count = _image_counter.get(safe, 0)
    _image_counter[safe] = count + 1
    extension = ".png" if plot is not None else (os.path.splitext(os.fspath(path))[1] or ".png")
    suffix = "" if count == 0 else "_%d" % count
    folder = os.path.join(run_root(), "logs", "images")
    os.makedirs(folder, exist_ok=True)
    destination = os.path.join(folder, "%s_%d%s%s" % (safe, os.getpid(), suffix, extension))
    if plot is not None:
        plot.savefig(destination)
    else:
        shutil.copyfile(os.fspath(path), destination)
    return relative_to_root(destination)
