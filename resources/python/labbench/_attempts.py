"""The attempt contract, on the script's side: a run resumed or requeued runs the same script
again under the same run (attempt N >= 2).

- checkpoint_saved(path, step) appends {"type": "checkpoint", "path", "step", "time"} once a
  checkpoint file is complete: a later attempt keeps the points logged before that line and
  supersedes those logged after it.
- resume_checkpoint() is LABBENCH_RESUME_CHECKPOINT, which Labbench sets for a later attempt to
  the last checkpoint the run reported (or its checkpoints folder), or None.
- kept_steps() is how many points of each metric the run keeps from its earlier attempts, so
  that labbench.log() without a step goes on where the kept points end.
- kept_records() is the stream without the points a later attempt superseded, for get_metrics().
"""

import os

from . import _stream

ATTEMPT_ENV = "LABBENCH_ATTEMPT"
RESUME_CHECKPOINT_ENV = "LABBENCH_RESUME_CHECKPOINT"


def attempt():
    """This run's attempt number: 1, or N >= 2 for a resumed or requeued one."""
    try:
        return max(1, int(os.environ.get(ATTEMPT_ENV, "1")))
    except ValueError:
        return 1


def resume_checkpoint():
    """The checkpoint (a file, or a folder of them) this attempt should go on from, or None for
    a first attempt and for one whose run reported no checkpoint."""
    return os.environ.get(RESUME_CHECKPOINT_ENV) or None


def checkpoint_saved(path, step=None):
    """Reports a complete checkpoint file at `path` (call it after the file is renamed into
    place). `step` is where training is, when the script counts steps."""
    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
        raise ValueError("checkpoint_saved needs the checkpoint's path, not %r" % (path,))
    record = {"type": "checkpoint", "path": os.fspath(path)}
    if step is not None:
        if isinstance(step, bool) or int(step) != step or step < 0:
            raise ValueError("step must be a whole number of at least 0, not %r" % (step,))
        record["step"] = int(step)
    _stream.write(record)


def kept_steps(path=None):
    """{metric name: the step after its last kept point} from the earlier attempts' records, as
    the store keeps them: at each attempt marker the points after the last checkpoint marker
    are dropped. Empty for a first attempt."""
    if attempt() < 2:
        return {}
    kept, at_checkpoint = {}, {}
    for record in _stream.read(path):
        kind = record.get("type", "metric")
        if kind == "checkpoint":
            at_checkpoint = dict(kept)
        elif kind == "attempt":
            kept = dict(at_checkpoint)
        elif kind in ("metric", "text") and isinstance(record.get("name"), str):
            step = record.get("step")
            if isinstance(step, int) and not isinstance(step, bool):
                name = record["name"]
                kept[name] = max(kept.get(name, 0), step + 1)
    return kept


def _is_point(record):
    return record.get("type", "metric") in ("metric", "text")


def kept_records(records):
    """The stream's records, in order, without the points a later attempt superseded: at each
    attempt marker the points logged after the last checkpoint marker (all earlier points when
    there is none) are dropped, as the store marks them superseded and kept_steps() counts them.
    Every other record (markers, rows, tables, images, tags) is kept."""
    kept, at_checkpoint = [], 0
    for record in records:
        kind = record.get("type", "metric")
        if kind == "checkpoint":
            at_checkpoint = len(kept)
        elif kind == "attempt":
            kept[at_checkpoint:] = [r for r in kept[at_checkpoint:] if not _is_point(r)]
        kept.append(record)
    return kept
