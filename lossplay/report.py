"""The HTML handout of a lossplay folder: one page a teacher can print and a student can open on a phone.

``build_report(folder)`` reads the JSON file a lossplay command left in a
folder (run.json from ``train``, compare.json from ``compare``,
landscape.json from ``landscape``, lr_find.json from ``lr-find``) and returns
the page: what was trained, what happened, the numbers, and every picture,
each with a few words on what it shows and what to look for.

The page stands alone: pictures are embedded as ``data:`` URIs, the style is
inline, there is no script and nothing is fetched from the network. Every
text read from the folder is escaped; a value that is missing or null is left
out rather than guessed. ``write_report`` writes the page atomically, by
default as report.html inside the folder.
"""

import base64
import csv
import html
import json
import math
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from lossplay import __version__
from lossplay.config import FIELDS, SECTIONS, flag_name
from lossplay.errors import LossplayError
from lossplay.formatting import number

REPORT_FILE = "report.html"

# the JSON file that marks each kind of folder, in the order they are looked for, with the command that writes it
FOLDER_KINDS = {"run.json": "train", "compare.json": "compare", "landscape.json": "landscape",
                "lr_find.json": "lr-find"}
WHAT_TO_GIVE = "give a folder written by lossplay train, compare, landscape or lr-find."

PICTURE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"GIF87a": "image/gif", b"GIF89a": "image/gif",
                 b"\xff\xd8\xff": "image/jpeg"}

TASK_WORDS = {"regression": "regression", "binary": "binary classification",
              "multiclass": "multi-class classification"}
STATUS_TITLES = {"completed": "Completed", "early_stopped": "Stopped early", "diverged": "Diverged",
                 "interrupted": "Interrupted"}

METRICS = {
    # name: (title, what it measures)
    "mse": ("MSE", "mean squared error: the mean of (prediction − target)²"),
    "rmse": ("RMSE", "root mean squared error: √MSE, in the target's own units"),
    "mae": ("MAE", "mean absolute error: the mean of |prediction − target|"),
    "r2": ("R²", "1 is a perfect fit; 0 is no better than always predicting the mean"),
    "accuracy": ("accuracy", "the share of rows whose class is predicted right"),
    "precision": ("precision", "of the rows predicted as class 1, the share that really are class 1"),
    "recall": ("recall", "of the rows of class 1, the share the model finds"),
    "f1": ("F1", "the balance of precision and recall (their harmonic mean)"),
    "log_loss": ("log loss", "cross-entropy of the predicted probabilities: low when confidently right"),
}
# with several classes, precision, recall and F1 are computed for each class and averaged
MULTICLASS_METRICS = {
    "precision": "for each class, the share of the rows predicted in it that belong to it; averaged over the classes",
    "recall": "for each class, the share of its rows the model finds; averaged over the classes",
    "f1": "the balance of precision and recall (their harmonic mean), for each class, averaged",
}
HIGHER_IS_BETTER = {"r2", "accuracy", "f1", "precision", "recall"}

LOSS_WORDS = {"mse": "mean squared error", "mae": "mean absolute error", "huber": "Huber loss",
              "smooth_l1": "smooth L1 loss", "log_cosh": "log-cosh loss", "quantile": "quantile (pinball) loss",
              "bce": "binary cross-entropy", "focal": "focal loss", "hinge": "hinge loss",
              "cce": "categorical cross-entropy"}
MODEL_WORDS = {"linear": "prediction = w·x + b", "logistic": "probability of class 1 = σ(w·x + b)",
               "softmax": "class probabilities = softmax(W·x + b)"}

# the options of each loss and optimizer worth naming next to it, with the symbol the formulas use
LOSS_OPTIONS = {"huber": (("delta", "δ"),), "smooth_l1": (("beta", "β"),), "quantile": (("quantile", "τ"),),
                "focal": (("gamma", "γ"), ("alpha", "α"))}
OPTIMIZER_OPTIONS = {"sgd": ("momentum", "nesterov"), "adam": ("beta1", "beta2", "eps"),
                     "adamw": ("beta1", "beta2", "eps", "weight_decay"), "rmsprop": ("rho", "eps", "momentum"),
                     "adagrad": ("eps",)}

LOSS_CURVE_TEXT = (
    "The cost after every epoch, on the training rows and on the validation rows the model never learns "
    "from; epoch 0 is before the first update.",
    "a steep fall that levels off (the model has learned what it can); the gap between the two lines (how "
    "much better the model does on rows it has seen); a validation line that turns back up while the "
    "training line keeps falling, which is overfitting; a line that jumps about or shoots up, which means "
    "the learning rate is too large.")
FIT_TEXT = (
    "Every row of the data, training and validation rows drawn differently, with the model's prediction "
    "(a line, or a curve with polynomial features) and, for generated data, the true curve the rows came "
    "from, dashed.",
    "how close the fitted line runs to the true one and through the validation rows. With corrupted "
    "targets, which are marked: does the line bend towards them? Under MSE a far-off row pulls hard; MAE "
    "and Huber let it pull less.")
REGIONS_TEXT = (
    "Each row as a point at its two feature values, marked by its true class (validation rows hollow). "
    "The background is coloured by the class the model predicts there, and the black line is the decision "
    "boundary where its prediction changes.",
    "points on the wrong side of the boundary: those are the model's mistakes. With two classes the "
    "shading shows how sure the model is; a narrow pale band around the boundary means confident "
    "predictions, a wide one unsure ones.")
ANIMATION_TEXT = (
    "The fit (the line, or the decision boundary) changing over the epochs, frame by frame, beside the loss "
    "curves drawn so far.",
    "how far the fit moves in the first epochs and where it settles; the loss curves flatten as it stops "
    "moving. With corrupted targets, watch whether they drag it away.")
COMPARISON_ANIMATION_TEXT = (
    "Every run's fit on one panel, changing over the epochs, beside their curves drawn so far.",
    "which run's fit settles first, and which one is dragged away or keeps swinging.")
ANY_ANIMATION_TEXT = ("The pictures above, frame by frame.", "what changes from one frame to the next.")


class Html(str):
    """Markup that is already safe: the page's helpers pass it through and escape any other text."""


def escape(value):
    """``value`` as safe markup: Html as it is, anything else as escaped text."""
    if isinstance(value, Html):
        return value
    return Html(html.escape(str(value), quote=True))


def join(parts, separator=""):
    """Several pieces of markup (or texts, escaped) as one."""
    return Html(escape(separator).join(escape(part) for part in parts))


def element(name, *children, **attributes):
    """``<name attributes>children</name>``; attribute values are escaped, and ``class_`` gives class."""
    names = "".join(f' {key.rstrip("_").replace("_", "-")}="{html.escape(str(value), quote=True)}"'
                    for key, value in attributes.items() if value is not None)
    return Html(f"<{name}{names}>{join(children)}</{name}>")


def setting(value):
    """An option's value as TOML spells it: true/false, none, numbers with 4 significant digits."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number(value)
    if isinstance(value, list):
        return ", ".join(setting(v) for v in value)
    return str(value)


def mapping(value):
    """``value`` if it is a JSON object, else an empty one: a damaged entry is left out, not a crash."""
    return value if isinstance(value, dict) else {}


def sequence(value):
    """``value`` if it is a JSON list, else an empty one."""
    return value if isinstance(value, list) else []


def lookup(table, key, default=None):
    """``table[key]`` for a name read from JSON, ``default`` when it is not there (or not a name at all)."""
    return table.get(key, default) if isinstance(key, str) else default


def status_word(status):
    """'completed', 'stopped early', 'diverged', ... for a run's status."""
    return lookup(STATUS_TITLES, status, setting(status)).lower()


def is_output_option(name):
    """Whether an option only says where and how a run is shown or written (--out, --quiet, ...)."""
    return name in FIELDS and FIELDS[name].metadata["section"] == "Output"


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


def dataset_label(name):
    """A dataset's name for a title: a CSV file's name without its folders."""
    if not name:
        return None
    name = str(name)
    return Path(name).name if ("/" in name or "\\" in name) else name


# -- reading the folder ---------------------------------------------------------------------


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


# -- pictures ---------------------------------------------------------------------------------


class Pictures:
    """Embeds a folder's pictures as data: URIs, and remembers those that could not be embedded."""

    def __init__(self, folder, listed_in):
        self.folder = Path(folder)
        self.listed_in = listed_in
        self.missing = []

    def data_uri(self, name):
        """(data: URI, None) for a picture of the folder, or (None, why it cannot be shown)."""
        path = self.folder / name
        try:
            path.resolve().relative_to(self.folder.resolve())
        except (ValueError, OSError):
            return None, f"{name} is not inside the folder"
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            return None, f"{name} is listed in {self.listed_in} but is not in the folder"
        except OSError as error:
            return None, f"{name} cannot be read ({error.strerror})"
        kind = next((mime for magic, mime in PICTURE_TYPES.items() if content.startswith(magic)), None)
        if kind is None:
            return None, f"{name} is not a PNG, GIF or JPEG picture"
        return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}", None

    def figure(self, name, title, text=None, compact=False):
        """A picture with its title and, unless compact, what it shows and what to look for."""
        uri, problem = self.data_uri(str(name))
        if uri is None:
            self.missing.append(f"{problem}; it is left out of the report.")
            return element("div", element("strong", title), f": {problem}.", class_="missing")
        caption = [element("strong", title)]
        if text is not None and not compact:
            shows, look_for = text
            caption = [element("p", element("strong", "What it shows: "), shows),
                       element("p", element("strong", "Look for: "), look_for)]
        image = Html(f'<img src="{uri}" alt="{escape(title)}">')
        if compact:  # in a grid, the name goes above its picture, so that it cannot be read as the next one's
            return element("figure", element("figcaption", *caption), image, class_="compact")
        # on paper a GIF shows only its first frame: animations are left out of the printed page
        animated = uri.startswith("data:image/gif")
        return element("figure", image, element("figcaption", *caption), class_="animation" if animated else None)


# -- pieces every page uses -------------------------------------------------------------------


def table(header, rows, *, class_=None, caption=None):
    """A table; cells that are numbers (or '—') are right-aligned."""
    head = element("tr", *(element("th", cell) for cell in header))
    body = []
    for row in rows:
        cells = []
        for cell in row:
            text = cell if isinstance(cell, Html) else escape(cell)
            numeric = _looks_numeric(cell)
            cells.append(element("td", text, class_="num" if numeric else None))
        body.append(element("tr", *cells))
    parts = ([element("caption", caption)] if caption else []) + [element("thead", head), element("tbody", *body)]
    return element("div", element("table", *parts, class_=class_), class_="scroll")


def _looks_numeric(cell):
    text = str(cell)
    if isinstance(cell, Html):
        text = html.unescape(text.replace("<strong>", "").replace("</strong>", ""))
    return text == "—" or cell_number(text.replace("%", "")) is not None


def key_values(rows):
    """A two-column table of (label, value) rows, leaving out rows whose value is None."""
    shown = [(label, value) for label, value in rows if value is not None]
    body = [element("tr", element("th", label, scope="row"), element("td", value)) for label, value in shown]
    return element("table", element("tbody", *body), class_="keys")


def section(title, *content, id_=None):
    return element("section", element("h2", title), *content, id_=id_)


def paragraph(*content, class_=None):
    return element("p", *content, class_=class_)


def summarise(value):
    """A JSON value in a few characters: numbers with 4 digits, long lists as their range."""
    if is_number(value):
        return number(value)
    if isinstance(value, list):
        if value and all(is_number(v) for v in value) and len(value) > 6:
            return f"{len(value)} values from {number(min(value))} to {number(max(value))}"
        return "[" + ", ".join(summarise(v) for v in value) + "]"
    if isinstance(value, dict):
        return "; ".join(f"{key} {summarise(v)}" for key, v in value.items() if v is not None)
    return setting(value)


def settings_from(config):
    """The options that matter first, each as (label, value text), left out when not in the config."""
    c = config
    rows = []

    def get(name):
        return c.get(name)

    rows.append(("Dataset", get("dataset")))
    model = get("model")
    rows.append(("Model", f"{model}: {MODEL_WORDS[model]}" if lookup(MODEL_WORDS, model) else model))
    loss = get("loss")
    if loss is not None:
        extras = [f"{symbol} = {setting(get(name))}" for name, symbol in lookup(LOSS_OPTIONS, loss, ())
                  if get(name) is not None]
        if get("class_weight") is not None:
            extras.append(f"class weights {get('class_weight')}")
        words = f": {LOSS_WORDS[loss]}" if lookup(LOSS_WORDS, loss) else ""
        rows.append(("Loss", f"{loss}{words}" + (f" ({', '.join(extras)})" if extras else "")))
    optimizer = get("optimizer")
    if optimizer is not None:
        extras = []
        for name in lookup(OPTIMIZER_OPTIONS, optimizer, ()):
            value = get(name)
            default = FIELDS[name].default
            if value is None or (value == default and name != "weight_decay"):
                continue
            if name == "nesterov":
                extras.append("Nesterov")
            else:
                extras.append(f"{name.replace('_', ' ')} {setting(value)}")
        rows.append(("Optimizer", f"{optimizer}" + (f" ({', '.join(extras)})" if extras else "")))
    if get("lr") is not None:
        lr = setting(get("lr"))
        schedule = get("lr_schedule")
        if schedule not in (None, "constant"):
            lr += f", {schedule} schedule"
        if get("warmup_epochs"):
            lr += f", after {plural(get('warmup_epochs'), 'warm-up epoch')}"
        rows.append(("Learning rate", lr))
    if get("epochs") is not None:
        epochs = str(get("epochs"))
        if get("patience") is not None:
            epochs += f" at most: early stopping with patience {get('patience')}"
        rows.append(("Epochs", epochs))
    batch = get("batch_size")
    if batch is not None:
        rows.append(("Batch size", "full batch: every training row in each update" if batch == 0
                     else f"{batch} rows per update"))
    penalties = [f"{name.upper()} λ = {setting(get(name))}" for name in ("l1", "l2") if get(name)]
    if get("l1") is not None or get("l2") is not None:
        rows.append(("Penalty", " + ".join(penalties) if penalties else "none"))
    if get("clip_grad") is not None:
        rows.append(("Gradient clipping", f"norm at most {setting(get('clip_grad'))}"))
    if get("seed") is not None:
        rows.append(("Seed", setting(get("seed"))))
    return [(label, value) for label, value in rows if value is not None]


def every_option(config):
    """Every option of the config but the output ones, grouped like ``lossplay train --help``."""
    groups = {name: [] for name in SECTIONS}
    other = []
    for name, value in config.items():
        if is_output_option(name):
            continue
        row = element("tr", element("th", flag_name(name), scope="row",
                                    title=FIELDS[name].metadata["help"] if name in FIELDS else None),
                      element("td", setting(value)))
        if name in FIELDS:
            groups.setdefault(FIELDS[name].metadata["section"], []).append(row)
        else:
            other.append(row)
    if other:
        groups["Other options"] = other
    tables = [element("table", element("caption", title), element("tbody", *rows), class_="compact")
              for title, rows in groups.items() if rows]
    return element("div", *tables, class_="options")


def command_line(config):
    """The ``lossplay train`` command that trains this run again, from its resolved options, as markup:
    each option and its value in a span that a narrow page does not break."""
    words = [escape("lossplay train")]
    always = ("dataset", "loss", "optimizer", "lr")
    for name, value in config.items():
        if name not in FIELDS or is_output_option(name):
            continue
        metadata = FIELDS[name].metadata
        if value == FIELDS[name].default and name not in always:
            continue
        if isinstance(value, bool):
            on, _, off = (metadata["flag"] or flag_name(name)).partition("/")
            if value or off:
                words.append(element("span", on if value else off))
            continue
        if value is None:
            continue
        text = shlex.quote(repr(value) if isinstance(value, float) else str(value))
        words.append(element("span", f"{flag_name(name)} {text}"))
    return join(words, " ")


def data_rows(data, config):
    """(label, value) rows describing the data a run saw."""
    rows = []
    task = data.get("task")
    if task is not None:
        rows.append(("Task", lookup(TASK_WORDS, task, str(task))))
    n_train, n_val = data.get("n_train"), data.get("n_val")
    if n_train is not None:
        held_out = "" if n_val is None else f", {n_val} held out for validation" if n_val else ", no validation rows"
        rows.append(("Rows", f"{n_train} for training{held_out}"))
    features = sequence(data.get("features"))
    if features:
        rows.append(("Feature" if len(features) == 1 else f"Features ({len(features)})",
                     ", ".join(str(f) for f in features)))
    if data.get("target") is not None:
        rows.append(("Target", str(data["target"])))
    classes = sequence(data.get("classes"))
    if classes:
        rows.append(("Classes", ", ".join(str(c) for c in classes)))
    if config.get("poly_degree") not in (None, 1):
        rows.append(("Polynomial features", f"powers 1 to {config['poly_degree']} of each original feature"))
    if "standardization" in data:
        rows.append(("Standardised", "yes: each feature rescaled to mean 0 and standard deviation 1 on the "
                                     "training rows" if data.get("standardization") else "no"))
    if config.get("outliers"):
        fraction = config.get("outlier_fraction")
        share = f"{fraction:.0%} of the" if is_number(fraction) else "some"
        corrupted = "labels flipped" if task in ("binary", "multiclass") else "targets corrupted"
        rows.append(("Outliers", f"{share} training {corrupted} on purpose; the validation rows are clean"))
    return rows


def page(title, kind, body, folder, recorded_by=None):
    """The whole HTML document."""
    made = f"Made by lossplay {__version__} from the folder {Path(folder).resolve()}"
    if recorded_by and recorded_by != __version__:
        made += f"; the folder was written by lossplay {recorded_by}"
    return Html(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"{element('title', f'lossplay {kind}: {title}')}\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"{element('p', f'lossplay · {kind}', class_='kind')}\n{element('h1', title)}\n{body}\n</main>\n"
        f"{element('footer', made + '.')}\n</body>\n</html>\n")


# -- a run --------------------------------------------------------------------------------------


def run_title(config):
    """'huber loss with adam on linear', with whatever of the three the config holds."""
    loss, optimizer, dataset = config.get("loss"), config.get("optimizer"), dataset_label(config.get("dataset"))
    words = [f"{loss} loss"] if loss else []
    if optimizer:
        words.append(f"with {optimizer}" if words else str(optimizer))
    if dataset:
        words.append(f"on {dataset}" if words else f"dataset {dataset}")
    return " ".join(words) or "a training run"


def status_sentences(doc, config):
    """(status title, sentences) saying how the run ended and which parameters the page shows."""
    status = doc.get("status")
    epochs_run, epochs, patience = doc.get("epochs_run"), config.get("epochs"), config.get("patience")
    of_total = f" of {epochs}" if epochs is not None else ""
    if status == "completed":
        ran = f"all {epochs} epochs ran" if epochs is not None else "every epoch ran"
        return "Completed", [f"Training completed: {ran}, and the numbers below are those of the last epoch."]
    if status == "early_stopped":
        sentences = [f"Early stopping ended training after epoch {epochs_run}{of_total}: the validation cost had "
                     f"not improved for {patience} epochs." if patience is not None and epochs_run is not None
                     else "Early stopping ended training: the validation cost had stopped improving."]
        if config.get("restore_best", True) is not False and is_number(epochs_run) and is_number(patience):
            sentences.append(f"The parameters and metrics below are those of epoch {epochs_run - patience}, "
                             "the best one (early stopping went back to them).")
        elif config.get("restore_best") is False and epochs_run is not None:
            sentences.append(f"The parameters and metrics below are those of the last epoch, {epochs_run} "
                             "(--no-restore-best keeps them).")
        return "Stopped early", sentences
    if status == "diverged":
        at = f" at epoch {epochs_run}" if epochs_run is not None else ""
        lr = config.get("lr")
        advice = (f"; try a smaller one, such as {lr / 10:g}" if is_number(lr) else "")
        learning_rate = f" (here {setting(lr)})" if is_number(lr) else ""
        return "Diverged", [
            f"Training blew up{at}: the cost grew more than a million-fold or stopped being a finite number, "
            "so lossplay stopped it.",
            "Each update overshot the minimum by more than the last, which usually means the learning rate"
            f"{learning_rate} is too large{advice}. The numbers below belong to a model that blew up."]
    if status == "interrupted":
        after = f" after {epochs_run}{of_total} epochs" if epochs_run is not None else ""
        return "Interrupted", [f"Training was stopped by hand (Ctrl-C){after}: the numbers below are those it had "
                               "reached, and the loss curve ends there."]
    if status is None:
        return None, []
    return str(status), [f"The run's status is '{status}'."]


def training_sentences(doc, config, history, has_validation):
    """The best epoch, and whether the run overfitted, in plain words."""
    sentences = []
    best, epochs_run = doc.get("best_epoch"), doc.get("epochs_run")
    split = "validation" if has_validation else "training"
    if best is not None:
        row = history.get(str(best), {})
        value = cell_number(row.get("val_loss" if has_validation else "train_loss"))
        lowest = f"The {split} cost was lowest at epoch {best}" + (f" ({number(value)})" if value is not None
                                                                     else "")
        if best == 0 and doc.get("status") == "diverged":
            sentences.append(lowest + ", before the first update: every update made it worse.")
        elif best == epochs_run and doc.get("status") == "completed":
            sentences.append(lowest + ", the last one: it was still falling, so more epochs might lower it "
                                      "further.")
        else:
            sentences.append(lowest + ".")
    overfitting = mapping(doc.get("overfitting"))
    if doc.get("status") == "diverged":
        return sentences
    if overfitting.get("detected"):
        began = overfitting.get("began_at_epoch")
        since = f" after epoch {began}" if began is not None else ""
        sentences.append(join([element("strong", "Overfitting"), (
            f": the validation cost rose{since} while the training cost kept falling. The model was learning the "
            "noise of its training rows; fewer epochs (or --patience), an L2 penalty or more data would help.")]))
    elif overfitting.get("detected") is False and has_validation:
        sentences.append("No overfitting: the validation cost did not climb clearly above its lowest value while "
                         "the training cost kept falling.")
    elif not has_validation:
        sentences.append("There are no validation rows (--val-split 0): every row was used for training, so "
                         "overfitting cannot be seen.")
    return sentences


def metrics_table(metrics, loss, task):
    """Training vs validation: one row per metric, with what it measures."""
    train, val = mapping(metrics.get("train")), mapping(metrics.get("val"))
    names = list(dict.fromkeys([*train, *val]))
    rows = []
    for name in names:
        if name == "loss":
            title = "cost"
            meaning = f"the mean {loss} loss over the rows: what training drives down" if loss else "the mean loss"
        else:
            title, meaning = METRICS.get(name, (name, ""))
            if task == "multiclass":
                meaning = MULTICLASS_METRICS.get(name, meaning)
        rows.append([title, number(train.get(name)), number(val.get(name)) if val else "—", meaning])
    return table(["metric", "training", "validation", "what it measures"], rows, class_="metrics")


def original_units(weights, bias, standardization):
    """Weights and bias in the features' own units, undoing (x − mean) / std; None when not possible."""
    mean, std = sequence(standardization.get("mean")), sequence(standardization.get("std"))
    if not (len(mean) == len(std) == len(weights) and is_number(bias)
            and all(is_number(v) for v in [*mean, *std, *weights])) or any(s == 0 for s in std):
        return None
    converted = [w / s for w, s in zip(weights, std)]
    return converted, bias - sum(w * m for w, m in zip(converted, mean))


def parameters_section(params, data):
    """The learned weights (by feature name) and bias: a column, or a matrix for softmax."""
    weights, bias = params.get("weights"), params.get("bias")
    features = [str(f) for f in sequence(data.get("features"))]
    standardization = mapping(data.get("standardization"))
    if not isinstance(weights, list):
        return None
    names = features if len(features) == len(weights) else [str(i) for i in range(len(weights))]
    units = ("in standardised units (the model saw each feature rescaled to mean 0 and standard deviation 1)"
             if standardization else "in the data's own units")
    if weights and all(isinstance(row, list) for row in weights):
        classes = [str(c) for c in sequence(data.get("classes"))]
        k = max(len(row) for row in weights)
        classes = classes if len(classes) == k else [str(i) for i in range(k)]
        rows = [[f"w[{name}]", *(number(v) for v in row)] for name, row in zip(names, weights)]
        if isinstance(bias, list):
            rows.append(["b (bias)", *(number(v) for v in bias)])
        intro = (f"One weight per feature and class, {units}: the class whose score Σ w·x + b is highest wins, "
                 "and softmax turns the scores into probabilities.")
        return section("Learned parameters", paragraph(intro),
                       table(["parameter", *(f"class {c}" for c in classes)], rows, class_="params"))
    header = ["parameter", "learned"]
    rows = [[f"w[{name}]", number(w)] for name, w in zip(names, weights)]
    rows.append(["b (bias)", number(bias)])
    converted = original_units(weights, bias, standardization) if standardization else None
    if converted is not None:
        header.append("in the data's units")
        for row, value in zip(rows, [*converted[0], converted[1]]):
            row.append(number(value))
    intro = f"The weights (one per feature) and the bias, {units}."
    if data.get("task") == "binary":
        intro += " The decision boundary is where w·x + b = 0, that is where the probability of class 1 is 0.5."
    if converted is not None:
        intro += " The last column converts them back to the features' own units, to compare with the data."
    return section("Learned parameters", paragraph(intro), table(header, rows, class_="params"))


def run_page(folder, doc, pictures):
    """(title, body, lossplay version that wrote it) of a run folder's page."""
    config, data = mapping(doc.get("config")), mapping(doc.get("data"))
    metrics, files = mapping(doc.get("metrics")), mapping(doc.get("files"))
    history = read_history(folder, files)
    has_validation = bool(metrics.get("val")) or bool(data.get("n_val"))
    body = []

    status_title, status_text = status_sentences(doc, config)
    if status_title is not None:
        body.append(element("div", element("p", element("strong", status_title)),
                            *(element("p", s) for s in status_text),
                            class_=f"status status-{doc.get('status')}"))

    body.append(section("What was trained", key_values(settings_from(config)),
                        element("h3", "The data"), key_values(data_rows(data, config))))

    shown = set()
    went = training_sentences(doc, config, history, has_validation)
    train_cost, val_cost = mapping(metrics.get("train")).get("loss"), mapping(metrics.get("val")).get("loss")
    if config.get("outliers") and is_number(train_cost) and is_number(val_cost) and train_cost > val_cost:
        went.append("The training cost includes the corrupted rows and the validation cost does not: that is "
                    "why the training line ends above the validation line.")
    curve = []
    if isinstance(files.get("loss_curve"), str):
        curve.append(pictures.figure(files["loss_curve"], "The loss curve", LOSS_CURVE_TEXT))
        shown.add("loss_curve")
    if went or curve:
        body.append(section("How training went", *(paragraph(s, class_="warning" if isinstance(s, Html) else None)
                                                    for s in went), *curve))

    result = []
    train, val = mapping(metrics.get("train")), mapping(metrics.get("val"))
    if "loss" in train:
        if val.get("loss") is not None:
            result.append(paragraph(f"Final validation cost {number(val['loss'])} "
                                    f"(training {number(train['loss'])})."))
        elif not val:
            result.append(paragraph(f"Final training cost {number(train['loss'])} (no validation rows)."))
    if train or val:
        result.append(metrics_table(metrics, config.get("loss"), data.get("task")))
        if config.get("outliers") and val:
            result.append(paragraph("The training rows include the corrupted ones and the validation rows do "
                                    "not, so the training numbers can look worse than the validation ones.",
                                    class_="note"))
    if result:
        body.append(section("The result", *result))
    parameters = parameters_section(mapping(doc.get("params")), data)
    if parameters is not None:
        body.append(parameters)
    if isinstance(files.get("fit"), str):
        regions = data.get("task") in ("binary", "multiclass")
        body.append(section("The decision regions" if regions else "The fit",
                            pictures.figure(files["fit"], "Decision regions" if regions else "The fit",
                                            REGIONS_TEXT if regions else FIT_TEXT)))
        shown.add("fit")

    more = [pictures.figure(name, "The animation" if key == "animation" else key.replace("_", " ").capitalize(),
                            ANIMATION_TEXT if key == "animation" else ANY_ANIMATION_TEXT)
            for key, name in files.items() if key not in shown and isinstance(name, str) and _is_picture(name)]
    if more:
        animations_only = [key for key in files if key not in shown and _is_picture(str(files[key]))] == ["animation"]
        body.append(element("section", element("h2", "The animation" if animations_only else "More pictures"),
                            *more, class_="animations" if animations_only else None))

    if config:
        body.append(section("Train it again", paragraph("This command trains the same run again, number for "
                                                        "number:"),
                            element("pre", element("code", command_line(config))),
                            element("h3", "Every option"), every_option(config)))
    listed = ["run.json", *(str(name) for name in files.values())]
    body.append(paragraph("Files in the folder: ", join(listed, ", "), ".", class_="files"))
    return run_title(config), join(body, "\n"), doc.get("lossplay_version")


def _is_picture(name):
    return name.lower().endswith((".png", ".gif", ".jpg", ".jpeg"))


# -- a comparison ---------------------------------------------------------------------------------


@dataclass
class ComparedRun:
    """One run of a comparison as compare.json lists it, with its own run.json when it can be read."""

    entry: dict
    folder: Path
    doc: dict = field(default_factory=dict)

    @property
    def name(self):
        return str(self.entry.get("name", self.entry.get("dir", "?")))

    @property
    def config(self):
        return mapping(self.doc.get("config"))


def compared_runs(folder, doc):
    runs = []
    for entry in sequence(doc.get("runs")):
        if not isinstance(entry, dict):
            continue
        run_folder = Path(folder) / str(entry.get("dir", ""))
        run = ComparedRun(entry, run_folder)
        if entry.get("dir") and (run_folder / "run.json").is_file():
            try:
                run.doc = read_json(run_folder / "run.json", "compare")
            except LossplayError:
                run.doc = {}
        runs.append(run)
    return runs


def varied_options(runs):
    """The options whose values differ between the runs, in the config's order."""
    configs = [run.config for run in runs if run.config]
    if len(configs) < 2:
        keys = ("loss", "optimizer", "lr")
        return [k for k in keys if len({json.dumps(run.entry.get(k)) for run in runs}) > 1]
    names = list(dict.fromkeys(name for config in configs for name in config))
    return [name for name in names if not is_output_option(name)
            and len({json.dumps(config.get(name)) for config in configs}) > 1]


def merged_config(runs, varied):
    """The first run's config, with each varied option's values (one per run, repeats left out) as one text."""
    configs = [run.config for run in runs if run.config]
    merged = dict(configs[0]) if configs else {}
    for name in varied:
        values = dict.fromkeys(setting(config.get(name)) for config in configs)
        merged[name] = ", ".join(values)
    return merged


def best_names(runs, metric, split):
    """The names of the runs with the best value of ``metric`` (ties included; diverged runs left out)."""
    scored = {}
    for run in runs:
        value = mapping(mapping(run.entry.get("metrics")).get(split)).get(metric)
        if run.entry.get("status") != "diverged" and is_number(value) and math.isfinite(value):
            scored[run.name] = value
    if not scored:
        return set()
    top = (max if metric in HIGHER_IS_BETTER else min)(scored.values())
    return {name for name, value in scored.items() if math.isclose(value, top, rel_tol=1e-12, abs_tol=0)}


def fitted_line(run):
    """(slope, intercept) in the data's units of a 1-feature straight-line regression, else None."""
    data, params = mapping(run.doc.get("data")), mapping(run.entry.get("params"))
    weights, bias = sequence(params.get("weights")), params.get("bias")
    if (data.get("task") != "regression" or run.config.get("poly_degree", 1) != 1 or len(weights) != 1
            or not is_number(weights[0]) or not is_number(bias)):
        return None
    standardization = mapping(data.get("standardization"))
    if not standardization:
        return float(weights[0]), float(bias)
    converted = original_units(weights, bias, standardization)
    return None if converted is None else (converted[0][0], converted[1])


def line_text(slope, intercept):
    sign = "+" if intercept >= 0 else "−"
    return f"{number(slope, 3)}x {sign} {number(abs(intercept), 3)}"


def comparison_table(runs, common, split, true_params):
    """Status, own cost, the common metrics (best in bold), the fitted line and the outliers' pull."""
    lines = [fitted_line(run) for run in runs]
    shares = [run.entry.get("outlier_gradient_share") for run in runs]
    has_lines, has_shares = any(lines), any(is_number(s) for s in shares)
    header = ["run", "status", "own cost", *(METRICS.get(m, (m,))[0] for m in common)]
    header += ["fitted line"] * has_lines + ["outlier pull"] * has_shares
    best = {metric: best_names(runs, metric, split) for metric in common}
    rows = []
    for run, line, share in zip(runs, lines, shares):
        status = run.entry.get("status")
        cells = [run.name, element("span", status_word(status), class_=f"word-{status}")]
        if status == "diverged":
            rows.append(cells + ["—"] * (len(header) - 2))
            continue
        scores = mapping(mapping(run.entry.get("metrics")).get(split))
        cells.append(number(scores.get("loss")))
        for metric in common:
            text = number(scores.get(metric))
            cells.append(element("strong", text) if run.name in best[metric] else text)
        if has_lines:
            cells.append("—" if line is None else line_text(*line))
        if has_shares:
            cells.append(f"{share:.0%}" if is_number(share) else "—")
        rows.append(cells)
    true = mapping(true_params)
    weights = sequence(true.get("weights"))
    if has_lines and len(weights) == 1 and is_number(weights[0]) and is_number(true.get("bias")):
        rows.append(["true line", "", "", *[""] * len(common), line_text(weights[0], true["bias"]),
                     *[""] * has_shares])
    return table(header, rows, class_="comparison"), has_shares


def comparison_lesson(runs, common, split, task):
    """Sentences that read the table: the best and worst run, the outliers' pull, the runs that blew up."""
    sentences = []
    split_words = "validation" if split == "val" else "training"
    main = "accuracy" if task in ("binary", "multiclass") and "accuracy" in common else (common or [None])[0]
    scores = {}
    for run in runs:
        value = mapping(mapping(run.entry.get("metrics")).get(split)).get(main)
        if run.entry.get("status") != "diverged" and is_number(value) and math.isfinite(value):
            scores[run.name] = value
    if len(scores) > 1:
        title = METRICS.get(main, (main,))[0]
        higher = main in HIGHER_IS_BETTER
        best = (max if higher else min)(scores, key=scores.get)
        worst = (min if higher else max)(scores, key=scores.get)
        if math.isclose(scores[best], scores[worst], rel_tol=1e-9, abs_tol=0):
            sentences.append(f"Every run reaches the same {split_words} {title}, {number(scores[best])}.")
        else:
            sentences.append(f"Best {split_words} {title}: {best} ({number(scores[best])}); worst: {worst} "
                             f"({number(scores[worst])}).")
    shares = {run.name: s for run in runs if is_number(s := run.entry.get("outlier_gradient_share"))}
    if len(shares) > 1:
        most, least = max(shares, key=shares.get), min(shares, key=shares.get)
        sentences.append(f"The corrupted rows pull {shares[most]:.0%} of {most}'s gradient but {shares[least]:.0%} "
                         f"of {least}'s: the more a loss lets a far-off row pull, the further its fit is dragged.")
    diverged = [run.name for run in runs if run.entry.get("status") == "diverged"]
    if diverged:
        sentences.append(f"Diverged: {', '.join(diverged)}: its cost blew up, so its numbers are left out.")
    return sentences


def comparison_picture_text(task, raw_features, outliers):
    """What compare.png shows, which depends on the task, the number of features and the corrupted rows."""
    if task == "regression" and raw_features == 1:
        marked = ", and the corrupted targets marked" if outliers else ""
        return (f"Left: every run's fitted line on the same data, with the true line dashed{marked}. Right: one "
                "yardstick for every run, its MSE after every epoch.",
                ("which line the outliers drag away from the true one" if outliers else
                 "which line runs closest to the true one") + ", and which run settles lowest and fastest.")
    if task in ("binary", "multiclass") and raw_features == 2:
        return ("One panel per run: its decision regions on the same data, with its scores in the title.",
                "where the boundaries differ, and which run leaves the fewest points on the wrong side of its "
                "boundary.")
    return ("One yardstick for every run, after every epoch: MSE for regression, log loss for classification.",
            "which run falls fastest and which settles lowest.")


def comparison_page(folder, doc, pictures):
    """(title, body, lossplay version that wrote it) of a comparison folder's page."""
    runs = compared_runs(folder, doc)
    if not runs:
        raise LossplayError(f"'{Path(folder) / 'compare.json'}' lists no runs: write the folder again with "
                            "lossplay compare.")
    first = next((run for run in runs if run.doc), runs[0])
    config, data = first.config, mapping(first.doc.get("data"))
    common = [str(m) for m in sequence(doc.get("common_metrics"))]
    task = data.get("task") or ("regression" if "r2" in common else "binary")
    split = "val" if all(mapping(run.entry.get("metrics")).get("val") or run.entry.get("status") == "diverged"
                         for run in runs) else "train"
    names = [run.name for run in runs]
    dataset = dataset_label(config.get("dataset"))
    title = (f"Comparison on {dataset}: " if dataset else "Comparison: ") + ", ".join(names)
    varied = varied_options(runs)
    body = []

    what = [f"{plural(len(runs), 'run')} on the same data, the same split, the same initial parameters and the "
            "same batch order"]
    if varied:
        flags = [flag_name(v) for v in varied]
        listed = flags[0] if len(flags) == 1 else ", ".join(flags[:-1]) + " and " + flags[-1]
        what.append(f"; only {listed} change{'s' if len(varied) == 1 else ''}")
    body.append(paragraph("".join(what) + ".", class_="lead"))

    split_words = "validation" if split == "val" else "training"
    clean = " (clean: no corrupted rows)" if config.get("outliers") and split == "val" else ""
    table_html, has_shares = comparison_table(runs, common, split, doc.get("true_params"))
    notes = [f"Compared on the {split_words} split{clean}. The best value of each common metric is in bold.",
             "Own cost: each run's own loss, on its own scale; the other columns are one yardstick for all."]
    if has_shares:
        notes.append("Outlier pull: the share of the total gradient that comes from the corrupted rows, at the "
                     "final parameters (under MSE a far-off row pulls hard; under MAE each row pulls at most 1).")
    lesson = comparison_lesson(runs, common, split, task)
    body.append(section("The runs side by side", table_html, *(paragraph(n, class_="note") for n in notes),
                        *(paragraph(element("strong", s)) for s in lesson)))

    degree = config.get("poly_degree")
    features = len(sequence(data.get("features"))) // (degree if isinstance(degree, int) and degree > 0 else 1)
    overview = []
    if (Path(folder) / "compare.png").is_file():
        text = comparison_picture_text(task, features, bool(config.get("outliers")))
        overview.append(pictures.figure("compare.png", "The comparison", text))
    if (Path(folder) / "compare.gif").is_file():
        overview.append(pictures.figure("compare.gif", "The comparison, animated", COMPARISON_ANIMATION_TEXT))
    if overview:
        body.append(section("The picture", *overview))

    if config:
        body.append(section("What was trained", paragraph(
            "The settings of every run; where they differ, the values of the runs are listed in order.",
            class_="note"), key_values(settings_from(merged_config(runs, varied))),
            element("h3", "The data"), key_values(data_rows(data, config))))
    curves = []
    for run in runs:
        files = mapping(run.doc.get("files"))
        status = run.entry.get("status")
        label = f"{run.name}: {status_word(status)}"
        if not run.doc:
            pictures.missing.append(f"{run.entry.get('dir')}/run.json is missing or damaged; the run's loss curve "
                                    "is left out of the report.")
            curves.append(element("div", element("strong", run.name), ": its folder holds no readable run.json.",
                                  class_="missing"))
        elif isinstance(files.get("loss_curve"), str):
            relative = f"{run.entry.get('dir')}/{files['loss_curve']}"
            curves.append(pictures.figure(relative, label, compact=True))
    if curves:
        intro = (LOSS_CURVE_TEXT[0] + " Each run's cost is measured with its own loss, so compare the shapes "
                 "of the curves rather than their heights.")
        body.append(section("Each run's loss curve", paragraph(intro), element("div", *curves, class_="grid")))

    listed = ["compare.json", *(name for name in ("compare.png", "compare.gif") if (Path(folder) / name).is_file())]
    listed += [f"{run.entry.get('dir')}/" for run in runs if run.entry.get("dir")]
    body.append(paragraph("Files in the folder: ", join(listed, ", "), ".", class_="files"))
    return title, join(body, "\n"), first.doc.get("lossplay_version")


# -- a loss landscape -----------------------------------------------------------------------------


LANDSCAPE_TEXTS = {
    "picture": ("The objective over the two parameters as a contour map, lighter where it is lower, with every "
                "optimizer's path across it from the same start, and beside it the objective after each update.",
                "paths that head straight for the minimum; zig-zags across a narrow valley (a learning rate large "
                "for that direction); paths that stop short (not converged yet) or fly off (too large a step)."),
    "animation": ("The paths growing update by update, beside the data with each optimizer's current line or "
                  "boundary.",
                  "which optimizer reaches the bottom first, and which one overshoots on the way."),
}
LANDSCAPE_TITLES = {"picture": "The landscape", "animation": "The landscape, animated"}
MINIMUM_LABELS = {"found_by": "found by", "grid": "lowest grid point"}


def grid_range(value):
    """A grid axis: 'from a to b' for a pair of numbers, else the value in short."""
    if isinstance(value, list) and len(value) == 2 and all(is_number(v) for v in value):
        return f"from {number(value[0])} to {number(value[1])}"
    return summarise(value)


def paths_table(paths):
    """One row per optimizer's path: its learning rate, steps, final cost (and status, when known)."""
    paths = [path for path in sequence(paths) if isinstance(path, dict)]
    with_status = any(path.get("status") is not None for path in paths)
    rows = []
    for path in paths:
        steps, points = path.get("steps"), path.get("points")
        if steps is None and isinstance(points, list) and points:
            steps = len(points) - 1  # the first point is the start
        row = [setting(path.get("name", "")), setting(path.get("optimizer", "")), number(path.get("lr")),
               "—" if steps is None else str(steps), number(path.get("final_cost"))]
        rows.append(row + ([setting(path.get("status"))] if with_status else []))
    header = ["path", "optimizer", "learning rate", "steps", "final cost"] + ["status"] * with_status
    notes = [paragraph(f"{setting(path.get('name', ''))}: {path['message']}.", class_="note")
             for path in paths if path.get("message")]
    return [table(header, rows, class_="paths"), *notes] if rows else []


def landscape_page(folder, doc, pictures):
    """(title, body, lossplay version that wrote it) of a landscape folder's page."""
    config, data = mapping(doc.get("config")), mapping(doc.get("data"))
    parameters = [str(p) for p in sequence(doc.get("parameters"))]
    title = "Loss landscape: " + run_title({**config, "optimizer": None})
    over = " and ".join(parameters) if parameters else "two parameters"
    body = [paragraph(f"The cost over {over}: every point of the picture is one choice of the parameters, and "
                      "each optimizer's path shows the steps it took across it.", class_="lead")]
    minimum = mapping(doc.get("minimum"))
    if minimum:
        body.append(section("The lowest point", key_values(
            [(MINIMUM_LABELS.get(k, str(k)), summarise(v)) for k, v in minimum.items() if v is not None])))
    paths = paths_table(doc.get("paths"))
    if paths:
        body.append(section("The paths", *paths))
    figures = [pictures.figure(name, LANDSCAPE_TITLES.get(key, key.replace("_", " ").capitalize()),
                               LANDSCAPE_TEXTS.get(key, ANY_ANIMATION_TEXT))
               for key, name in mapping(doc.get("files")).items() if isinstance(name, str)]
    if figures:
        body.append(section("The pictures", *figures))
    # each path has its own optimizer and learning rate: the table above shows them
    settings = [(label, value) for label, value in settings_from(config)
                if label not in ("Optimizer", "Learning rate", "Epochs")]
    content = [key_values(settings), element("h3", "The data"), key_values(data_rows(data, config))]
    grid = mapping(doc.get("grid"))
    if grid:
        content += [element("h3", "The grid"), key_values([(str(k), grid_range(v)) for k, v in grid.items()
                                                          if v is not None])]
    body.append(section("What was computed", *content))
    if config:
        body.append(section("Every option", every_option(config)))
    return title, join(body, "\n"), doc.get("lossplay_version")


# -- a learning-rate search -----------------------------------------------------------------------


def lr_find_page(folder, doc, pictures):
    """(title, body, lossplay version that wrote it) of an lr-find folder's page."""
    config, data = mapping(doc.get("config")), mapping(doc.get("data"))
    title = "Learning-rate finder: " + run_title(config)
    body = [paragraph("The learning rate grew step by step, one update at a time, from a rate too small to "
                      "change much to one so large the cost blows up; the cost after each step says which "
                      "rates learn.", class_="lead")]
    findings = []
    suggested = doc.get("suggested_lr")
    if is_number(suggested):
        command = doc.get("suggested_command")
        command = command if isinstance(command, str) else f"lossplay train --lr {number(suggested, 2)}"
        findings.append(("Suggested learning rate",
                         join([f"{number(suggested)}, where the smoothed cost falls fastest: try it with ",
                               element("code", command)])))
    elif doc.get("why_no_suggestion") is not None:
        findings.append(("No suggestion", str(doc["why_no_suggestion"])))
    limit = doc.get("stability_limit")
    if is_number(limit):
        means = [str(sentence) for sentence in sequence(doc.get("stability_limit_means"))]
        findings.append(("Stability limit", " ".join(means) if means else
                         f"{number(limit)}: 2 / the largest eigenvalue of the Hessian of the MSE cost; plain "
                         "full-batch gradient descent diverges above it"))
    lrs = [v for v in sequence(doc.get("lrs")) if is_number(v)]
    if lrs:
        findings.append(("Rates tried", f"{len(lrs)}, from {number(min(lrs))} to {number(max(lrs))}"))
    if doc.get("status") == "interrupted":
        findings.append(("Interrupted", "the search was stopped by hand (Ctrl-C) before its last step"))
    stopped = doc.get("stopped_at_step")
    if stopped is not None:
        reason = f": {doc['stop_reason']}" if doc.get("stop_reason") is not None else ""
        findings.append(("Stopped at step", f"{stopped}{reason}; larger rates were not tried"))
    smoothed = sequence(doc.get("smoothed"))
    pairs = [(lr, cost) for lr, cost in zip(lrs, smoothed) if is_number(cost) and math.isfinite(cost)]
    if pairs:
        lr, cost = min(pairs, key=lambda pair: pair[1])
        findings.append(("Lowest smoothed cost", f"{number(cost)} at learning rate {number(lr)}"))
    if findings:
        body.append(section("What it found", key_values(findings)))
    files = mapping(doc.get("files"))
    texts = {"picture": (
        "The batch cost of each step (faint) and its smoothed average (bold) against the learning rate, on a "
        "log scale that grows to the right, with the suggested rate and the lowest smoothed cost marked.",
        "the flat start (too small to learn), the steep fall (rates that learn fast) and the blow-up on the "
        "right. A good rate sits on the steep part, before the lowest point: the lowest point is already close "
        "to too large.")}
    figures = [pictures.figure(name, "The learning-rate search" if key == "picture"
                               else key.replace("_", " ").capitalize(), texts.get(key, ANY_ANIMATION_TEXT))
               for key, name in files.items() if isinstance(name, str)]
    if figures:
        body.append(section("The picture", *figures))
    settings = [(label, value) for label, value in settings_from(config) if label != "Learning rate"]
    body.append(section("The settings", key_values(settings), element("h3", "The data"),
                        key_values(data_rows(data, config))))
    if config:
        body.append(section("Every option", every_option(config)))
    return title, join(body, "\n"), doc.get("lossplay_version")


# -- the report -----------------------------------------------------------------------------------

KIND_NAMES = {"run.json": "training run", "compare.json": "comparison", "landscape.json": "loss landscape",
              "lr_find.json": "learning-rate search"}


@dataclass
class Report:
    """A finished page: its title, its HTML, the pictures that could not be embedded, where it was written."""

    title: str
    html: str
    folder: Path
    missing: list = field(default_factory=list)
    path: Path | None = None


def build_report(folder):
    """The HTML handout of a lossplay folder (run, comparison, landscape or lr-find) as a ``Report``."""
    folder, name = find_folder(folder)
    doc = read_json(folder / name, FOLDER_KINDS[name])
    pictures = Pictures(folder, name)
    if name == "run.json":
        title, body, recorded_by = run_page(folder, doc, pictures)
    elif name == "compare.json":
        title, body, recorded_by = comparison_page(folder, doc, pictures)
    elif name == "landscape.json":
        title, body, recorded_by = landscape_page(folder, doc, pictures)
    else:
        title, body, recorded_by = lr_find_page(folder, doc, pictures)
    document = page(title, KIND_NAMES[name], body, folder, recorded_by)
    return Report(title, str(document), folder, pictures.missing)


def default_destination(folder):
    """Where ``lossplay report`` writes by default: report.html in the folder."""
    return find_folder(folder)[0] / REPORT_FILE


def write_report(folder, out=None, *, force=False):
    """Build the report of ``folder`` and write it to ``out`` (default: report.html in the folder).

    An existing file is replaced only with ``force``; the file is written
    under a temporary name and renamed. Returns the ``Report`` with its path.
    """
    from lossplay.runs import write_new_file

    destination = Path(out) if out is not None else default_destination(folder)
    if destination.is_dir():
        raise LossplayError(f"'{destination}' is a folder; give the name of the HTML file to write with --out.")
    if destination.exists() and not force:
        raise LossplayError(f"'{destination}' already exists; add --force to replace it, or choose another "
                            "file with --out.")
    parent = destination.absolute().parent
    if parent.is_dir() and not os.access(parent, os.W_OK | os.X_OK):
        raise LossplayError(f"Cannot write to '{parent}': permission denied. Choose another file with --out.")
    report = build_report(folder)
    write_new_file(destination, report.html, force=True)
    report.path = destination
    return report


STYLE = """
:root { color-scheme: light; --ink: #1d2329; --muted: #56606b; --line: #d5dbe1; --soft: #f3f5f7;
  --good: #1e7b34; --bad: #b3261e; --warn: #8a5a00; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main, footer { max-width: 50rem; margin: 0 auto; padding: 0 1rem; }
main { padding-top: 1.5rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0.1rem 0 0.8rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
p { margin: 0.5rem 0; }
.kind { margin: 0; color: var(--muted); font-size: 0.85rem; text-transform: uppercase; letter-spacing: 0.06em; }
.lead { font-size: 1.05rem; }
.note, .files { color: var(--muted); font-size: 0.92rem; }
.status { border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 4px;
  padding: 0.4rem 0.9rem; margin: 1rem 0; background: var(--soft); }
.status p:first-child strong { font-size: 1.1rem; }
.status-completed, .status-early_stopped { border-left-color: var(--good); }
.status-diverged { border-left-color: var(--bad); }
.status-diverged p:first-child strong { color: var(--bad); }
.status-interrupted { border-left-color: var(--warn); }
.scroll { overflow-x: auto; margin: 0.6rem 0; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 0.3rem 0.7rem 0.3rem 0; text-align: left; vertical-align: top; }
thead th { border-bottom: 1.5px solid var(--ink); white-space: nowrap; }
tbody tr + tr td, tbody tr + tr th { border-top: 1px solid var(--line); }
td.num { text-align: right; white-space: nowrap; }
td:last-child, th:last-child { padding-right: 0; }
table.metrics td:last-child { color: var(--muted); font-size: 0.92rem; padding-left: 0.6rem; }
table.comparison td strong { color: var(--good); }
table.comparison td { white-space: nowrap; }
.word-diverged { color: var(--bad); font-weight: 600; }
.warning { border-left: 4px solid var(--warn); padding-left: 0.7rem; }
table.keys { width: 100%; margin: 0.4rem 0; }
table.keys th { font-weight: 600; width: 10.5rem; padding-right: 1rem; }
figure { margin: 1rem 0 1.5rem; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
figcaption { font-size: 0.95rem; margin-top: 0.4rem; }
figcaption p { margin: 0.25rem 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1.2rem 0.8rem; }
@media (max-width: 30rem) { .grid { grid-template-columns: 1fr; } }
.grid figure { margin: 0; }
.grid figcaption { margin: 0 0 0.3rem; }
.missing { border: 1px dashed var(--bad); color: var(--bad); padding: 0.5rem 0.8rem; margin: 0.8rem 0;
  border-radius: 4px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 0.6rem 0.8rem;
  white-space: pre-wrap; font-size: 0.9rem; }
pre span { white-space: nowrap; }
td code { white-space: nowrap; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; }
.options { columns: 2 16rem; column-gap: 2rem; font-size: 0.88rem; }
.options table { width: 100%; margin: 0 0 0.8rem; break-inside: avoid; page-break-inside: avoid; }
.options caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
.options th { font-weight: normal; font-family: ui-monospace, Menlo, Consolas, monospace; }
.options td { text-align: right; overflow-wrap: anywhere; }
.options th, .options td { padding: 0.1rem 0.4rem 0.1rem 0; }
footer { margin-top: 2.5rem; padding-top: 0.6rem; padding-bottom: 2rem; border-top: 1px solid var(--line);
  color: var(--muted); font-size: 0.85rem; overflow-wrap: anywhere; }
@media (max-width: 30rem) {
  body { font-size: 15px; }
  h1 { font-size: 1.45rem; }
  table.keys th { width: 35%; }
}
@media print {
  body { font-size: 10.5pt; }
  main, footer { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .status { background: none; }
  .scroll { overflow: visible; }
  figure img { width: auto; max-width: 100%; max-height: 10cm; margin: 0 auto; }
  figure.animation, section.animations { display: none; }
  a { color: inherit; text-decoration: none; }
}
"""
