"""The page of a comparison (compare.json): the runs side by side, the lesson, the pictures."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from lossplay.config import flag_name
from lossplay.errors import LossplayError
from lossplay.formatting import number, plural
from lossplay.report.common import (
    COMPARISON_ANIMATION_TEXT,
    LOSS_CURVE_TEXT,
    METRICS,
    data_rows,
    is_number,
    is_output_option,
    line_text,
    mapping,
    original_units,
    sequence,
    setting,
    status_word,
)
from lossplay.report.markup import element, join, key_values, paragraph, section, table
from lossplay.report.paths import shown_name
from lossplay.report.reading import read_json
from lossplay.report.settings import every_option, loss_text, optimizer_text, settings_rows
from lossplay.verdicts import comparison_sentences


@dataclass
class ComparedRun:
    """One run of a comparison as compare.json lists it, with its own run.json when it can be read."""

    entry: dict
    folder: Path
    doc: dict = field(default_factory=dict)

    @property
    def name(self):
        return shown_name(self.entry.get("name", self.entry.get("dir", "?")))

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


def compared_settings(runs, merged, varied):
    """The settings rows of a comparison: those of ``merged``, with a varied loss or optimizer described run
    by run (each with its own options), since a list of names says nothing about their options."""
    own = {"Loss": ("loss", loss_text), "Optimizer": ("optimizer", optimizer_text)}
    rows = []
    for label, value in settings_rows(merged):
        if label in own and own[label][0] in varied:
            describe = own[label][1]
            value = "; ".join(dict.fromkeys(describe(run.config) for run in runs if run.config))
        rows.append((label, value))
    return rows


def best_names(doc, metric):
    """The names of the runs in the best group of ``metric`` (compare.json's ranking), when the runs do
    not all tie; diverged runs are never among them."""
    ranking = mapping(doc.get("ranking"))
    found = sequence(mapping(ranking.get("by_metric")).get(metric))
    if not found and ranking.get("metric") == metric:
        found = sequence(ranking.get("groups"))
    return {shown_name(name) for name in sequence(found[0])} if len(found) > 1 else set()


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


def comparison_table(runs, common, split, true_params, doc):
    """Status, own cost, the common metrics (best in bold), the fitted line and the outliers' pull."""
    lines = [fitted_line(run) for run in runs]
    shares = [run.entry.get("outlier_gradient_share") for run in runs]
    has_lines, has_shares = any(lines), any(is_number(s) for s in shares)
    header = ["run", "status", "own cost", *(METRICS.get(m, (m,))[0] for m in common)]
    header += ["fitted line"] * has_lines + ["outlier pull"] * has_shares
    best = {metric: best_names(doc, metric) for metric in common}
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
    return table(header, rows, class_="comparison", label="The runs side by side"), has_shares


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
    dataset = shown_name(config["dataset"]) if config.get("dataset") else None
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
    table_html, has_shares = comparison_table(runs, common, split, doc.get("true_params"), doc)
    notes = [f"Compared on the {split_words} split{clean}. The best value of each common metric is in bold, "
             "when the runs differ by more than their noise.",
             "Own cost: each run's own loss, on its own scale; the other columns are one yardstick for all."]
    if has_shares:
        notes.append("Outlier pull: the share of the total gradient that comes from the corrupted rows, at the "
                     "final parameters (under MSE a far-off row pulls hard; under MAE each row pulls at most 1).")
    lesson = comparison_sentences({**doc, "split": split})
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
        merged = merged_config(runs, varied)
        body.append(section("What was trained", paragraph(
            "The settings of every run; where they differ, the values of the runs are listed in order.",
            class_="note"), key_values(compared_settings(runs, merged, varied)), every_option(merged),
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
        body.append(section("Each run's loss curve", paragraph(intro), *curves))

    listed = ["compare.json", *(name for name in ("compare.png", "compare.gif") if (Path(folder) / name).is_file())]
    listed += [f"{run.entry.get('dir')}/" for run in runs if run.entry.get("dir")]
    body.append(paragraph("Files in the folder: ", join(listed, ", "), ".", class_="files"))
    return title, join(body, "\n"), first.doc.get("lossplay_version")
