"""What lossplay offers, as tables and cards: datasets, losses, optimizers, gradient checks."""

import re

from rich import box
from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from lossplay.formatting import plural
from lossplay.render.common import Fitted, Hanging, number

# the narrowest a column of sentences may get before a catalog is stacked in lines instead
PROSE_WIDTH = 24


def datasets_table(catalog):
    """Every dataset: name, kind, task, size, features and what it is good for; stacked in lines when the
    table would squeeze its sentences into a narrow column."""
    return Fitted(lambda: _datasets_columns(catalog), lambda: _datasets_lines(catalog))


DATASETS_TITLE = "Datasets (use with --dataset NAME)"


def _datasets_columns(catalog):
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=DATASETS_TITLE)
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("task")
    table.add_column("rows", justify="right", no_wrap=True)
    table.add_column("feat.", justify="right", no_wrap=True)
    table.add_column("good for", min_width=PROSE_WIDTH)
    for info in catalog.values():
        table.add_row(info.name, f"{info.task}\n[dim]{info.kind}[/]", str(info.n_rows), str(info.n_features),
                      info.good_for)
    return table


def _datasets_lines(catalog):
    parts = [Text(DATASETS_TITLE, style="italic")]
    for info in catalog.values():
        parts.append(Hanging(Text.assemble((info.name, "bold"), f"  {info.task}, {info.kind}, "
                                           f"{plural(info.n_rows, 'row')}, {plural(info.n_features, 'feature')}"),
                             ""))
        parts.append(Hanging(Text(info.good_for), "    "))
    return Group(*parts)


CONFIGS_TITLE = "Configs shipped with lossplay (use with --config NAME, from any folder)"


def configs_table(configs):
    """Every shipped config: its name, the command that reads it and what it shows; stacked in lines when
    the table would squeeze its sentences into a narrow column."""
    return Fitted(lambda: _configs_columns(configs), lambda: _configs_lines(configs))


def _configs_columns(configs):
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=CONFIGS_TITLE)
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("command", no_wrap=True)
    table.add_column("what it shows", min_width=PROSE_WIDTH)
    for config in configs.values():
        table.add_row(config.name, config.command, escape(config.summary))
    return table


def _configs_lines(configs):
    parts = [Text(CONFIGS_TITLE, style="italic")]
    for config in configs.values():
        parts.append(Text.assemble((config.name, "bold"), f"  (lossplay {config.command})"))
        parts.append(Hanging(Text(config.summary), "    "))
    return Group(*parts)


def _option_words(defaults):
    """'--delta (1)' for each option of ``defaults`` ({option: default}), as the command line spells it."""
    from lossplay.config import flag_name

    words = []
    for name, default in defaults.items():
        shown = "none" if default is None else ("on" if default else "off") if isinstance(default, bool) else default
        words.append(f"{flag_name(name)} ({shown})")
    return ", ".join(words)


LOSSES_TITLE = "Losses (use with --loss NAME; r = z − y, z the model's raw output)"
OPTIMIZERS_TITLE = "Optimizers (use with --optimizer NAME; g is the gradient of the objective)"


def losses_table(losses):
    """Every loss: name and options, task, formula and derivative, behaviour and when to use it; stacked in
    lines when the table would squeeze its sentences into a narrow column."""
    rows = [(f"{cls.name}\n[dim]{cls.task}[/]" + "".join(f"\n[dim]{_option_words({name: value})}[/]"
                                                      for name, value in cls.option_defaults().items()),
             escape(f"{cls.formula}\n{cls.derivative_formula}"),
             f"{escape(cls.behaviour)}.\n[italic]Use: {escape(cls.use_when)}.[/]") for cls in losses.values()]
    return Fitted(lambda: _catalog_columns(LOSSES_TITLE, ("name", 14), "loss L and derivative dL/dz", rows),
                  lambda: _catalog_lines(LOSSES_TITLE, rows))


def optimizers_table(optimizers):
    """Every optimizer: name, update rule, hyperparameters, behaviour; stacked in lines when the table would
    squeeze its sentences into a narrow column."""
    from lossplay.registry import default_lr

    rows = []
    for name, cls in optimizers.items():
        defaults = cls.option_defaults()
        options = ", ".join([f"--lr ({default_lr(name)})", *([_option_words(defaults)] if defaults else [])])
        rows.append((cls.name, f"{escape(cls().rule)}\n[dim]{options}[/]",
                     f"{escape(cls.behaviour)}.\n[italic]Use: {escape(cls.use_when)}.[/]"))
    return Fitted(lambda: _catalog_columns(OPTIMIZERS_TITLE, ("name", 10), "update rule", rows),
                  lambda: _catalog_lines(OPTIMIZERS_TITLE, rows))


def _catalog_columns(title, name, formulas, rows):
    """A catalog as a table: the name (its heading and widest width), the formulas, the behaviour."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_lines=True, title=title)
    table.add_column(name[0], style="bold", max_width=name[1])
    table.add_column(formulas, ratio=4, min_width=PROSE_WIDTH)
    table.add_column("behaviour · when to use it", ratio=5, min_width=PROSE_WIDTH)
    for row in rows:
        table.add_row(*row)
    return table


def _catalog_lines(title, rows):
    """A catalog stacked in lines: the name, then its formulas and its behaviour indented under it."""
    parts = [Text(title, style="italic")]
    for name, formulas, behaviour in rows:
        parts += [Text(""), Text.from_markup(name.replace("\n", "  "), style="bold")]
        for line in (*formulas.split("\n"), *behaviour.split("\n")):
            parts.append(Hanging(Text.from_markup(line), "    "))
    return Group(*parts)


# reST markup a docstring may hold, and the plain text a card shows for it: ``code``, :role:`name` and `name`,
# and the "::" that opens a literal block
_REST_MARKUP = ((re.compile(r"``(.+?)``", re.S), r"\1"), (re.compile(r":[a-z:]+:`~?(.+?)`"), r"\1"),
                (re.compile(r"`([^`]+?)`"), r"\1"), (re.compile(r"(\S)::$", re.M), r"\1:"),
                (re.compile(r"^\s*::$", re.M), ""))


def plain_docstring(text):
    """A docstring as a reader sees it in the terminal: its reST markup (see ``_REST_MARKUP``) turned into
    plain text."""
    for pattern, replacement in _REST_MARKUP:
        text = pattern.sub(replacement, text)
    return text


def _docstring_body(cls):
    """The class docstring without its first line, dedented, as plain text (``plain_docstring``): the math."""
    import textwrap

    lines = plain_docstring(cls.__doc__ or "").splitlines()
    return textwrap.dedent("\n".join(lines[1:])).strip("\n")


def _fields(*rows):
    """Label / text rows aligned in two columns; a row without text (a user's class may not say) is left out."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, text in rows:
        if text:
            grid.add_row(label, Text(text))
    return grid


def _card(fields, cls, caption, table, title):
    """A catalog card: the fields, the class's docstring (when it says more than its first line), the worked
    example."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    body = _docstring_body(cls)
    parts = [fields, *([Text(""), Text(body, style="dim")] if body else []), Text(""), Text(caption, style="bold"),
             table]
    return Panel(Group(*parts), title=title, title_align="left")


def _settings(params):
    return ", ".join(f"{k} = {v}" for k, v in params.items()) or "no options"


def _example_table(loss):
    """A tiny worked example of a loss: a few rows with their loss and derivative."""
    import numpy as np

    from lossplay.functions import sigmoid, softmax

    if loss.task == "regression":
        r = np.array([-3.0, -1.0, -0.25, 0.0, 0.5, 2.0])
        y = np.zeros_like(r)
        table = Table("r = z − y", "L", "dL/dz", box=box.SIMPLE_HEAD, pad_edge=False)
        for zi, L, d in zip(r, loss.losses(r, y), loss.derivative(r, y)):
            table.add_row(number(zi), number(L), number(d))
        return table, f"cost of these {r.size} rows: C = mean L = {number(loss.cost(r, y))}"
    if loss.task == "binary":
        z = np.array([-3.0, 0.0, 2.0, -3.0, 0.0, 2.0])
        y = np.array([1, 1, 1, 0, 0, 0])
        table = Table("y", "z (logit)", "p = σ(z)", "L", "dL/dz", box=box.SIMPLE_HEAD, pad_edge=False)
        for yi, zi, p, L, d in zip(y, z, sigmoid(z), loss.losses(z, y), loss.derivative(z, y)):
            table.add_row(str(yi), number(zi), number(p), number(L), number(d))
        return table, "a confident wrong answer (y = 1, z = −3) against a confident right one (y = 0, z = −3)"
    z = np.array([[2.0, 0.5, -1.0], [2.0, 0.5, -1.0]])
    y = np.array([0, 2])
    table = Table("y", "z", "p = softmax(z)", "L", "dL/dz", box=box.SIMPLE_HEAD, pad_edge=False)
    for yi, zi, p, L, d in zip(y, z, softmax(z), loss.losses(z, y), loss.derivative(z, y)):
        table.add_row(str(yi), ", ".join(number(v) for v in zi), ", ".join(number(v) for v in p), number(L),
                      ", ".join(number(v) for v in d))
    return table, "the same logits, once with the likeliest class true and once with the least likely"


def loss_card(cls):
    """One loss in full: formulas, behaviour, options, the math in detail and a worked example."""
    loss = cls()
    table, caption = _example_table(loss)
    rows = [("loss", cls.formula), ("derivative", cls.derivative_formula), ("behaviour", cls.behaviour),
            ("use it when", cls.use_when)]
    if cls.option_defaults():
        rows.append(("options", _option_words(cls.option_defaults())))
    return _card(_fields(*rows), cls, f"Worked example ({_settings(loss.params())}): {caption}.", table,
                 f"{cls.name}: {cls.title or cls.__name__} ({cls.task})")


def optimizer_card(cls, name=None):
    """One optimizer in full: rule, behaviour, options, the math, and its first steps on a parabola
    (``name`` is what the command line calls it; the class's own name by default)."""
    import numpy as np

    from lossplay.registry import default_lr

    optimizer = cls()
    lr = default_lr(name or cls.name)
    target = np.array([3.0, -1.0])
    theta = np.zeros(2)
    state = optimizer.init(theta)
    table = Table("t", "w before", "gradient g", "step", "w after", box=box.SIMPLE_HEAD, pad_edge=False)
    for t in range(1, 7):
        grad = 2.0 * (theta - target)
        step, state = optimizer.update(grad, state, lr, theta)
        table.add_row(str(t), number(theta[0]), number(grad[0]), number(step[0]), number(theta[0] + step[0]))
        theta = theta + step
    defaults = cls.option_defaults()
    options = f"--lr ({lr}), {_option_words(defaults)}" if defaults else f"--lr ({lr})"
    fields = _fields(("update", optimizer.rule), ("behaviour", cls.behaviour), ("use it when", cls.use_when),
                     ("options", options))
    caption = f"Its first steps on f(w, b) = (w − 3)² + (b + 1)², from w = b = 0, lr {lr:g} (the w coordinate):"
    return _card(fields, cls, caption, table, f"{cls.name}: {cls.title or cls.__name__}")


def gradcheck_table(results, tolerance):
    """Relative errors of every gradient check: one row per loss and model, one column per penalty; in a
    narrow terminal the rows are grouped by model under shorter headings."""
    return Fitted(lambda: _gradcheck_columns(results, tolerance), lambda: _gradcheck_by_model(results, tolerance))


def _gradcheck_title(tolerance):
    return f"Gradient vs finite differences: relative error (passes ≤ {tolerance:.0e})"


def _gradcheck_rows(results, tolerance):
    """The penalties (the columns), and {(loss, model): [cell per penalty]} in the order checked."""
    penalties = list(dict.fromkeys(r.penalty for r in results))
    rows = {}
    for r in results:
        style = "green" if r.passed(tolerance) else "bold red"
        rows.setdefault((r.loss, r.model), {})[r.penalty] = f"[{style}]{r.relative_error:.1e}[/]"
    return penalties, {key: [cells[p] for p in penalties] for key, cells in rows.items()}


def _gradcheck_columns(results, tolerance):
    penalties, rows = _gradcheck_rows(results, tolerance)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=_gradcheck_title(tolerance))
    table.add_column("loss")  # a long name of one's own loss wraps between words; the numbers never do
    table.add_column("model", no_wrap=True)
    for penalty in penalties:
        table.add_column(penalty.replace(" ", "\n"), justify="right", no_wrap=True, min_width=7)
    for (loss, model), cells in rows.items():
        table.add_row(loss, model, *cells)
    return table


def _gradcheck_by_model(results, tolerance):
    penalties, rows = _gradcheck_rows(results, tolerance)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=_gradcheck_title(tolerance))
    table.add_column("model: loss", overflow="fold")
    for penalty in penalties:
        table.add_column(penalty.split("=")[0] if "=" in penalty else penalty.replace("no penalty", "none"),
                         justify="right", no_wrap=True, min_width=7)
    for model in dict.fromkeys(model for _, model in rows):
        table.add_row(f"[bold]{model}[/]:")
        for (loss, of_model), cells in rows.items():
            if of_model == model:
                table.add_row(f"  {loss}", *cells)
    legend = ", ".join(p for p in penalties if "=" in p)
    return Group(table, Text(f"Penalties: {legend}.", style="dim")) if legend else table
