"""Reading a lossplay folder: which kind it is, its JSON, its history; never a traceback on damage."""

import csv
import json
from pathlib import Path

from lossplay.errors import LossplayError

# the JSON file that marks each kind of folder, in the order they are looked for, with the command that writes it
FOLDER_KINDS = {"run.json": "train", "compare.json": "compare", "landscape.json": "landscape",
                "lr_find.json": "lr-find"}


WHAT_TO_GIVE = "give a folder written by lossplay train, compare, landscape or lr-find."


def find_folder(path):
    """(folder, JSON file name) of a lossplay folder; a path to one of its JSON files is taken as its folder."""
    path = Path(path)
    if path.is_file() and path.name in FOLDER_KINDS:
        return path.parent, path.name
    if not path.exists():
        raise LossplayError(f"'{path}' does not exist: {WHAT_TO_GIVE}")
    if not path.is_dir():
        raise LossplayError(f"'{path}' is a file, not a folder: {WHAT_TO_GIVE}")
    for name in FOLDER_KINDS:
        if (path / name).is_file():
            return path, name
    message = f"'{path}' holds no {', '.join(list(FOLDER_KINDS)[:-1])} or {list(FOLDER_KINDS)[-1]}: {WHAT_TO_GIVE}"
    inside = sorted(child for child in path.iterdir()
                    if child.is_dir() and any((child / name).is_file() for name in FOLDER_KINDS))
    if len(inside) == 1:
        message += f" The folder '{inside[0]}' inside it is one."
    elif inside:
        message += f" It holds {len(inside)} lossplay folders, such as '{inside[0]}': give one of them."
    raise LossplayError(message)


def read_json(path, command):
    """The JSON object in ``path``; one clear error when it cannot be read or is not lossplay's."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise LossplayError(f"Cannot read '{path}': {error.strerror}.") from None
    except UnicodeDecodeError:
        raise LossplayError(f"'{path}' is not UTF-8 text: write the folder again with lossplay {command}.") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise LossplayError(
            f"'{path}' is not valid JSON ({error.msg} at line {error.lineno}): it was damaged or cut short; "
            f"write the folder again with lossplay {command}.") from None
    if not isinstance(document, dict):
        raise LossplayError(f"'{path}' holds a JSON {type(document).__name__}, not the object lossplay "
                            f"{command} writes: write the folder again with lossplay {command}.")
    return document


def read_history(folder, files):
    """history.csv as {epoch: row of texts}, or {} when it is not listed or cannot be read."""
    name = files.get("history")
    if not isinstance(name, str):
        return {}
    try:
        with open(Path(folder) / name, newline="", encoding="utf-8") as f:
            return {row["epoch"]: row for row in csv.DictReader(f) if row.get("epoch")}
    except (OSError, UnicodeDecodeError, csv.Error, KeyError):
        return {}


def cell_number(text):
    """A history.csv cell as a float, or None when it is empty or not a number."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def true_parameters(config, features):
    """{"weights": [...], "bias": b}: the parameters a generated dataset was drawn from, in the data's units,
    or None when the run's data has none (a CSV file, classes, a sine) or the model saw other features
    (polynomial ones, a selection of columns).

    run.json records the dataset's name, not these numbers: they are the generator's own (``linear`` is
    y = 3x + 2 plus noise), the same for every seed, sample count and noise, so the fewest rows are drawn.
    """
    from lossplay.data import GENERATORS, load_dataset

    name = config.get("dataset")
    if not isinstance(name, str) or name not in GENERATORS or config.get("poly_degree", 1) != 1:
        return None
    generator = GENERATORS[name]
    try:
        dataset = load_dataset(name) if generator.fixed else load_dataset(name, samples=4)
    except LossplayError:
        return None
    if dataset.true_params is None or list(dataset.feature_names) != [str(f) for f in features]:
        return None
    return {"weights": list(dataset.true_params["weights"]), "bias": dataset.true_params["bias"]}
