"""The page of a learning-rate range test (lr_find.json): what it found, the picture, the settings."""

import math

from lossplay.formatting import number
from lossplay.report.common import ANY_ANIMATION_TEXT, data_rows, is_number, mapping, page_title, sequence
from lossplay.report.markup import element, join, key_values, paragraph, section
from lossplay.report.paths import files_note
from lossplay.report.settings import every_option, recorded_command, settings_rows


def lr_find_page(folder, doc, pictures):
    """(title, body, lossplay version that wrote it) of an lr-find folder's page."""
    config, data = mapping(doc.get("config")), mapping(doc.get("data"))
    title = "Learning-rate finder: " + page_title(config)
    body = [paragraph("The learning rate grew step by step, one update at a time, from a rate too small to "
                      "change much to one so large the cost blows up; the cost after each step says which "
                      "rates learn.", class_="lead")]
    findings = []
    suggested = doc.get("suggested_lr")
    if is_number(suggested):
        command, check = doc.get("suggested_command"), doc.get("suggested_command_check")
        if isinstance(command, str) and isinstance(check, str):
            findings.append(("Suggested learning rate",
                             f"{number(suggested)}, where the smoothed cost falls fastest. {check}"))
        else:  # no rate passed the check, or a folder of an older lossplay that did not check it
            findings.append(("Suggested learning rate",
                             f"{number(suggested)}, where the smoothed cost falls fastest; no train command was "
                             "checked with it."))
    elif doc.get("why_no_suggestion") is not None:
        findings.append(("No suggestion", str(doc["why_no_suggestion"])))
    limit = doc.get("stability_limit")
    if is_number(limit):
        means = [str(sentence).removeprefix("Stability limit: ")
                 for sentence in sequence(doc.get("stability_limit_means"))]
        findings.append(("Stability limit", " ".join(means) if means else
                         f"{number(limit)}: 2 / the largest eigenvalue of the Hessian of the MSE cost; plain "
                         "full-batch gradient descent diverges above it"))
    lrs = [v for v in sequence(doc.get("lrs")) if is_number(v)]
    if lrs:
        findings.append(("Rates tried", f"{len(lrs)}, from {number(min(lrs))} to {number(max(lrs))}"))
    if doc.get("status") == "interrupted":
        findings.append(("Interrupted", "the search was stopped (Ctrl-C or SIGTERM) before its last step"))
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
        found = [key_values(findings)]
        command = doc.get("suggested_command")
        if is_number(suggested) and isinstance(command, str) and isinstance(doc.get("suggested_command_check"), str):
            note = files_note(config)
            found += [paragraph("The command that trains with the suggested rate:"),
                      element("pre", element("code", recorded_command(command))),
                      *([paragraph(note, class_="note")] if note else [])]
        body.append(section("What it found", *found))
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
    settings = [(label, value) for label, value in settings_rows(config) if label != "Learning rate"]
    body.append(section("The settings", key_values(settings), *([every_option(config)] if config else []),
                        element("h3", "The data"), key_values(data_rows(data, config))))
    return title, join(body, "\n"), doc.get("lossplay_version")
