"""Datasets: the built-in generators, the shipped CSV files and the user's own CSVs.

Every dataset ends up as a ``Dataset``: a float64 feature matrix X (n x d) and
a target vector y, float64 for regression and int64 class indices 0..k-1 for
classification, with the names of its features, target and classes.
Generated datasets are drawn from a seeded generator, so the same seed gives
the same rows; the linear ones also record the true parameters they were
drawn from.

A file of the user's own is read as it comes: cells separated by commas,
semicolons, tabs or runs of spaces; a first line of numbers is data, not a
header (its columns are then named x1, x2, ..., and y for the last); the
columns to learn from can be chosen (``features``) or left out (``drop``).
"""

import collections
import csv
import io
import math
import shlex
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lossplay.config import coerce, parse_list
from lossplay.errors import LossplayError, did_you_mean, spell, spelling_flags
from lossplay.inputs import MB, STDIN, read_bytes
from lossplay.seeding import stream
from lossplay.terminal import printable

TASKS = ("regression", "binary", "multiclass")


@dataclass(frozen=True)
class Dataset:
    """A table of features X (n x d) and targets y, with the names that go with them."""

    name: str
    X: np.ndarray
    y: np.ndarray
    feature_names: tuple
    target_name: str
    task: str
    classes: tuple | None = None
    true_params: dict | None = None
    source: str = "generated"
    true_curve: tuple | None = None
    notes: tuple = ()

    @property
    def n_rows(self):
        return self.X.shape[0]

    @property
    def n_features(self):
        return self.X.shape[1]

    @property
    def n_classes(self):
        return None if self.classes is None else len(self.classes)

    def __repr__(self):
        def first(names, k):
            return ", ".join(names[:k]) + (", ..." if len(names) > k else "")

        classes = "" if self.classes is None else f" ({first(self.classes, 5)})"
        return printable(f"<Dataset {self.name}: {self.n_rows} rows x {self.n_features} features "
                         f"({first(self.feature_names, 4)}), target {self.target_name}, {self.task}{classes}>")


@dataclass(frozen=True)
class Generator:
    """A built-in dataset drawn from a formula."""

    name: str
    task: str
    n_features: int
    samples: int
    noise: float | None
    good_for: str
    draw: object = field(repr=False)
    fixed: bool = False

    kind = "built-in"

    @property
    def n_rows(self):
        return self.samples


@dataclass(frozen=True)
class Shipped:
    """A real dataset shipped as a CSV file inside the package."""

    name: str
    task: str
    filename: str
    target: str
    n_rows: int
    n_features: int
    good_for: str

    kind = "shipped"


def _linear(samples, noise, rng):
    x = rng.uniform(-3.0, 3.0, size=samples)
    y = 3.0 * x + 2.0 + noise * rng.standard_normal(samples)
    return x[:, None], y, ("x",), {"weights": [3.0], "bias": 2.0}, None


def _valley(samples, noise, rng):
    x = rng.uniform(-30.0, 30.0, size=samples)
    y = 0.3 * x + 4.0 + noise * rng.standard_normal(samples)
    return x[:, None], y, ("x",), {"weights": [0.3], "bias": 4.0}, None


def _multi(samples, noise, rng):
    scales = np.array([1.0, 10.0, 0.5, 3.0, 2.0])
    weights = np.array([2.0, -0.3, 4.0, 1.0, 0.0])
    X = rng.standard_normal((samples, 5)) * scales
    y = X @ weights + 5.0 + noise * rng.standard_normal(samples)
    names = tuple(f"x{j}" for j in range(1, 6))
    return X, y, names, {"weights": weights.tolist(), "bias": 5.0}, None


def _sine_curve(x):
    return np.sin(2 * np.pi * x)


def _sine(samples, noise, rng):
    x = np.sort(rng.uniform(0.0, 1.0, size=samples))
    y = _sine_curve(x) + noise * rng.standard_normal(samples)
    return x[:, None], y, ("x",), None, None


def _clusters(centres, counts, spread, rng):
    X = np.concatenate([c + spread * rng.standard_normal((m, len(c))) for c, m in zip(centres, counts)])
    y = np.repeat(np.arange(len(centres)), counts)
    order = rng.permutation(len(y))
    return X[order], y[order]


def _blobs(samples, noise, rng):
    half = samples // 2
    X, y = _clusters(np.array([[-1.5, -1.0], [1.5, 1.0]]), [samples - half, half], noise, rng)
    return X, y, ("x1", "x2"), None, ("0", "1")


def _imbalanced(samples, noise, rng):
    rare = max(2, round(0.05 * samples))
    X, y = _clusters(np.array([[0.0, 0.0], [2.0, 1.5]]), [samples - rare, rare], noise, rng)
    return X, y, ("x1", "x2"), None, ("0", "1")


def _blobs3(samples, noise, rng):
    centres = np.array([[0.0, 2.0], [-2.0, -1.2], [2.0, -1.2]])
    counts = [samples // 3 + (1 if i < samples % 3 else 0) for i in range(3)]
    X, y = _clusters(centres, counts, noise, rng)
    return X, y, ("x1", "x2"), None, ("0", "1", "2")


_TINY_X = np.array([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5])
_TINY_Y = np.array([1.2, 1.9, 3.1, 3.8, 5.2, 5.9, 7.1, 8.0])


def _tiny(samples, noise, rng):
    return _TINY_X[:, None].copy(), _TINY_Y.copy(), ("x",), {"weights": [2.0], "bias": 1.0}, None


GENERATORS = {
    g.name: g
    for g in (
        Generator("linear", "regression", 1, 200, 1.0,
                  "a straight line y = 3x + 2 plus noise: the first regression", _linear),
        Generator("valley", "regression", 1, 100, 0.5,
                  "y = 0.3x + 4 with x from −30 to 30: unscaled, the cost is a long narrow valley for optimizers",
                  _valley),
        Generator("multi", "regression", 5, 200, 1.0,
                  "5 features on different scales, one useless: standardising, L1 vs L2", _multi),
        Generator("sine", "regression", 1, 30, 0.25,
                  "few noisy points of a sine: overfitting with --poly-degree", _sine),
        Generator("blobs", "binary", 2, 200, 1.0,
                  "two overlapping clouds of points: logistic regression, BCE", _blobs),
        Generator("imbalanced", "binary", 2, 400, 1.0,
                  "about 95% of one class: accuracy that flatters, recall that does not", _imbalanced),
        Generator("blobs3", "multiclass", 2, 300, 1.0,
                  "three clouds of points: softmax regression, CCE", _blobs3),
        Generator("tiny", "regression", 1, len(_TINY_X), None,
                  "8 fixed rows near y = 2x + 1: small enough to follow by hand", _tiny, fixed=True),
    )
}

# the noise-free function behind a 1-feature generated dataset, as (label, function), for the plots
TRUE_CURVES = {"sine": ("true curve: y = sin(2πx)", _sine_curve)}

SHIPPED = {
    s.name: s
    for s in (
        Shipped("iris", "multiclass", "iris.csv", "species", 150, 4,
                "Fisher's irises, 3 species from 4 flower measurements: real multi-class data"),
        Shipped("breast_cancer", "binary", "breast_cancer.csv", "diagnosis", 569, 30,
                "tumour measurements, malignant (1) or benign (0): real binary data, many features"),
        Shipped("diabetes", "regression", "diabetes.csv", "progression", 442, 10,
                "disease progression after one year from 10 measurements: real, noisy regression"),
    )
}

CATALOG = {**GENERATORS, **SHIPPED}


def default_for_task(task):
    """The built-in dataset a loss of this task uses when none is named."""
    return {"regression": "linear", "binary": "blobs", "multiclass": "blobs3"}[task]


def catalog_name(name):
    """The catalog's name of a built-in or shipped dataset written in any case ('Iris' -> 'iris'); any other
    name (a path, an unknown name) as it is."""
    lower = name.lower()
    return lower if name not in CATALOG and lower in CATALOG and not looks_like_path(name) else name


def looks_like_path(name):
    """A dataset name with a separator or a .csv suffix is a file path, not a built-in name; '-' is standard
    input."""
    return name == STDIN or name.lower().endswith((".csv", ".txt", ".tsv")) or "/" in name or "\\" in name


def load_dataset(name="linear", *, target=None, samples=None, noise=None, seed=0, task=None, drop_missing=False,
                 header=None, features=None, drop=None):
    """Load a built-in or shipped dataset by name (in any case), or a CSV file by path.

    ``samples`` and ``noise`` apply to generated datasets only; ``target``
    to CSV files only (default: the last column). ``task`` forces how a
    CSV's target is read ("regression", "binary" or "multiclass"); by
    default it is inferred: text labels or only 0/1 mean classification.
    ``header`` says whether a file's first line names its columns (None:
    it does unless every cell of it is a number). ``features`` ('a,b': only
    these columns, in this order) or ``drop`` ('c': every column but these)
    choose the feature columns of a file or a shipped dataset.
    """
    origin = "lossplay.load_dataset"
    name = coerce(name, str, f"{origin}: 'name'", path=True)
    target = coerce(target, str, f"{origin}: 'target'", optional=True)
    samples = coerce(samples, int, f"{origin}: 'samples'", optional=True)
    noise = coerce(noise, float, f"{origin}: 'noise'", optional=True)
    seed = coerce(seed, int, f"{origin}: 'seed'")
    task = coerce(task, str, f"{origin}: 'task'", optional=True)
    drop_missing = coerce(drop_missing, bool, f"{origin}: 'drop_missing'")
    header = coerce(header, bool, f"{origin}: 'header'", optional=True)
    features = coerce(features, str, f"{origin}: 'features'", optional=True)
    drop = coerce(drop, str, f"{origin}: 'drop'", optional=True)
    name = catalog_name(name)
    if seed < 0:
        raise LossplayError(f"{spell('seed')} must be >= 0, got {seed}.")
    if task is not None and task not in TASKS:
        raise LossplayError(f"{origin}: 'task' must be one of {', '.join(TASKS)}, got '{task}'.")
    if name in CATALOG:
        _refuse_file_options(name, header, None if name in SHIPPED else (target, features, drop))
    if name in GENERATORS:
        return _generate(GENERATORS[name], samples, noise, stream(seed, "data"))
    for option, value in (("samples", samples), ("noise", noise)):
        if value is not None:
            raise LossplayError(
                f"{spell(option)} applies to generated datasets ({', '.join(GENERATORS)}), not to '{name}'."
            )
    if name in SHIPPED:
        from importlib import resources

        info = SHIPPED[name]
        text = resources.files("lossplay.datasets").joinpath(info.filename).read_text(encoding="utf-8")
        if task is None and target in (None, info.target):
            task = info.task
        return read_csv(text, name=name, target=target or info.target, task=task, source="shipped",
                        features=features, drop=drop)
    if looks_like_path(name) or Path(name).exists():
        return load_csv(name, target=target, task=task, drop_missing=drop_missing, header=header,
                        features=features, drop=drop)
    raise LossplayError(
        f"Unknown dataset '{name}'.{did_you_mean(name, CATALOG)} "
        f"Run 'lossplay datasets' for the list, or give the path of a CSV file."
    )


def _refuse_file_options(name, header, columns):
    """Refuse the options that read a file's columns for a catalog dataset: ``header`` for any, ``columns``
    (target, features, drop) for a generated one (None for a shipped one, whose columns have names)."""
    kind = "a generated dataset" if name in GENERATORS else "a shipped dataset with a header row"
    if header is not None:
        raise LossplayError(f"{spell('header', header)} applies to your own files; '{name}' is {kind}.")
    for option, value in zip(("target", "features", "drop"), columns or ()):
        if value is not None:
            raise LossplayError(f"{spell(option)} applies to CSV files and shipped datasets; '{name}' is {kind} "
                                "(its columns are fixed).")


def _generate(info, samples, noise, rng):
    if info.fixed:
        if samples is not None or noise is not None:
            raise LossplayError(f"The '{info.name}' dataset is fixed: {spell('samples')} and {spell('noise')} do not "
                                "apply.")
    else:
        samples = info.samples if samples is None else samples
        noise = info.noise if noise is None else noise
        if samples < 4:
            raise LossplayError(f"{spell('samples')} must be at least 4, got {samples}.")
        if noise < 0:
            raise LossplayError(f"{spell('noise')} must be >= 0, got {noise}.")
    with np.errstate(over="ignore", invalid="ignore"):
        X, y, features, true_params, classes = info.draw(samples, noise, rng)
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise LossplayError(f"{spell('noise')} {noise:g} is too large: the generated values overflow float64. "
                            f"Choose a smaller {spell('noise')} (the dataset's own is {info.noise:g}).")
    if classes is not None:
        y = y.astype(np.int64)
    curve = TRUE_CURVES.get(info.name)
    return Dataset(info.name, np.ascontiguousarray(X, dtype=np.float64), y, features, "y", info.task,
                   classes, true_params, source="generated", true_curve=curve)


MISSING_TOKENS = {"", "na", "n/a", "nan", "null", "none", "?", "-", "--"}


# the largest CSV file (or standard input) lossplay reads: 200 MB is far beyond a classroom dataset, and
# its table of float64 numbers (up to four times the text) still fits in memory
MAX_CSV_BYTES = 200 * MB
# the largest labels read as numbers: every whole number below 2**53 is exact in float64 (and int64)
EXACT_LABELS = 2.0**53


@dataclass(frozen=True)
class Header:
    """The names of a file's columns: read from its first line, or numbered when that line is data.

    ``read`` is True when the first line holds the names (the data starts on line 2); ``forced`` when
    ``header`` said whether it does; ``notes`` explain a name lossplay gave to a column the header left
    unnamed.
    """

    names: tuple
    read: bool
    forced: bool = False
    notes: tuple = ()

    @property
    def first_data_line(self):
        return 2 if self.read else 1


def load_csv(path, *, target=None, task=None, drop_missing=False, header=None, features=None, drop=None):
    """Read a CSV file ('-' for standard input), with or without a header row; see ``read_csv``.

    The file is read once, whole (at most ``MAX_CSV_BYTES``), and parsed from
    memory: a file of plain numbers by numpy in one pass; anything else (text
    labels, missing cells, a stray word) by ``read_csv``, which finds and names
    the problem.
    """
    name = "stdin" if str(path) == STDIN else str(path)
    content = read_bytes(path, what="Dataset file", kind="CSV", limit=MAX_CSV_BYTES,
                         smaller="give lossplay a sample of its rows.")
    try:
        first = _first_line(content).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LossplayError(f"Dataset file '{path}' is not UTF-8 text; save it as a UTF-8 CSV.") from None
    delimiter = _sniff_delimiter(first)
    columns = _columns(first, delimiter, name, header)
    if columns is not None and len(columns.names) >= 2:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "empty input file": handled below
                rows = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline=None)
                table = np.loadtxt(rows, delimiter=delimiter, skiprows=1 if columns.read else 0, ndmin=2,
                                   quotechar='"', comments=None, dtype=np.float64)
        except (ValueError, UnicodeDecodeError):
            table = None
        if table is not None and table.shape[0] > 0 and table.shape[1] == len(columns.names):
            dataset = _from_numbers(table, columns, name=name, target=target, task=task, drop_missing=drop_missing,
                                    features=features, drop=drop)
            if dataset is not None:
                return dataset
            del table
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LossplayError(f"Dataset file '{path}' is not UTF-8 text; save it as a UTF-8 CSV.") from None
    del content
    return read_csv(text, name=name, target=target, task=task, source="csv", drop_missing=drop_missing,
                    header=header, features=features, drop=drop)


def _first_line(content):
    """The bytes of the first line (without its end: \\n, \\r\\n or \\r)."""
    ends = [i for i in (content.find(b"\n"), content.find(b"\r")) if i >= 0]
    return content[:min(ends)] if ends else content


def _sniff_delimiter(first_line):
    """The separator of a CSV from its first line: the most frequent of ',', ';' and tab; None (runs of spaces
    and tabs, as in '6.1101  17.592') when it has none of them but blanks between its cells; else ','."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    if counts[best]:
        return best
    return None if len(first_line.split()) > 1 else ","


def _split_rows(lines, delimiter):
    """The cells of each line: by the CSV rules (quotes included) on ``delimiter``, or split at runs of blanks
    when it is None."""
    if delimiter is None:
        return (line.split() for line in lines)
    return csv.reader(lines, delimiter=delimiter)


def _holds_data(cells):
    """True for a first line that is a row of data, not names: every cell a number or a missing marker, and
    one at least a finite number ('nan,inf' may well be names)."""
    values = [_number(cell) for cell in cells]
    return (all(v is not None or cell.lower() in MISSING_TOKENS for cell, v in zip(cells, values))
            and any(v is not None and math.isfinite(v) for v in values))


def numbered_names(count):
    """The names of the columns of a file without a header row: x1, x2, ..., and y for the last."""
    return (*(f"x{j}" for j in range(1, count)), "y")


def _columns(line, delimiter, name, header=None):
    """The ``Header`` of a file from its first line, or None for an empty line.

    With ``header`` None the first line names the columns unless it holds data (``_holds_data``); the
    columns of a file without names are called ``numbered_names``. A name given twice is an error; a column
    the header leaves unnamed is called column<j> (its position), with a note.
    """
    line = line.lstrip("\ufeff").strip("\r\n")
    if not line.strip():
        return None
    cells = [cell.strip() for cell in next(iter(_split_rows([line], delimiter)))]
    forced = header is not None
    if not (header if forced else not _holds_data(cells)):
        return Header(numbered_names(len(cells)), read=False, forced=forced)
    unnamed = [j for j, cell in enumerate(cells) if not cell]
    notes = ()
    if unnamed:
        for j in unnamed:
            cells[j] = f"column{j + 1}"
        called = ", ".join(cells[j] for j in unnamed)
        notes = (f"The header row of '{name}' leaves {len(unnamed)} column{'s' if len(unnamed) > 1 else ''} "
                 f"without a name: called {called} here ({_setting('drop', cells[unnamed[0]])} leaves "
                 f"{'one' if len(unnamed) > 1 else 'it'} out).",)
    counts = collections.Counter(cells)
    if len(counts) != len(cells):
        twice = min(h for h, count in counts.items() if count > 1)
        raise LossplayError(f"'{name}' names the column '{twice}' twice: give every column its own name.")
    return Header(tuple(cells), read=True, forced=forced, notes=notes)


def _setting(option, column):
    """An option naming a column as its reader would write it: --drop 'sale price' on the command line,
    drop='sale price' from Python."""
    return spell(option, column, text=shlex.quote(column) if spelling_flags() else None)


def _header_notes(columns, target, name):
    """The notes of a file's header: its own (``Header.notes``), or for a file read without a header row the
    names its columns were given."""
    if columns.read:
        return columns.notes
    others = [column for column in columns.names if column != target]
    listed = ", ".join(others) if len(others) <= 6 else f"{', '.join(others[:2])}, ..., {others[-1]}"
    called = f"its columns are called {listed} and the target {target}"
    if columns.forced:
        return (f"'{name}' is read without a header row ({spell('header', False)}): {called}.",)
    return (f"'{name}' has no header row (its first line is numbers): {called}. Add {spell('header', True)} if "
            "that line names them.",)


def _no_column(header, column, name, option=None):
    """The error for a column name the file does not have, with the closest one and the file's columns."""
    shown = ", ".join(header[:20]) + (f", ... ({len(header)} in all)" if len(header) > 20 else "")
    by = f" ({spell(option)})" if option else ""
    return LossplayError(f"'{name}' has no column '{column}'{by}.{did_you_mean(column, header)} Columns: {shown}.")


def _target_index(header, target, name):
    if len(header) < 2:
        raise LossplayError(f"'{name}' has {len(header)} column; it needs at least one feature and a target.")
    if target is None:
        return len(header) - 1
    if target in header:
        return header.index(target)
    raise _no_column(header, target, name)


def _choose_columns(header, target, features, drop, name):
    """(the target's index, the feature columns' indices in order): every column but the target; only those
    ``features`` names, in its order; or every column but those ``drop`` names (both: 'a,b' or a list)."""
    t = _target_index(header, target, name)
    index = {column: j for j, column in enumerate(header)}

    def indices(option, names):
        found = []
        for column in parse_list(names, spell(option)):
            if column not in index:
                raise _no_column(header, column, name, option)
            if index[column] == t:
                raise LossplayError(f"{spell(option)} names '{column}', the target: the features are the other "
                                    f"columns. To learn another column, name it with {spell('target')}.")
            found.append(index[column])
        counts = collections.Counter(found)
        if len(counts) != len(found):
            raise LossplayError(f"{spell(option)} names '{header[counts.most_common(1)[0][0]]}' twice: name each "
                                "column once.")
        return found

    if features is not None:
        return t, indices("features", features)
    left_out = set(indices("drop", drop)) if drop is not None else set()
    chosen = [j for j in range(len(header)) if j != t and j not in left_out]
    if not chosen:
        raise LossplayError(f"{spell('drop')} leaves '{name}' no feature: only its target '{header[t]}' is left.")
    return t, chosen


def _drop(rows_bad, n, name, drop_missing, first):
    """Rows to keep when some hold missing or non-finite values (or an error offering --drop-missing)."""
    count = int(rows_bad.sum())
    if count == 0:
        return None, ()
    if not drop_missing:
        raise LossplayError(
            f"'{name}' has missing or non-finite values in {count} of its {n} rows (the first: {first}). "
            f"Add {spell('drop_missing', True)} to leave those rows out, or fill them in."
        )
    if count == n:
        raise LossplayError(f"'{name}': every row has a missing value, so {spell('drop_missing', True)} leaves "
                            "nothing.")
    note = f"Left out {count} of the {n} rows of '{name}' for missing or non-finite values (--drop-missing)."
    return ~rows_bad, (note,)


def _from_numbers(table, columns, *, name, target, task, drop_missing, features=None, drop=None):
    """A Dataset from a table parsed as numbers (NaN and infinity included), or None when the target's
    labels must be read as written (see ``_target``). Only the columns chosen (``_choose_columns``) are
    checked for missing values and kept."""
    header = columns.names
    t, chosen = _choose_columns(header, target, features, drop, name)
    if task in ("binary", "multiclass"):
        labels = table[:, t]
        if not _exact(labels[np.isfinite(labels)]):
            return None
    used = [*chosen, t]
    bad = np.zeros(table.shape[0], dtype=bool)
    for j in used:
        bad |= ~np.isfinite(table[:, j])
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        j = next(j for j in used if not np.isfinite(table[i, j]))
        first = f"column '{header[j]}' at line {i + columns.first_data_line} holds {table[i, j]}"
        keep, notes = _drop(bad, table.shape[0], name, drop_missing, first)
        table = table[keep]
    else:
        notes = ()
    y, classes, task, label_notes = _target(table[:, t].copy(), None, header[t], name, task,
                                            first_line=columns.first_data_line)
    # with every other column a feature and the target first or last, the features are a view of the table,
    # not a second copy of it
    every_other = len(chosen) == len(header) - 1 and chosen == sorted(chosen)
    X = table[:, 1:] if every_other and t == 0 else table[:, :-1] if every_other and t == len(header) - 1 \
        else table[:, chosen]
    return Dataset(Path(name).stem, X, y,
                   tuple(header[j] for j in chosen), header[t], task, classes, None, source="csv",
                   notes=_header_notes(columns, header[t], name) + notes + label_notes)


def read_csv(text, *, name, target=None, task=None, source="csv", drop_missing=False, header=None, features=None,
             drop=None):
    """Parse CSV text: a header row (unless its first line is data, or ``header`` says so), then one numeric
    column per feature and a target column.

    Cells are separated by the most frequent of ',', ';' and tab on the first
    line, or by runs of blanks when there is none. The target is the column
    named ``target`` (default: the last); the features every other column, or
    those ``features`` names, or all but those ``drop`` names. Text labels in
    the target become classes 0..k-1 in sorted order. Empty cells and the usual
    missing markers (NA, n/a, null, ?) count as missing: an error that offers
    ``drop_missing``, which leaves those rows out. Any other text in a feature
    column is an error naming its column, line and value (and ``drop``).
    """
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise LossplayError(f"'{name}' is empty: a CSV needs at least one row of data (after its header row).")
    delimiter = _sniff_delimiter(lines[0])
    columns = _columns(lines[0], delimiter, name, header)
    if columns is None:
        raise LossplayError(f"'{name}' starts with an empty line: the first line must name the columns, or hold "
                            "the first row of data.")
    header = columns.names
    t, chosen = _choose_columns(header, target, features, drop, name)
    body = lines[1:] if columns.read else lines
    if not body:
        raise LossplayError(f"'{name}' has a header row but no data rows.")
    rows = []
    named_on = "the header" if columns.read else "its first line"
    for i, row in enumerate(_split_rows(body, delimiter)):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line in the middle
        line = i + columns.first_data_line
        if len(row) != len(header):
            found = f"{len(row)} cell{'s' if len(row) != 1 else ''}"
            hint = ""
            if len(row) == 1 and any(d in row[0] for d in (",", ";", "\t") if d != delimiter):
                hint = " (it uses another separator than the header)"
            raise LossplayError(f"'{name}' line {line} has {found} but {named_on} has {len(header)}{hint}.")
        rows.append((line, [cell.strip() for cell in row]))
    if not rows:
        raise LossplayError(f"'{name}' has a header row but no data rows.")
    X = np.empty((len(rows), len(chosen)))
    missing = np.zeros(len(rows), dtype=bool)
    first = None
    for r, (line, row) in enumerate(rows):
        for out, j in enumerate(chosen):
            cell = row[j]
            value = _number(cell)
            if value is None:
                if cell.lower() not in MISSING_TOKENS:
                    raise LossplayError(
                        f"'{name}' column '{header[j]}' line {line} holds '{cell}', which is not a number: "
                        f"features are numbers. Leave the column out with {_setting('drop', header[j])}, or fix "
                        "the cell."
                    )
                value = np.nan
            if not np.isfinite(value):
                missing[r] = True
                first = first or f"column '{header[j]}' at line {line} holds '{cell}'"
            X[r, out] = value
        if row[t].lower() in MISSING_TOKENS or (_number(row[t]) is not None and not np.isfinite(_number(row[t]))):
            missing[r] = True
            first = first or f"the target '{header[t]}' at line {line} holds '{row[t]}'"
    keep, notes = _drop(missing, len(rows), name, drop_missing, first)
    if keep is not None:
        X = X[keep]
        rows = [row for row, k in zip(rows, keep) if k]
    cells = [row[t] for _, row in rows]
    numeric = all(_number(c) is not None for c in cells)
    values = np.array([float(c) for c in cells]) if numeric else None
    if not numeric and task == "regression":
        line, row = next((line, row) for line, row in rows if _number(row[t]) is None)
        count = len(set(cells))
        fix = f"{spell('loss', 'bce')} (or cce)" if count == 2 else spell("loss", "cce")
        raise LossplayError(
            f"'{name}' target '{header[t]}' holds text ('{row[t]}' at line {line}), "
            f"so it is a classification target with {count} classes: use {fix}."
        )
    if not numeric and task is None:
        _refuse_numbers_with_a_typo(cells, [line for line, _ in rows], header[t], name)
    y, classes, task, label_notes = _target(values, cells, header[t], name, task, text_labels=not numeric,
                                            lines=[line for line, _ in rows])
    display = Path(name).stem if source == "csv" else name
    own_notes = _header_notes(columns, header[t], name) + notes + label_notes if source == "csv" else notes
    return Dataset(display, np.ascontiguousarray(X), y, tuple(header[j] for j in chosen), header[t], task,
                   classes, None, source=source, notes=own_notes)


def _refuse_numbers_with_a_typo(cells, lines, column, name):
    """A target of numbers with a few text cells reads as a typo, not as classes: refuse it when no loss says
    how to read it, if at least 90% of the cells are numbers and they would make more than 10 classes."""
    texts = [(line, cell) for line, cell in zip(lines, cells) if _number(cell) is None]
    classes = len(set(cells))
    if len(texts) <= 0.1 * len(cells) and classes > 10:
        line, cell = texts[0]
        others = f" and {len(texts) - 1} more" if len(texts) > 1 else ""
        raise LossplayError(
            f"'{name}' target '{column}' holds numbers except '{cell}' at line {line}{others}: a typo? Read as "
            f"classes it would make {classes} of them. Fix the cell, or name a classification loss "
            f"({spell('loss', 'cce')}) "
            "to read the target as class labels.")


def _exact(values):
    """True when every value is small enough to be a whole number held exactly (below 2**53 in size)."""
    return bool(np.all(np.abs(values) < EXACT_LABELS))


def constant_target(column, name, value):
    """The error for a target that holds the same value (a number, or a class label) in every row."""
    return LossplayError(f"The target '{column}' of '{name}' is {value} in every row: there is nothing to learn. "
                         f"Choose another {spell('target')}.")


def _number(cell):
    try:
        return float(cell)
    except ValueError:
        return None


def _target(values, cells, column, name, task, text_labels=False, lines=None, first_line=2):
    """(y, classes, task, notes) for a target given as numbers (``values``) or text labels (``cells``).

    Numeric class labels are whole numbers; those too large to be held exactly (2**53 and beyond, where
    1e20 and 1e20 + 1 are the same float) are read as text labels instead, named as written. ``lines``
    are the rows' line numbers, else they follow from ``first_line``, that of the first row.
    """
    def line_of(i):
        return lines[i] if lines is not None else i + first_line

    if task in ("binary", "multiclass") and not text_labels and cells is not None and not _exact(values):
        text_labels = True
    if task is None:
        if text_labels:
            task = "binary" if len(set(cells)) == 2 else "multiclass"
        elif set(np.unique(values)) <= {0.0, 1.0}:
            task = "binary"
        else:
            task = "regression"
    if task == "regression":
        if np.ptp(values) == 0:
            raise constant_target(column, name, f"{values[0]:g}")
        return values, None, task, ()
    if text_labels:
        labels = sorted(set(cells))
        index = {label: i for i, label in enumerate(labels)}
        y = np.array([index[c] for c in cells], dtype=np.int64)
        classes = tuple(labels)
    else:
        whole = values == np.round(values)
        if not whole.all():
            first = int(np.flatnonzero(~whole)[0])
            raise LossplayError(
                f"Classification needs class labels, but '{column}' line {line_of(first)} holds "
                f"{values[first]:g}. Use a regression loss (mse, mae, huber) for a numeric target."
            )
        labels = np.unique(values.astype(np.int64))
        y = np.searchsorted(labels, values.astype(np.int64))
        classes = tuple(str(v) for v in labels)
    if len(classes) < 2:
        raise constant_target(column, name, f"'{classes[0]}'" if text_labels else classes[0])
    if task == "binary" and len(classes) != 2:
        raise LossplayError(
            f"Binary classification needs 2 classes, but '{column}' has {len(classes)} "
            f"({', '.join(classes[:6])}{', ...' if len(classes) > 6 else ''}). Use {spell('loss', 'cce')}."
        )
    notes = ()
    if text_labels or classes != tuple(str(c) for c in range(len(classes))):
        mapping = ", ".join(f"{label} = {i}" for i, label in enumerate(classes[:8]))
        more = ", ..." if len(classes) > 8 else ""
        notes = (f"The classes of '{column}' are numbered in sorted order: {mapping}{more}.",)
    return y.astype(np.int64), classes, task, notes
