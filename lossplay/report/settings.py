"""The settings of a run as a page shows them: the options that matter for it, every option behind a
``<details>``, and the command that trains it again.

Which options matter is read from what run.json recorded and from the catalog
(``lossplay.catalog``), never from the loss and optimizer classes: a loss's own
options only with that loss, an optimizer's only with that optimizer, a schedule's
only with that schedule, early stopping's only with a patience. A user's own loss or
optimizer (``FILE.py:CLASS``) has no catalog entry: the page then shows the options
of its kind whose recorded values differ from the catalog's defaults.
"""

from lossplay.catalog import LOSS_OPTIONS, LOSSES, OPTIMIZER_OPTIONS, OPTIMIZERS, OPTIONS, is_plugin
from lossplay.config import FIELDS, SECTIONS, command_line, flag_name
from lossplay.formatting import plural
from lossplay.report.common import MODEL_WORDS, is_number, is_output_option, lookup, setting
from lossplay.report.markup import Html, command, element
from lossplay.report.paths import shown_name, shown_words
from lossplay.schedules import DEFAULT_GAMMA

# the tasks whose losses can weigh their rows by class (--class-weight)
CLASS_WEIGHTED_TASKS = ("binary", "multiclass")

# the optimizer options whose symbol alone says little: their name goes before it
OPTION_WORDS = {"momentum": "momentum", "weight_decay": "weight decay"}

# the options whose values may name a file: a dataset, a user's FILE.py:CLASS, landscape's list of optimizers
FILE_OPTIONS = ("dataset", "loss", "optimizer", "optimizers")

# the options a page always puts in the command that trains a run again, even at their defaults
ALWAYS_IN_COMMAND = ("dataset", "loss", "optimizer", "lr")


def differs_from_default(config, name):
    """Whether an option of a loss or an optimizer was recorded with a value other than the catalog's."""
    value = config.get(name)
    return value is not None and value != OPTIONS[name].default


def loss_options(config):
    """The options the run's loss reads: the catalog's list for a built-in loss; for a user's loss, the loss
    options recorded away from their defaults; none for a name the catalog does not know."""
    loss = config.get("loss")
    if is_plugin(loss):
        return [name for name in LOSS_OPTIONS if differs_from_default(config, name)]
    return list(lookup(LOSSES, loss).options) if lookup(LOSSES, loss) else []


def optimizer_options(config):
    """The options the run's optimizer reads, like ``loss_options``; Nesterov only when it is on."""
    optimizer = config.get("optimizer")
    if is_plugin(optimizer):
        names = [name for name in OPTIMIZER_OPTIONS if differs_from_default(config, name)]
    else:
        names = list(lookup(OPTIMIZERS, optimizer).options) if lookup(OPTIMIZERS, optimizer) else []
    return [name for name in names if name != "nesterov" or config.get("nesterov")]


def option_text(name, value):
    """'δ = 1', 'momentum μ = 0.9', 'Nesterov': one option of a loss or an optimizer with its symbol."""
    option = OPTIONS[name]
    if option.kind is bool:
        return name.capitalize() if value else f"no {name}"
    words = f"{OPTION_WORDS[name]} " if name in OPTION_WORDS else ""
    return f"{words}{option.symbol or name} = {setting(value)}"


def with_options(text, extras):
    return text + (f" ({', '.join(extras)})" if extras else "")


def loss_text(config):
    """The loss, what it is, and the values of the options it reads (class weights when the loss weighs)."""
    loss = config.get("loss")
    extras = [option_text(name, config[name]) for name in loss_options(config) if config.get(name) is not None]
    if config.get("class_weight") is not None and (is_plugin(loss) or lookup(LOSSES, loss) is None
                                                   or LOSSES[loss].task in CLASS_WEIGHTED_TASKS):
        extras.append(f"class weights {config['class_weight']}")
    title = lookup(LOSSES, loss)
    return with_options(shown_name(loss) + (f": {title.title}" if title else ""), extras)


def optimizer_text(config):
    """The optimizer, what it is, and the values of the options it reads."""
    optimizer = config.get("optimizer")
    extras = [option_text(name, config[name]) for name in optimizer_options(config) if config.get(name) is not None]
    title = lookup(OPTIMIZERS, optimizer)
    return with_options(shown_name(optimizer) + (f": {title.title}" if title else ""), extras)


def learning_rate_text(config):
    """The learning rate, with its schedule and warm-up when they change it."""
    text = setting(config.get("lr"))
    schedule = config.get("lr_schedule")
    gamma = config.get("lr_gamma")
    gamma = gamma if is_number(gamma) else lookup(DEFAULT_GAMMA, schedule)
    if schedule == "step":
        every = config.get("lr_step_size")
        text += f", step schedule: × {setting(gamma)} every {plural(every, 'epoch') if every else 'few epochs'}"
    elif schedule == "exponential":
        text += f", exponential schedule: × {setting(gamma)} each epoch"
    elif schedule == "cosine":
        text += ", cosine schedule: down to 0 by the last epoch"
    elif schedule not in (None, "constant"):
        text += f", {schedule} schedule"
    warmup = config.get("warmup_epochs")
    if is_number(warmup) and warmup > 0:
        text += f", after {plural(warmup, 'warm-up epoch')} rising from lr/{warmup}"
    return text


def early_stopping_text(config):
    """What early stopping watches, for a run with a patience; None without one."""
    patience = config.get("patience")
    if patience is None:
        return None
    min_delta = config.get("min_delta")
    fall = f"fallen by more than {setting(min_delta)}" if is_number(min_delta) and min_delta > 0 else "improved"
    text = f"patience {patience}: stop once the validation cost has not {fall} for {plural(patience, 'epoch')}"
    restore = config.get("restore_best")
    if restore is not None:
        text += (", then go back to the best epoch's parameters" if restore
                 else ", keeping the last epoch's parameters")
    return text


def batch_text(config):
    """Rows per update, and the order they are taken in."""
    batch = config.get("batch_size")
    if batch is None:
        return None
    if batch == 0:
        return "full batch: every training row in each update"
    order = config.get("shuffle")
    return f"{batch} rows per update" + ("" if order is None else ", shuffled before each epoch" if order
                                         else ", in file order")


def start_text(config):
    """Where the parameters start: given values, small random ones or zeros."""
    weights, bias = config.get("init_weights"), config.get("init_bias")
    if weights is not None or bias is not None:
        given = [f"w = {setting(weights)}" if weights is not None else None,
                 f"b = {setting(bias)}" if bias is not None else None]
        return "; ".join(part for part in given if part) + " (in the units the model trains in)"
    init = config.get("init")
    if init == "normal":
        return "small random weights (normal, standard deviation 0.01), bias 0"
    if init == "zeros":
        return "every weight and the bias at 0"
    return None if init is None else setting(init)


def dataset_text(config):
    """The dataset by name (a file by its own name), with the noise it was generated with."""
    dataset = config.get("dataset")
    if dataset is None:
        return None
    noise = config.get("noise")
    return shown_name(dataset) + (f" (generated, noise {setting(noise)})" if is_number(noise) else "")


def settings_rows(config):
    """The options that matter for this run, each as (label, value text); what the config lacks is left out."""
    c = config
    model = c.get("model")
    rows = [
        ("Dataset", dataset_text(c)),
        ("Model", f"{model}: {MODEL_WORDS[model]}" if lookup(MODEL_WORDS, model) else model),
        ("Loss", loss_text(c) if c.get("loss") is not None else None),
        ("Optimizer", optimizer_text(c) if c.get("optimizer") is not None else None),
        ("Learning rate", learning_rate_text(c) if c.get("lr") is not None else None),
        ("Epochs", setting(c["epochs"]) + (" at most" if c.get("patience") is not None else "")
         if c.get("epochs") is not None else None),
        ("Early stopping", early_stopping_text(c)),
        ("Batch size", batch_text(c)),
        ("Start", start_text(c)),
    ]
    if c.get("l1") is not None or c.get("l2") is not None:
        penalties = [f"{name.upper()} λ = {setting(c[name])}" for name in ("l1", "l2") if c.get(name)]
        rows.append(("Penalty", " + ".join(penalties) if penalties else "none"))
    if c.get("clip_grad") is not None:
        rows.append(("Gradient clipping", f"norm at most {setting(c['clip_grad'])}"))
    if c.get("seed") is not None:
        rows.append(("Seed", setting(c["seed"])))
    return [(label, value) for label, value in rows if value is not None]


def every_option(config: dict) -> Html:
    """Every option of the config but the output ones, grouped like ``lossplay train --help``, in a
    ``<details>`` that is closed until the reader opens it (and left out of the printed page)."""
    groups: dict[str, list] = {name: [] for name in SECTIONS}
    other = []
    for name, value in config.items():
        if is_output_option(name):
            continue
        shown = value
        if name in FILE_OPTIONS:  # a file by its own name; a list (landscape's optimizers) item by item
            shown = [shown_name(v) for v in value] if isinstance(value, list) else shown_name(value)
        row = element("tr", element("th", flag_name(name), scope="row",
                                    title=FIELDS[name].metadata["help"] if name in FIELDS else None),
                      element("td", setting(shown)))
        if name in FIELDS:
            groups.setdefault(FIELDS[name].metadata["section"], []).append(row)
        else:
            other.append(row)
    if other:
        groups["Other options"] = other
    tables = [element("table", element("caption", title), element("tbody", *rows), class_="compact")
              for title, rows in groups.items() if rows]
    count = sum(len(rows) for rows in groups.values())
    return element("details", element("summary", f"Every option ({count}), as recorded"),
                   element("div", *tables, class_="options"), class_="every-option")


def options_to_set(config):
    """The loss and optimizer options the command that trains a run again must set: a built-in loss's or
    optimizer's own options away from their defaults; for a user's class, which may read any option of its
    kind with defaults of its own, every one of them at its recorded value."""
    names = []
    for kind, table, of_kind in (("loss", LOSSES, LOSS_OPTIONS), ("optimizer", OPTIMIZERS, OPTIMIZER_OPTIONS)):
        name = config.get(kind)
        if is_plugin(name):
            names += of_kind
        elif lookup(table, name) is not None:
            names += [option for option in table[name].options if differs_from_default(config, option)]
    return names


def train_command(config):
    """The ``lossplay train`` command that trains this run again, from its recorded options, as markup
    (``markup.command``); files are named without their folders (``paths``). An option of a loss or an
    optimizer is set only when the run's own reads it (``options_to_set``)."""
    catalog_options = options_to_set(config)
    options = {name: value for name, value in config.items()
               if name in FIELDS and not is_output_option(name)
               and (name in catalog_options if name in OPTIONS
                    else value != FIELDS[name].default or name in ALWAYS_IN_COMMAND)}
    return command(shown_words(command_line(options)))


def recorded_command(text):
    """A command lossplay recorded (advice, a suggestion) as markup, its files named without their folders."""
    return command(shown_words(text))

