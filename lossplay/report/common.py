"""What every page says the same way: the words for models, metrics and pictures, values as text, the data."""

from lossplay.config import FIELDS
from lossplay.formatting import number
from lossplay.report.paths import shown_name

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




MODEL_WORDS = {"linear": "prediction = w·x + b", "logistic": "probability of class 1 = σ(w·x + b)",
               "softmax": "class probabilities = softmax(W·x + b)"}


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


def original_units(weights, bias, standardization):
    """Weights and bias in the features' own units, undoing (x − mean) / std; None when not possible."""
    mean, std = sequence(standardization.get("mean")), sequence(standardization.get("std"))
    if not (len(mean) == len(std) == len(weights) and is_number(bias)
            and all(is_number(v) for v in [*mean, *std, *weights])) or any(s == 0 for s in std):
        return None
    converted = [w / s for w, s in zip(weights, std)]
    return converted, bias - sum(w * m for w, m in zip(converted, mean))


def line_text(slope, intercept):
    """'2.98x + 1.97': a straight line's slope and intercept, with 3 significant digits."""
    sign = "+" if intercept >= 0 else "−"
    return f"{number(slope, 3)}x {sign} {number(abs(intercept), 3)}"


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
    loss, optimizer, dataset = (shown_name(config[name]) if config.get(name) else None
                                for name in ("loss", "optimizer", "dataset"))
    words = [f"{loss} loss"] if loss else []
    if optimizer:
        words.append(f"with {optimizer}" if words else str(optimizer))
    if dataset:
        words.append(f"on {dataset}" if words else f"dataset {dataset}")
    return " ".join(words) or "a training run"
