"""The run folder: where it goes, and how its files are written without ever lying.

A run folder holds ``history.csv``, the pictures and ``run.json``. Each file is
written under a temporary name and renamed into place, and ``run.json`` comes
last: a folder with a run.json always holds the files it lists. A new default
folder is created exclusively, so two runs started in the same second get two
folders; an existing non-empty folder is only reused with ``force``.
"""

import contextlib
import csv
import io
import json
import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lossplay.errors import LossplayError

RUNS_DIR = "runs"
# for each kind of folder, the file that says what it holds (written last) and the other files it can hold;
# a folder of any kind may also hold report.html, a handout made from them and out of date once they change
KIND_FILES = {
    "run.json": ("history.csv", "loss_curve.png", "fit.png", "animation.gif"),
    "compare.json": ("compare.png", "compare.gif"),
    "landscape.json": ("landscape.png", "landscape.gif"),
    "lr_find.json": ("lr_find.png",),
}


@dataclass(frozen=True)
class Previous:
    """What a folder held before it is written over: its kinds (their marker files) and, for a
    comparison, the folders of its runs."""

    kinds: tuple = ()
    run_dirs: tuple = ()


def timestamp(moment):
    """YYYYmmdd-HHMMSS, the start of a default run folder's name."""
    return moment.strftime("%Y%m%d-%H%M%S")


def check_destination(out, force=False):
    """Refuse, before any training, an --out that cannot hold a run; returns it as a Path."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise LossplayError(f"--out '{out}' is a file; give the path of a folder.")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise LossplayError(
            f"--out '{out}' already holds files; choose another folder or add --force to replace the run there."
        )
    parent = path if path.is_dir() else _existing_parent(path)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise LossplayError(f"Cannot write to '{parent}': permission denied. Choose another --out.")
    return path


def _existing_parent(path):
    parent = path.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise LossplayError(f"Cannot create '{path}': '{parent}' is a file.")
    return parent


def new_folder(name, base=RUNS_DIR):
    """Create and return base/name, or base/name-2, -3, ... if that name is taken."""
    base = Path(base)
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LossplayError(f"Cannot create the runs folder '{base}': {e.strerror}.") from None
    for attempt in range(1, 1000):
        folder = base / (name if attempt == 1 else f"{name}-{attempt}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        except OSError as e:
            raise LossplayError(f"Cannot create the run folder '{folder}': {e.strerror}.") from None
        return folder
    raise LossplayError(f"Too many runs named '{name}' in '{base}'.")


def open_folder(out, force=False):
    """Create --out (checked again, in case it changed during training) and return it."""
    path = check_destination(out, force)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LossplayError(f"Cannot create the run folder '{path}': {e.strerror}.") from None
    return path


def write_atomic(path, data):
    """Write bytes or text to ``path`` through a temporary file and a rename."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise LossplayError(f"Cannot write '{path}': {e.strerror}.") from None


def plain(value):
    """A JSON-ready copy: numpy arrays and numbers become lists and floats; NaN and infinity become None."""
    if isinstance(value, dict):
        return {key: plain(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    return value


def to_json(document):
    """Indented JSON text of a document (see ``plain``)."""
    return json.dumps(plain(document), indent=2) + "\n"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def history_csv(columns, rows):
    """history.csv as text: a header, then one row per epoch; empty cells for missing values."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in columns])
    return text.getvalue()


def retire(folder):
    """Before a folder is written over (--force): note what it holds, then remove the files that say so
    (run.json, compare.json, ... and report.html), so that it never claims to hold a finished run,
    comparison, landscape or test while its files are being replaced. Returns a ``Previous``."""
    folder = Path(folder)
    kinds = tuple(marker for marker in KIND_FILES if (folder / marker).is_file())
    run_dirs = ()
    if "compare.json" in kinds:
        try:
            runs = json.loads((folder / "compare.json").read_text(encoding="utf-8")).get("runs", [])
            names = [r.get("dir") for r in runs if isinstance(r, dict)]
            # only plain names of sub-folders: never a path that leads out of the folder
            run_dirs = tuple(name for name in names if isinstance(name, str) and name not in ("", ".", "..")
                             and Path(name).name == name)
        except (OSError, ValueError, AttributeError):
            run_dirs = ()
    for name in (*kinds, "report.html") if kinds else ():
        (folder / name).unlink(missing_ok=True)
    return Previous(kinds, run_dirs)


@contextlib.contextmanager
def cleanup_on_failure(folder, fresh):
    """Remove a folder this run created if writing it fails (a full disk, Ctrl-C): no half-written runs."""
    try:
        yield
    except BaseException:
        if fresh:
            shutil.rmtree(folder, ignore_errors=True)
        raise


def remove_stale(folder, written, previous):
    """With --force: remove what the folder held before (``previous``, from ``retire``) that this writing
    did not write again: the files of its earlier kinds and a comparison's run folders. Files lossplay
    did not write are left alone."""
    folder = Path(folder)
    for marker in previous.kinds:
        for name in (marker, *KIND_FILES[marker]):
            if name not in written:
                (folder / name).unlink(missing_ok=True)
    for name in previous.run_dirs:
        if name not in written and (folder / name / "run.json").is_file():
            shutil.rmtree(folder / name, ignore_errors=True)


def write_new_file(path, data, force=False):
    """Write a single file (a picture), refusing to replace an existing one unless ``force``."""
    path = Path(path)
    if path.is_dir():
        raise LossplayError(f"'{path}' is a folder; give the name of a file to write.")
    if path.exists() and not force:
        raise LossplayError(f"'{path}' already exists; add --force to replace it, or choose another --out.")
    _existing_parent(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
