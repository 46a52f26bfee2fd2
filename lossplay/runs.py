"""The run folder: where it goes, what lossplay may replace there, and the one transaction that writes it.

Every command that leaves files (train, compare, demo, landscape, lr-find,
report, losses --plot, lesson --handout) writes them with ``write_folder``,
in three steps:

1. The checks, also made by ``check_destination`` before any training. An
   existing non-empty folder is refused without ``force``. With it, a name
   about to be written may replace only a file that lossplay wrote there: one
   that a marker of that folder (run.json, landscape.json, lr_find.json and
   a handout's lesson.json in their "files"; compare.json: its pictures and,
   in "runs", its run folders) lists, a report.html that lossplay made, or a
   file the user named. Anything else is an error, and nothing has been
   touched.
2. The staging. Every new file is written and fsynced in a hidden folder with
   a random name, made exclusively (beside a new folder, inside an existing
   one); each file is created exclusively, never through a symbolic link. A
   full disk, or a second Ctrl-C, fails here: the staging folder goes and the
   old folder is as it was.
3. The swap, with Ctrl-C and SIGTERM held off. The old files lossplay wrote
   are moved aside (the markers first), the new ones are renamed into place
   (each marker last), then the old ones are deleted, and the old run folders
   of a comparison are removed when nothing else is left in them. A rename that
   fails puts everything back. A new folder is a single rename, so it appears
   under its final name whole; two runs started in the same second get two
   folders.

Files lossplay did not write are never replaced, moved or removed.
"""

import csv
import errno
import io
import json
import math
import os
import secrets
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lossplay.errors import LossplayError, spell
from lossplay.interrupt import graceful_interrupt, held_signals
from lossplay.version import __version__

RUNS_DIR = "runs"
# the file that says what a folder holds, for each kind of folder
MARKERS = ("run.json", "compare.json", "landscape.json", "lr_find.json", "lesson.json")
# compare.json names no "files": these are the pictures a comparison writes beside it
COMPARE_FILES = ("compare.png", "compare.gif")
REPORT_FILE = "report.html"
# the report's page carries this line in its head, so that lossplay knows a report.html as its own
GENERATOR_META = f'<meta name="generator" content="lossplay {__version__}">'
_GENERATOR_MARK = b'<meta name="generator" content="lossplay '
# the start of the hidden names of staging folders and of old files set aside
TEMPORARY = ".lossplay-"
_LARGEST_MARKER = 256 * 2**20


@dataclass
class Contents:
    """What a folder is to hold.

    ``marker`` is the file that says what the folder is (run.json, ...), written
    last with ``document`` as its JSON; None for loose files (a report, a
    picture) added to any folder. ``files`` maps a name to bytes, text, or a
    callable that returns them, called while the folder is written (so pictures
    are drawn inside the transaction); None where only the names matter
    (``check_destination``). ``folders`` maps a sub-folder's name to its own
    ``Contents`` (a comparison's runs).
    """

    marker: str | None = None
    document: dict | None = None
    files: dict = field(default_factory=dict)
    folders: dict = field(default_factory=dict)

    def names(self):
        """The names of this folder's files, the marker last."""
        return [*self.files, *([self.marker] if self.marker else [])]


@dataclass
class Destination:
    """A checked destination: the folder, whether it exists and, for an existing one, the relative paths
    of lossplay's old files to set aside (markers first) and of old run folders to remove once empty."""

    path: Path
    exists: bool
    aside: list = field(default_factory=list)
    emptied: list = field(default_factory=list)


def timestamp(moment):
    """YYYYmmdd-HHMMSS, the start of a default run folder's name."""
    return moment.strftime("%Y%m%d-%H%M%S")


# -- what lossplay wrote in a folder ---------------------------------------------------------------


@dataclass
class _Found:
    listed: set
    run_dirs: set


def _mode(path):
    """The file type and mode of ``path`` itself (a link is not followed), or None when nothing is there."""
    try:
        return os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None


def _plain_name(name):
    """True for the bare name of an entry of the folder: never a path that leads elsewhere."""
    return (isinstance(name, str) and name not in ("", ".", "..") and not name.startswith(TEMPORARY)
            and not any(c in name for c in "/\\\0"))


def _marker_document(path):
    """The JSON object of a lossplay marker at ``path``, or None when there is none or it is not lossplay's
    (a link, not JSON, or without the "files" of run.json and its kin, or the "runs" of compare.json)."""
    mode = _mode(path)
    if mode is None or not stat.S_ISREG(mode) or os.lstat(path).st_size > _LARGEST_MARKER:
        return None
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict):
        return None
    key, kind = ("runs", list) if Path(path).name == "compare.json" else ("files", dict)
    return document if isinstance(document.get(key), kind) else None


def is_lossplay_report(path):
    """True when ``path`` is a plain file holding a page that lossplay's report wrote (it carries
    ``GENERATOR_META``)."""
    mode = _mode(path)
    if mode is None or not stat.S_ISREG(mode):
        return False
    try:
        with open(path, "rb") as f:
            return _GENERATOR_MARK in f.read(4096)
    except OSError:
        return False


def _survey(folder):
    """What lossplay wrote in ``folder``, by its markers: their names and the files they list (with
    report.html when it is lossplay's own), and the run folders that a compare.json there names."""
    listed, run_dirs = set(), set()
    for marker in MARKERS:
        document = _marker_document(folder / marker)
        if document is None:
            continue
        listed.add(marker)
        files = document.get("files")
        names = files.values() if isinstance(files, dict) else COMPARE_FILES if marker == "compare.json" else ()
        listed.update(name for name in names if _plain_name(name))
        if marker == "compare.json":
            run_dirs.update(run.get("dir") for run in document["runs"]
                            if isinstance(run, dict) and _plain_name(run.get("dir")))
    if listed and is_lossplay_report(folder / REPORT_FILE):
        listed.add(REPORT_FILE)
    return _Found(listed, run_dirs)


# -- the checks ----------------------------------------------------------------------------------------


def _existing_parent(path):
    parent = path.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise LossplayError(f"Cannot create '{path}': '{parent}' is a file.")
    return parent


def _check_writable(folder):
    if not os.access(folder, os.W_OK | os.X_OK):
        raise LossplayError(f"Cannot write to '{folder}': permission denied. Choose another {spell('out')}.")


def _not_lossplays(path):
    return (f"'{path}' was not written by lossplay (no run.json, compare.json, landscape.json, lr_find.json or "
            f"lesson.json beside it lists it), and {spell('force', True)} replaces only lossplay's own files: move it "
            f"away or choose another {spell('out')}.")


def _old_files(folder, found, keep=(), keep_folders=()):
    """Relative paths of what lossplay wrote in ``folder`` that ``keep`` does not name again (the files its
    markers list and, inside its old run folders, theirs), and of those run folders, to remove once empty."""
    aside = [name for name in sorted(found.listed - set(keep))
             if (mode := _mode(folder / name)) is not None and not stat.S_ISDIR(mode)]
    emptied = []
    for name in sorted(found.run_dirs - set(keep_folders)):
        mode = _mode(folder / name)
        if mode is not None and stat.S_ISDIR(mode):
            inner, inner_emptied = _old_files(folder / name, _survey(folder / name))
            aside += [f"{name}/{path}" for path in inner]
            emptied += [*(f"{name}/{path}" for path in inner_emptied), name]
    return aside, emptied


def _plan(folder, contents, force, named=frozenset()):
    """Check that ``contents`` can be written into the existing ``folder``; returns (aside, emptied): the
    relative paths of lossplay's old files to set aside (those replaced and, for a folder with a marker,
    those it no longer holds) and of old run folders to remove once empty."""
    found = _survey(folder)
    aside, emptied = [], []
    for name in contents.names():
        path = folder / name
        mode = _mode(path)
        if mode is None:
            continue
        if stat.S_ISDIR(mode):
            raise LossplayError(f"'{path}' is a folder, where lossplay would write a file: move it away or "
                                f"choose another {spell('out')}.")
        if not force:
            raise LossplayError(f"'{path}' already exists; add {spell('force', True)} to replace it, or choose "
                                f"another {spell('out')}.")
        if name not in found.listed and name not in named:
            raise LossplayError(_not_lossplays(path))
        aside.append(name)
    for name, sub in contents.folders.items():
        path = folder / name
        mode = _mode(path)
        if mode is None:
            continue
        if not stat.S_ISDIR(mode):
            raise LossplayError(f"'{path}' is not a folder, and lossplay would write the run folder '{name}' "
                                f"there: move it away or choose another {spell('out')}.")
        inner, inner_emptied = _plan(path, sub, force)
        aside += [f"{name}/{p}" for p in inner]
        emptied += [f"{name}/{p}" for p in inner_emptied]
    if contents.marker is not None:
        old, old_emptied = _old_files(folder, found, contents.names(), contents.folders)
        aside += old
        emptied += old_emptied
    return aside, emptied


def _aside_order(relative):
    """Markers first, the folder's own before its sub-folders', so that no folder claims to be whole while
    its files are changing."""
    return Path(relative).name not in MARKERS, relative.count("/"), relative


def _destination(out, contents, force, named, ignore=()):
    path = Path(out)
    if not path.exists():
        if os.path.lexists(path):
            raise LossplayError(f"'{path}' is a link to nothing; give the path of a folder as {spell('out')}.")
        _check_writable(_existing_parent(path))
        return Destination(path, exists=False)
    if not path.is_dir():
        if contents.marker is None:
            raise LossplayError(f"'{path}' is a file, not a folder: choose another {spell('out')}.")
        raise LossplayError(f"{spell('out')} '{out}' is a file; give the path of a folder.")
    if contents.marker is not None and not force and any(p.name not in ignore for p in path.iterdir()):
        raise LossplayError(
            f"{spell('out')} '{out}' already holds files; choose another folder or add {spell('force', True)} to "
            "replace the run there."
        )
    _check_writable(path)
    aside, emptied = _plan(path, contents, force, frozenset(named))
    emptied.sort(key=lambda relative: -relative.count("/"))
    return Destination(path, True, sorted(aside, key=_aside_order), emptied)


def check_destination(out, contents, *, force=False, named=()):
    """Check, before any work, that ``contents`` (see ``Contents``) can be written to the folder ``out``,
    and return the ``Destination`` (None for ``out`` None: a new folder under runs/ needs no check); a
    problem raises ``LossplayError`` with what to do about it.

    ``force`` allows an existing non-empty folder, and replacing there the files that lossplay wrote;
    ``named`` are names of files the user gave, which ``force`` may replace whoever wrote them.
    """
    return None if out is None else _destination(out, contents, force, named)


# -- the staging ---------------------------------------------------------------------------------------


def _make_folder(path, what="folder"):
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LossplayError(f"Cannot create the {what} '{path}': {e.strerror}.") from None


def _new_temporary(parent, prefix):
    """A new empty folder with a random name in ``parent``, made exclusively (never an existing one, never
    through a link)."""
    for _ in range(100):
        path = Path(parent) / f"{prefix}{secrets.token_hex(8)}"
        try:
            os.mkdir(path, 0o777)
        except FileExistsError:
            continue
        except OSError as e:
            raise LossplayError(f"Cannot write to '{parent}': {e.strerror}.") from None
        return path
    raise LossplayError(f"Cannot write to '{parent}': no free temporary name.")


def _write_all(fd, data):
    """Write all of ``data`` to the open file ``fd``."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _create(path, data):
    """Create the file ``path`` exclusively (never an existing file, never through a link), write ``data``
    and fsync it."""
    flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_BINARY", 0))
    fd = os.open(path, flags, 0o666)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(path):
    """Make a folder's entries (new names, renames) durable, where the system allows it."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _content(value):
    """A file's content as bytes: bytes, text, or what a callable returns."""
    value = value() if callable(value) else value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"a file's content must be bytes or text, not {type(value).__name__}")


def _stage(staging, contents, final):
    """Write every file of ``contents`` into the new folder ``staging`` (sub-folders too, each marker last)
    and fsync them; ``final`` is where the folder is going, for messages."""
    items = [*contents.files.items(), *contents.folders.items()]
    if contents.marker is not None:
        items.append((contents.marker, to_json(contents.document)))
    for name, value in items:
        try:
            if isinstance(value, Contents):
                os.mkdir(staging / name, 0o777)
                _stage(staging / name, value, final / name)
            else:
                _create(staging / name, _content(value))
        except OSError as e:
            raise LossplayError(f"Cannot write '{final / name}': {e.strerror or e}.") from None
    _fsync_folder(staging)


# -- the swap ------------------------------------------------------------------------------------------


def _rename(source, target, done):
    """Rename ``source`` to ``target``, which must not exist (nothing is replaced here), and note it."""
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, "it appeared while lossplay was writing", str(target))
    os.rename(source, target)
    done.append((source, target))


def _install(staging, folder, contents, done):
    """Rename the staged files into ``folder``: the files, the sub-folders (a new one whole, into an existing
    one file by file), and the marker last."""
    for name in contents.files:
        _rename(staging / name, folder / name, done)
    for name, sub in contents.folders.items():
        mode = _mode(folder / name)
        if mode is not None and stat.S_ISDIR(mode):
            _install(staging / name, folder / name, sub, done)
        else:
            _rename(staging / name, folder / name, done)
    if contents.marker is not None:
        _rename(staging / contents.marker, folder / contents.marker, done)
    _fsync_folder(folder)


def _undo(done):
    """Rename back what ``done`` lists, last first; False when a rename back fails."""
    for source, target in reversed(done):
        try:
            os.rename(target, source)
        except OSError:
            return False
    return True


def _swap_into(destination, staging, contents):
    """Set lossplay's old files aside, rename the staged ones into the existing folder, then delete the
    old ones and the emptied old run folders. A rename that fails puts everything back."""
    folder = destination.path
    done, aside = [], None
    try:
        if destination.aside:
            aside = _new_temporary(folder, f"{TEMPORARY}old-")
            for relative in destination.aside:
                (aside / relative).parent.mkdir(parents=True, exist_ok=True)
                _rename(folder / relative, aside / relative, done)
        _install(staging, folder, contents, done)
    except OSError as e:
        where = f" ({e.filename})" if e.filename else ""
        if _undo(done):
            if aside is not None:
                shutil.rmtree(aside, ignore_errors=True)
            raise LossplayError(f"Cannot replace the files in '{folder}': {e.strerror or e}{where}; the "
                                "folder is as it was.") from None
        raise LossplayError(f"Cannot replace the files in '{folder}': {e.strerror or e}{where}, nor put the "
                            f"old ones back: lossplay's old files are in '{aside}'.") from None
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    for relative in destination.emptied:
        try:
            os.rmdir(folder / relative)
        except OSError:  # it holds files that are not lossplay's: it stays
            pass


def _swap_new(staging, path):
    """Rename the staged folder to ``path``, which must not exist."""
    try:
        _rename(staging, path, [])
    except OSError as e:
        raise LossplayError(f"Cannot create '{path}': {e.strerror or e}; run the command again.") from None
    _fsync_folder(path.parent)
    return path


def _swap_default(staging, base, name):
    """Rename the staged folder to base/name, or base/name-2, -3, ... when that name is taken."""
    for attempt in range(1, 1000):
        candidate = base / (name if attempt == 1 else f"{name}-{attempt}")
        try:
            _rename(staging, candidate, [])
        except OSError as e:
            if e.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR):
                continue
            raise LossplayError(f"Cannot create '{candidate}': {e.strerror or e}.") from None
        _fsync_folder(base)
        return candidate
    raise LossplayError(f"Too many runs named '{name}' in '{base}'.")


def write_folder(out, contents, *, force=False, default_name=None, named=(), base=RUNS_DIR):
    """Write ``contents`` (see ``Contents``) to the folder ``out`` in one transaction, as the module's
    docstring tells, and return the folder's path.

    ``out`` None means a new folder ``base/default_name`` (``-2``, ``-3``, ... when the name is taken).
    ``force`` allows an existing non-empty folder, replacing there only lossplay's own files; ``named`` are
    names of files the user gave, which ``force`` may replace whoever wrote them. A first Ctrl-C or SIGTERM
    while writing is ignored, so that the folder is finished; a second one abandons it: the old folder is
    left as it was, and a new one does not appear.
    """
    with graceful_interrupt():
        if out is None:
            base = Path(base)
            _make_folder(base, "runs folder")
            destination, final, parent, prefix = None, base / default_name, base, f".{default_name}{TEMPORARY}"
        else:
            destination = check_destination(out, contents, force=force, named=named)
            final = destination.path
            if not destination.exists:
                _make_folder(final.parent)
            parent = final if destination.exists else final.parent
            prefix = f"{TEMPORARY}new-" if destination.exists else f".{final.name}{TEMPORARY}"
        staging = _new_temporary(parent, prefix)
        placed = False  # the staging folder itself became the folder
        try:
            _stage(staging, contents, final)
            with held_signals():
                if destination is None:
                    final = _swap_default(staging, base, default_name)
                    placed = True
                    return final
                # again: the folder may have changed while the pictures were drawn
                again = _destination(out, contents, force, named, ignore={staging.name})
                if again.exists != destination.exists:
                    raise LossplayError(f"'{final}' was created or removed while lossplay was writing it; run "
                                        "the command again.")
                if not again.exists:
                    _swap_new(staging, final)
                    placed = True
                    return final
                _swap_into(again, staging, contents)
                return final
        finally:
            if not placed:
                shutil.rmtree(staging, ignore_errors=True)


def write_file(path, content, *, force=False):
    """Write the one file ``path`` that the user asked for (a report, a picture) with ``write_folder``; an
    existing file there is replaced only with ``force``. ``content`` may be a callable, called once the
    checks have passed. Returns the path."""
    path = Path(path)
    write_folder(path.parent, Contents(files={path.name: content}), force=force, named={path.name})
    return path


# -- the files' contents -------------------------------------------------------------------------------


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
