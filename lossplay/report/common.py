"""What every page says the same way: the words for losses, models and metrics, values as text, the settings."""

import shlex
from pathlib import Path

from lossplay.catalog import LOSSES, OPTIMIZERS, OPTIONS
from lossplay.config import FIELDS, SECTIONS, flag_name
from lossplay.formatting import number
from lossplay.report.markup import element, escape, join

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




LOSS_WORDS = {name: entry.title for name, entry in LOSSES.items()}


MODEL_WORDS = {"linear": "prediction = w·x + b", "logistic": "probability of class 1 = σ(w·x + b)",
               "softmax": "class probabilities = softmax(W·x + b)"}


# the options of each loss and optimizer worth naming next to it, with the symbol the formulas use
# which options each loss and optimizer reads, with their symbols: from the catalog
LOSS_OPTIONS = {name: tuple((o, OPTIONS[o].symbol) for o in entry.options) for name, entry in LOSSES.items()}
OPTIMIZER_OPTIONS = {name: entry.options for name, entry in OPTIMIZERS.items()}


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
            default = OPTIONS[name].default
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
        rows.append(("Polynomial features",
                     f"every product of the original features up to degree {config['poly_degree']}"
                     if config.get("interactions") else
                     f"powers 1 to {config['poly_degree']} of each original feature"))
    if "standardization" in data:
        rows.append(("Standardised", "yes: each feature rescaled to mean 0 and standard deviation 1 on the "
                                     "training rows" if data.get("standardization") else "no"))
    if config.get("outliers"):
        fraction = config.get("outlier_fraction")
        share = f"{fraction:.0%} of the" if is_number(fraction) else "some"
        corrupted = "labels flipped" if task in ("binary", "multiclass") else "targets corrupted"
        rows.append(("Outliers", f"{share} training {corrupted} on purpose; the validation rows are clean"))
    return rows


def page_title(config):
    """'huber loss with adam on linear', with whatever of the three the config holds."""
    loss, optimizer, dataset = config.get("loss"), config.get("optimizer"), dataset_label(config.get("dataset"))
    words = [f"{loss} loss"] if loss else []
    if optimizer:
        words.append(f"with {optimizer}" if words else str(optimizer))
    if dataset:
        words.append(f"on {dataset}" if words else f"dataset {dataset}")
    return " ".join(words) or "a training run"
