"""The page of a training run (run.json): status, settings, how training went, metrics, parameters, pictures."""

from lossplay.formatting import number, plural
from lossplay.report.common import (
    ANIMATION_TEXT,
    ANY_ANIMATION_TEXT,
    FIT_TEXT,
    LOSS_CURVE_TEXT,
    METRICS,
    MULTICLASS_METRICS,
    REGIONS_TEXT,
    data_rows,
    is_number,
    line_text,
    mapping,
    original_units,
    page_title,
    sequence,
    setting,
)
from lossplay.report.markup import breakable, element, join, key_values, paragraph, section, table
from lossplay.report.paths import files_note
from lossplay.report.reading import cell_number, read_history, true_parameters
from lossplay.report.settings import every_option, recorded_command, settings_rows, train_command
from lossplay.verdicts import KIND_TITLES


def status_sentences(doc, config):
    """(status title, sentences) saying how the run ended and which parameters the page shows."""
    status = doc.get("status")
    epochs_run, epochs, patience = doc.get("epochs_run"), config.get("epochs"), config.get("patience")
    of_total = f" of {epochs}" if epochs is not None else ""
    if status == "completed":
        ran = ("every epoch ran" if epochs is None else "its one epoch ran" if epochs == 1
               else f"all {epochs} epochs ran")
        return "Completed", [f"Training completed: {ran}, and the numbers below are those of the last epoch."]
    if status == "early_stopped":
        sentences = [f"Early stopping ended training after epoch {epochs_run}{of_total}: the validation cost had "
                     f"not improved for {plural(patience, 'epoch')}." if patience is not None and epochs_run is not None
                     else "Early stopping ended training: the validation cost had stopped improving."]
        kept = doc.get("kept_epoch")
        if is_number(kept) and kept != epochs_run:
            sentences.append(f"The parameters and metrics below are those of epoch {kept}, the one with the lowest "
                             "validation cost (early stopping went back to them).")
        elif epochs_run is not None:
            sentences.append(f"The parameters and metrics below are those of the last epoch, {epochs_run}.")
        return "Stopped early", sentences
    if status == "diverged":
        at = f" at epoch {epochs_run}" if epochs_run is not None else ""
        learning_rate = f" (here {setting(config.get('lr'))})" if is_number(config.get("lr")) else ""
        return "Diverged", [
            f"Training blew up{at}: the cost or the gradient grew more than a million-fold or stopped being a "
            "finite number, so lossplay stopped it.",
            f"Each update overshot the minimum by more than the last: the learning rate{learning_rate} is too "
            "large for this problem. The numbers below belong to a model that blew up."]
    if status == "interrupted":
        after = f" after {epochs_run}{of_total} epochs" if of_total else f" after {plural(epochs_run, 'epoch')}" \
            if epochs_run is not None else ""
        return "Interrupted", [f"Training was stopped (Ctrl-C or SIGTERM){after}: the numbers below are those it had "
                               "reached, and the loss curve ends there."]
    if status is None:
        return None, []
    return str(status), [f"The run's status is '{status}'."]


def training_sentences(doc, history, has_validation):
    """The best epoch, then what the numbers say: run.json's diagnosis (findings, notes, checked advice)."""
    sentences = []
    best = doc.get("best_epoch")
    split = "validation" if has_validation else "training"
    if best is not None:
        row = history.get(str(best), {})
        value = cell_number(row.get("val_loss" if has_validation else "train_loss"))
        sentences.append(f"The {split} cost was lowest at epoch {best}"
                         + (f" ({number(value)})." if value is not None else "."))
    diagnosis = mapping(doc.get("diagnosis"))
    if not diagnosis:
        sentences.append("This folder was written by an older lossplay, whose run.json holds no diagnosis: "
                         "train the run again to read what its numbers say.")
        return sentences
    for finding in sequence(diagnosis.get("findings")):
        finding = mapping(finding)
        kind = str(finding.get("kind", ""))
        title = KIND_TITLES.get(kind, kind.replace("_", " ").capitalize())
        sentences.append(join([element("strong", title), f": {finding.get('detail', '')}"]))
    sentences += [str(note) for note in sequence(diagnosis.get("notes"))]
    if not has_validation:
        sentences.append("There are no validation rows (--val-split 0): every row was used for training, so "
                         "overfitting cannot be seen.")
    for advice in sequence(diagnosis.get("advice")):
        advice = mapping(advice)
        sentences.append(join(["Advice, checked by training it first: ", str(advice.get("why", "")), " ",
                               element("code", recorded_command(advice.get("command", "")))]))
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
    return table(["metric", "training", "validation", "what it measures"], rows, class_="metrics",
                 label="The metrics on the training and validation rows")


def parameters_section(params, data, config):
    """The learned weights (by feature name) and bias: a column, or a matrix for softmax; beside them the
    values in the data's units and, for generated data, the true ones it was drawn from."""
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
        rows = [[breakable(f"w[{name}]"), *(number(v) for v in row)] for name, row in zip(names, weights)]
        if isinstance(bias, list):
            rows.append(["b (bias)", *(number(v) for v in bias)])
        intro = (f"One weight per feature and class, {units}: the class whose score Σ w·x + b is highest wins, "
                 "and softmax turns the scores into probabilities.")
        return section("Learned parameters", paragraph(intro),
                       table(["parameter", *(f"class {c}" for c in classes)], rows, class_="params",
                             label="The learned parameters"))
    header = ["parameter", "learned"]
    rows = [[breakable(f"w[{name}]"), number(w)] for name, w in zip(names, weights)]
    rows.append(["b (bias)", number(bias)])
    converted = original_units(weights, bias, standardization) if standardization else None
    if converted is not None:
        header.append("in the data's units")
        for row, value in zip(rows, [*converted[0], converted[1]]):
            row.append(number(value))
    true = true_parameters(config, features) if len(features) == len(weights) else None
    if true is not None:
        header.append("true")
        for row, value in zip(rows, [*true["weights"], true["bias"]]):
            row.append(number(value))
    intro = [f"The weights (one per feature) and the bias, {units}."]
    if data.get("task") == "binary":
        intro.append("The decision boundary is where w·x + b = 0, that is where the probability of class 1 is 0.5.")
    if converted is not None:
        intro.append(f"The {'third' if true is not None else 'last'} column converts them back to the features' "
                     "own units, to compare with the data.")
    if true is not None:
        intro.append("The last column holds the true values the generated data was drawn from, before its noise: "
                     "no run can learn them exactly from noisy rows, but a good fit comes close.")
    learned = converted if converted is not None else (weights, bias) if not standardization else None
    sentences = [paragraph(" ".join(intro))]
    if true is not None and learned is not None and len(weights) == 1 and is_number(learned[1]):
        sentences.append(paragraph(
            "The true line: ", element("strong", f"y = {line_text(true['weights'][0], true['bias'])}"),
            "; the learned line: ", element("strong", f"y = {line_text(learned[0][0], learned[1])}"), ".",
            class_="lines"))
    return section("Learned parameters", *sentences, table(header, rows, class_="params",
                                                           label="The learned parameters"))


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

    body.append(section("What was trained", key_values(settings_rows(config)), every_option(config),
                        element("h3", "The data"), key_values(data_rows(data, config))))

    shown = set()
    went = training_sentences(doc, history, has_validation)
    curve = []
    if isinstance(files.get("loss_curve"), str):
        curve.append(pictures.figure(files["loss_curve"], "The loss curve", LOSS_CURVE_TEXT))
        shown.add("loss_curve")
    if went or curve:
        body.append(section("How training went", *(paragraph(s) for s in went), *curve))

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
    parameters = parameters_section(mapping(doc.get("params")), data, config)
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
        note = files_note(config)
        body.append(section("Train it again", paragraph("This command trains the same run again, number for "
                                                        "number:"),
                            element("pre", element("code", train_command(config))),
                            *([paragraph(note, class_="note")] if note else [])))
    listed = ["run.json", *(str(name) for name in files.values())]
    body.append(paragraph("Files in the folder: ", join(listed, ", "), ".", class_="files"))
    return page_title(config), join(body, "\n"), doc.get("lossplay_version")


def _is_picture(name):
    return name.lower().endswith((".png", ".gif", ".jpg", ".jpeg"))
