"""What lossplay offers, as tables and cards: datasets, losses, optimizers, gradient checks."""

from rich import box
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from lossplay.render.common import number


def datasets_table(catalog):
    """Every dataset: name, kind, task, size, features and what it is good for."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="Datasets (use with --dataset NAME)")
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("task")
    table.add_column("rows", justify="right")
    table.add_column("feat.", justify="right")
    table.add_column("good for")
    for info in catalog.values():
        table.add_row(info.name, f"{info.task}\n[dim]{info.kind}[/]", str(info.n_rows), str(info.n_features),
                      info.good_for)
    return table


def _option_words(defaults):
    """'--delta (1)' for each option of ``defaults`` ({option: default}), as the command line spells it."""
    from lossplay.config import flag_name

    words = []
    for name, default in defaults.items():
        shown = "none" if default is None else ("on" if default else "off") if isinstance(default, bool) else default
        words.append(f"{flag_name(name)} ({shown})")
    return ", ".join(words)


def losses_table(losses):
    """Every loss: name and options, task, formula and derivative, behaviour and when to use it."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_lines=True,
                  title="Losses (use with --loss NAME; r = z − y, z the model's raw output)")
    table.add_column("name", style="bold", max_width=14)
    table.add_column("loss L and derivative dL/dz", ratio=4)
    table.add_column("behaviour · when to use it", ratio=5)
    for cls in losses.values():
        options = "".join(f"\n[dim]{_option_words({name: value})}[/]"
                          for name, value in cls.option_defaults().items())
        table.add_row(f"{cls.name}\n[dim]{cls.task}[/]{options}",
                      escape(f"{cls.formula}\n{cls.derivative_formula}"),
                      f"{escape(cls.behaviour)}.\n[italic]Use: {escape(cls.use_when)}.[/]")
    return table


def optimizers_table(optimizers):
    """Every optimizer: name, update rule, hyperparameters, behaviour."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_lines=True,
                  title="Optimizers (use with --optimizer NAME; g is the gradient of the objective)")
    table.add_column("name", style="bold", max_width=10)
    table.add_column("update rule", ratio=4)
    table.add_column("behaviour · when to use it", ratio=5)
    from lossplay.registry import default_lr

    for name, cls in optimizers.items():
        rule = cls().rule
        defaults = cls.option_defaults()
        options = ", ".join([f"--lr ({default_lr(name)})", *([_option_words(defaults)] if defaults else [])])
        table.add_row(cls.name, f"{escape(rule)}\n[dim]{options}[/]",
                      f"{escape(cls.behaviour)}.\n[italic]Use: {escape(cls.use_when)}.[/]")
    return table


def _docstring_body(cls):
    """The class docstring without its first line, dedented: the plain-text math."""
    import textwrap

    lines = (cls.__doc__ or "").replace("``", "").splitlines()
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
    """Relative errors of every gradient check: one row per loss and model, one column per penalty."""
    penalties = list(dict.fromkeys(r.penalty for r in results))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False,
                  title=f"Gradient vs finite differences: relative error (passes ≤ {tolerance:.0e})")
    table.add_column("loss", overflow="fold")  # a long name of one's own loss wraps; the numbers never do
    table.add_column("model", no_wrap=True)
    for penalty in penalties:
        table.add_column(penalty.replace(" ", "\n"), justify="right", no_wrap=True, min_width=7)
    rows = {}
    for r in results:
        rows.setdefault((r.loss, r.model), {})[r.penalty] = r
    for (loss, model), by_penalty in rows.items():
        cells = []
        for penalty in penalties:
            r = by_penalty[penalty]
            style = "green" if r.passed(tolerance) else "bold red"
            cells.append(f"[{style}]{r.relative_error:.1e}[/]")
        table.add_row(loss, model, *cells)
    return table
