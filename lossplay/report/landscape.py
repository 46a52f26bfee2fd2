"""The page of a loss landscape (landscape.json): the lowest point, the paths, the pictures."""

from lossplay.formatting import number
from lossplay.report.common import (
    ANY_ANIMATION_TEXT,
    data_rows,
    is_number,
    mapping,
    page_title,
    sequence,
    setting,
    summarise,
)
from lossplay.report.markup import element, join, key_values, paragraph, section, table
from lossplay.report.paths import shown_name
from lossplay.report.settings import every_option, settings_rows

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
        row = [shown_name(setting(path.get("name", ""))), shown_name(setting(path.get("optimizer", ""))),
               number(path.get("lr")),
               "—" if steps is None else str(steps), number(path.get("final_cost"))]
        rows.append(row + ([setting(path.get("status"))] if with_status else []))
    header = ["path", "optimizer", "learning rate", "steps", "final cost"] + ["status"] * with_status
    notes = [paragraph(f"{shown_name(setting(path.get('name', '')))}: {path['message']}.", class_="note")
             for path in paths if path.get("message")]
    return [table(header, rows, class_="paths", label="The paths"), *notes] if rows else []


def landscape_page(folder, doc, pictures):
    """(title, body, lossplay version that wrote it) of a landscape folder's page."""
    config, data = mapping(doc.get("config")), mapping(doc.get("data"))
    parameters = [str(p) for p in sequence(doc.get("parameters"))]
    title = "Loss landscape: " + page_title({**config, "optimizer": None})
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
    settings = [(label, value) for label, value in settings_rows(config)
                if label not in ("Optimizer", "Learning rate", "Epochs", "Early stopping")]
    content = [key_values(settings), *([every_option(config)] if config else []), element("h3", "The data"),
               key_values(data_rows(data, config))]
    grid = mapping(doc.get("grid"))
    if grid:
        content += [element("h3", "The grid"), key_values([(str(k), grid_range(v)) for k, v in grid.items()
                                                          if v is not None])]
    body.append(section("What was computed", *content))
    return title, join(body, "\n"), doc.get("lossplay_version")
