"""What ``lossplay step`` prints: one update of the training loop with every number shown.

Each step reads top to bottom the way the loop computes it: the batch, the
forward pass, the loss, the backward pass, the update, and whether it helped.
Every number comes from the loop's own ``StepRecord``; one row (or one
parameter) is worked out in full so it can be followed with pencil and paper.
Wide data is cut to what fits the width, with a note saying so.

The compact layout fits one step of the usual examples on a projector's
screen (about 25 lines of 80 columns): four rows and four parameters at most,
no legend under the batch, and one line for each worked row. ``sections`` gives a step section by section, so
that ``lossplay step --pause section`` can stop after each.
"""

import functools
import re
from dataclasses import dataclass

import numpy as np
from rich import box
from rich.cells import cell_len
from rich.console import Group
from rich.markup import escape
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from lossplay.formatting import factor, parameter_numbers, plural
from lossplay.render.common import Fitted, Hanging, number, parameter_spreads, shown
from lossplay.terminal import printable

MAX_ROWS = 6
MAX_FEATURES = 3
MAX_CLASSES = 3
MAX_PARAMETERS = 8
# the compact layout's limits
COMPACT_ROWS = 4
COMPACT_PARAMETERS = 4


def _heading(index, title, formula=""):
    text = Text(f"{index}. {title}", style="bold cyan")
    if formula:
        text.append(f"   {formula}", style="cyan")
    return text


def _table(first, *columns, title=None, narrow=False):
    """A table of numbers: a first column of names (wrapped between words), then right-aligned columns whose
    numbers are never wrapped ("before → after" cells may be). ``narrow``: two spaces between columns instead
    of three, and a name longer than its column folded onto the next line."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 0, 0, 1) if narrow else (0, 1), show_edge=False,
                  title=title)
    table.add_column(escape(first), overflow="fold" if narrow else "ellipsis")
    for label in columns:
        table.add_column(escape(label), justify="right", no_wrap=" → " not in label)
    return table


def _indent(renderable, by=3):
    """The renderable moved right by ``by`` columns; plain text lines are not padded on the right."""
    from rich.padding import Padding

    if isinstance(renderable, Text):
        return Hanging(renderable, " " * by)
    if isinstance(renderable, Group):
        return Group(*(_indent(part, by) for part in renderable.renderables))
    return Padding(renderable, (0, 0, 0, by), expand=False)


def _clauses(text, compact=False):
    """A worked formula with one clause per line ('a; b; c' becomes three lines), so that a
    narrow terminal wraps between clauses rather than inside them; ``compact`` keeps it on one line
    (wrapped between words)."""
    if compact:
        return Text(text)
    parts = re.split(r";\s+", text)
    return _lines([parts[0], *("  " + part for part in parts[1:])])


def _lines(lines):
    """Lines of text, each its own renderable (so none is padded to the width of the longest)."""
    return Group(*(Text(line) for line in lines))


@dataclass(frozen=True)
class Section:
    """One section of a step: its heading and what it shows."""

    number: int
    title: str
    renderable: Group


SECTION_TITLES = ("The batch", "Forward pass", "Loss", "Backward pass", "Update", "Did it help?")


class StepView:
    """Renders the step records of one experiment, ``width`` columns wide (the batch table shows the
    features that fit), in the full or the ``compact`` layout."""

    def __init__(self, experiment, compact=False, width=80):
        self.compact = compact
        self.width = width
        self.max_rows = COMPACT_ROWS if compact else MAX_ROWS
        self.max_parameters = COMPACT_PARAMETERS if compact else MAX_PARAMETERS
        self.experiment = experiment
        self.data = experiment.data
        self.model = experiment.model
        self.loss = experiment.loss
        # the names as they are shown: read from a file, they may hold control characters
        self.features = [printable(name) for name in self.data.feature_names]
        self.target_name = printable(self.data.target_name)
        self.classes = None if self.data.classes is None else tuple(printable(c) for c in self.data.classes)
        self.multiclass = self.model.name == "softmax"

    # -- names -----------------------------------------------------------------

    def weight_name(self, j, c=None):
        if c is None:
            return f"w[{self.features[j]}]"
        return f"w[{self.features[j]}, {self.class_name(c)}]"

    def class_name(self, c):
        return self.classes[c] if self.classes else str(c)

    def parameter_names(self):
        """Names of every entry of theta, in theta's order (rows, then classes)."""
        if not self.multiclass:
            return [self.weight_name(j) for j in range(len(self.features))] + ["b"]
        k = len(self.classes)
        names = [self.weight_name(j, c) for j in range(len(self.features)) for c in range(k)]
        return names + [f"b[{self.class_name(c)}]" for c in range(k)]

    def target_text(self, value):
        return self.class_name(int(value)) if self.classes else number(value)

    # -- the whole step ------------------------------------------------------------

    def render(self, record):
        """The whole step."""
        return Group(*(section.renderable for section in self.sections(record)))

    def sections(self, record):
        """The step's six sections in order; the first begins with the step's rule."""
        rule = Rule(f"Step {record.step} · epoch {record.epoch}, batch {record.batch_in_epoch} of "
                    f"{record.batches_per_epoch} · lr {number(record.lr)}", style="bold")
        parts = ([rule, *self.batch(record)], self.forward(record), self.loss_section(record),
                 self.backward(record), self.update(record), self.verdict(record))
        return [Section(i, title, Group(*shown)) for i, (title, shown) in enumerate(zip(SECTION_TITLES, parts), 1)]

    def _titled(self, index, title, formula="", worked=None):
        """A section's heading; in the compact layout the worked line follows on the same line when it fits."""
        heading = _heading(index, title, formula)
        if not (self.compact and worked):
            return [heading, *([_indent(worked)] if worked else [])]
        joined = Text.assemble(heading, "   ", worked)
        if joined.cell_len <= self.width:
            return [joined]
        return [heading, _indent(worked)]

    # -- 1. the batch ----------------------------------------------------------------

    def _shown_rows(self, record):
        n = record.rows.size
        return range(min(n, self.max_rows)), n - min(n, self.max_rows)

    def _cut_note(self, hidden):
        if hidden:
            return [_indent(Text(f"… and {plural(hidden, 'more row')} of this batch (--json shows them all)",
                                 style="dim"))]
        return []

    def _feature_columns(self, widths, budget, gap=3):
        """The features that fit in ``budget`` characters (at most 3, maybe none), given each feature column's
        ``widths``, and how many are left out."""
        d = len(self.features)
        shown, used = [], 0
        for j in range(min(d, MAX_FEATURES)):
            if used + widths[j] + gap > budget:
                break
            shown.append(j)
            used += widths[j] + gap
        return shown, d - len(shown)

    def batch(self, record):
        """The rows of the batch with the per-row numbers of the step: x, y, z (or p), L, dL/dz; with the
        features that fit the width, and two spaces between columns instead of three when that is narrow."""
        n = record.rows.size
        title = f"The batch: {n} of the {plural(self.data.n_train, 'training row')}"
        return [_heading(1, title),
                Fitted(lambda: self._batch_table(record, gap=3), lambda: self._batch_table(record, gap=2),
                       lambda: self._batch_table(record, gap=2, probabilities=False))]

    def _batch_table(self, record, gap, probabilities=True):
        """The batch table with ``gap`` spaces between columns; without the column p = σ(z) of a logistic model
        unless ``probabilities`` (the narrowest layout: the forward pass works it out)."""
        outputs = [(label, cell) for label, cell in self._output_columns() if probabilities or label != "p = σ(z)"]
        rows = self._shown_rows(record)[0]
        features = [[number(record.X[i, j]) for i in rows] for j in range(min(len(self.features), MAX_FEATURES))]
        fixed = [["row", *(str(record.batch[i]) for i in rows)],
                 [self.target_name, *(escape(self.target_text(record.y[i])) for i in rows)],
                 *([label, *(cell(record, i) for i in rows)] for label, cell in outputs)]
        used = sum(max(cell_len(text) for text in column) for column in fixed) + gap * (len(fixed) - 1)
        widths = [max(cell_len(text) for text in [name, *cells]) for name, cells in zip(self.features, features)]
        budget = self.width - 3 - used  # the table is indented by 3
        shown, hidden_features = self._feature_columns(widths, budget - (1 + gap), gap)
        if not hidden_features:  # no "…" column after all: its room goes to the features
            shown, hidden_features = self._feature_columns(widths, budget, gap)
        columns = ["row", *(self.features[j] for j in shown)]
        if hidden_features:
            columns.append("…")
        columns.append(self.target_name)
        table = _table(*columns, *(label for label, _ in outputs), narrow=gap < 3)
        for row, i in enumerate(rows):
            cells = [str(record.batch[i]), *(features[j][row] for j in shown)]
            if hidden_features:
                cells.append("…")
            cells.append(escape(self.target_text(record.y[i])))
            cells += [cell(record, i) for _, cell in outputs]
            table.add_row(*cells)
        if self.compact:
            legend = f"…: {plural(hidden_features, 'more feature')}, not shown" if hidden_features else None
        elif self.multiclass:
            legend = "row: its number in the dataset · p(y): probability of the true class (2) · L: loss (3)"
        else:
            legend = ("row: its number in the dataset · z: forward pass (2) · L: loss (3) · "
                      "dL/dz: backward pass (4)")
        if hidden_features and not self.compact:
            legend += f" · …: {plural(hidden_features, 'more feature')}, not shown"
        return Group(_indent(table), *self._cut_note(self._shown_rows(record)[1]),
                     *([_indent(Text(legend, style="dim"))] if legend else []))

    def _output_columns(self):
        """(label, cell) pairs for the per-row numbers the step computes."""
        if self.multiclass:
            return [("p(y)", lambda r, i: number(r.predictions[i, int(r.y[i])])),
                    ("L", lambda r, i: number(r.losses[i]))]
        columns = [("z", lambda r, i: number(r.z[i]))]
        if self.model.name == "logistic":
            columns.append(("p = σ(z)", lambda r, i: number(r.predictions[i])))
        return columns + [("L", lambda r, i: number(r.losses[i])), ("dL/dz", lambda r, i: number(r.dz[i]))]

    def _per_class_table(self, record, label, values):
        """One row per batch row, one column per class (the first few), of a (rows x classes) array; in a
        narrow terminal the columns are headed by the class alone, under a title naming what they hold."""
        return Fitted(lambda: self._class_columns(record, label, values),
                      lambda: self._class_columns(record, label, values, short=True))

    def _class_columns(self, record, label, values, short=False):
        rows, _ = self._shown_rows(record)
        shown, hidden = self._class_range()
        names = [self.class_name(c) if short else f"{label}[{self.class_name(c)}]" for c in shown]
        columns = ["row", *names, *([f"+{hidden}"] if hidden else [])]
        table = _table(*columns, title=f"{label} for each class" if short else None)
        for i in rows:
            cells = [str(record.batch[i]), *(number(values[i, c]) for c in shown)]
            if hidden:
                cells.append("…")
            table.add_row(*cells)
        return table

    # -- 2. forward pass ----------------------------------------------------------------

    def _dot_terms(self, weights, x):
        d = x.size
        terms = [f"{factor(weights[j])}·{factor(x[j])}" for j in range(min(d, 4))]
        if d > 4:
            terms.append(f"… ({d - 4} more terms)")
        return " + ".join(terms)

    def forward(self, record):
        theta = record.params_before
        shown = np.array([float(v) for v in self._shown_parameters(theta)]).reshape(theta.shape)  # noise as 0
        weights, bias = shown[:-1], shown[-1]
        i = 0
        x = record.X[i]
        if self.multiclass:
            c = int(record.y[i])
            formula = "z_k = w_k·x + b_k for each class k"
            worked = (f"row {record.batch[i]}, class {self.class_name(c)}: z = "
                      f"{self._dot_terms(weights[:, c], x)} + {factor(bias[c])} = {number(record.z[i, c])}")
        else:
            formula = "z = w·x + b"
            worked = (f"row {record.batch[i]}: z = {self._dot_terms(weights, x)} + {factor(bias)} = "
                      f"{number(record.z[i])}")
        parts = self._titled(2, "Forward pass", formula, Text(worked))
        if self.multiclass:
            parts.append(_indent(self._per_class_table(record, "z", record.z)))
        return parts

    def _class_range(self):
        k = len(self.classes)
        return list(range(min(k, MAX_CLASSES))), k - min(k, MAX_CLASSES)

    # -- 3. loss ------------------------------------------------------------------------

    def _worked_loss(self, record, i):
        """One row's loss with its numbers substituted into the formula (the loss's own words)."""
        return self.loss.worked_loss(record.z[i], record.y[i], record.losses[i], record.predictions[i],
                                     self.classes)

    def loss_section(self, record):
        worked = f"row {record.batch[0]}: {self._worked_loss(record, 0)}"
        if self.compact:
            parts = self._titled(3, "Loss", self.loss.formula, _clauses(worked, compact=True))
        else:
            parts = [_heading(3, "Loss", self.loss.formula), _indent(_clauses(worked))]
        n = record.rows.size
        rows = "the row" if n == 1 else f"the {n} rows"
        if self.loss.weights is not None:
            weights = ", ".join(f"{self.class_name(c)}: {number(w)}" for c, w in enumerate(self.loss.weights))
            parts.append(_indent(Text.assemble(
                ("cost", "bold"), f"      C = Σ w·L / Σ w over {rows} = {number(record.cost)}")))
            parts.append(_indent(Text(f"          with the class weights w of {weights}", style="dim")))
        else:
            losses = "the loss of the row" if n == 1 else f"mean of the {n} losses"
            cost = Text.assemble(("cost", "bold"), f"      C = {losses} = {number(record.cost)}")
            if self.compact and not self.experiment.penalty.active:
                cost.append(" = objective (no --l1 or --l2)", style="dim")
            parts.append(_indent(cost))
        if self.compact and not self.experiment.penalty.active:
            return parts
        parts.append(_indent(Text.assemble(
            ("objective", "bold"), f" = cost + penalty = {number(record.cost)} + {number(record.penalty)} "
                                   f"= {number(record.objective)}")))
        if not self.compact:
            parts.append(_indent(Text(f"            {self._penalty_words()}", style="dim")))
        return parts

    def _penalty_words(self):
        penalty = self.experiment.penalty
        if not penalty.active:
            return "(no --l1 or --l2)"
        terms = []
        if penalty.l2:
            terms.append(f"{number(penalty.l2)}·½‖w‖²")
        if penalty.l1:
            terms.append(f"{number(penalty.l1)}·‖w‖₁")
        return "(penalty = " + " + ".join(terms) + ", bias not penalised)"

    # -- 4. backward pass -------------------------------------------------------------------

    def _worked_derivative(self, record, i):
        """One row's dL/dz with its numbers (the loss's own words), and its class weight when there is one."""
        z, y, dz, p = record.z[i], record.y[i], record.dz[i], record.predictions[i]
        if self.loss.weights is not None:
            share = float(self.loss.row_weights(record.y)[i])
            return self.loss.worked_derivative_weighted(z, y, dz, share, p, self.classes)
        return self.loss.worked_derivative(z, y, dz, p, self.classes)

    def _chain_rule(self, record):
        """∂C/∂w for the first weight (first class for softmax), with its numbers."""
        n = record.rows.size
        x = record.X[:, 0]
        if self.multiclass:
            c = 0
            dz = record.dz[:, c]
            name = self.weight_name(0, c)
            dz_name = f"dL/dz[{self.class_name(c)}]"
            grad = record.grad[0, c]
            weight = record.params_before[0, c]
        else:
            dz = record.dz
            name = self.weight_name(0)
            dz_name = "dL/dz"
            grad = record.grad[0]
            weight = record.params_before[0]
        shown = n if n <= 4 else 3
        products = [f"{factor(dz[i])}·{factor(x[i])}" for i in range(shown)]
        if n > shown:
            products.append(f"… ({n - shown} more)")
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging step's products pass 1e308: shown as inf
            mean = float(np.mean(dz * x))
        bias_name = f"b[{self.class_name(0)}]" if self.multiclass else "b"
        bias_grad = record.grad[-1, 0] if self.multiclass else record.grad[-1]
        if self.compact:
            penalty = f", with the penalty {number(grad)}" if self.experiment.penalty.active else ""
            return Text(f"chain rule: ∂C/∂{name} = mean({dz_name} · {self.features[0]}) = {number(mean)}{penalty};  "
                        f"∂C/∂{bias_name} = mean({dz_name}) = {number(bias_grad)}")
        lines = [
            f"chain rule: ∂C/∂{name} = mean over rows of {dz_name} · {self.features[0]}",
            f"  = ({' + '.join(products)}) / {n}",
            f"  = {number(mean)}",
        ]
        penalty = self.experiment.penalty
        if penalty.active:
            extra = penalty.l2 * weight + penalty.l1 * np.sign(weight)
            lines.append(f"  + penalty term l2·w + l1·sign(w) = {number(extra)}  →  ∂(objective)/∂{name} = "
                         f"{number(grad)}")
        lines.append(f"and for the bias: ∂C/∂{bias_name} = mean over rows of {dz_name} = {number(bias_grad)}")
        return _lines(lines)

    def backward(self, record):
        worked = f"row {record.batch[0]}: {self._worked_derivative(record, 0)}"
        if self.compact:
            parts = self._titled(4, "Backward pass", self.loss.derivative_formula, _clauses(worked, compact=True))
        else:
            parts = [_heading(4, "Backward pass", self.loss.derivative_formula), _indent(_clauses(worked))]
        if self.multiclass:
            parts.append(_indent(self._per_class_table(record, "dL/dz", record.dz)))
        parts.append(_indent(self._chain_rule(record)))
        return parts

    # -- 5. update ---------------------------------------------------------------------------

    def _flat(self, array):
        return np.asarray(array).reshape(-1)

    @functools.cached_property
    def _spreads(self):
        return parameter_spreads(self.experiment.data)

    def _shown_parameters(self, theta):
        """The parameters theta as text, flat, with float noise shown as 0 (``formatting.parameter_numbers``,
        with the spreads of ``render.common.parameter_spreads``)."""
        theta = np.asarray(theta)
        outputs = theta.shape[1] if theta.ndim == 2 else 1
        return parameter_numbers(theta.reshape(-1), np.repeat(self._spreads, outputs))

    def _parameter_order(self, record):
        """Indices of the parameters to show: all when they fit, else the largest steps and the bias."""
        names = self.parameter_names()
        if len(names) <= self.max_parameters:
            return list(range(len(names))), 0
        steps = np.abs(self._flat(record.update))
        top = sorted(np.argsort(-steps)[:self.max_parameters])
        return [int(i) for i in top], len(names) - len(top)

    def update(self, record):
        optimizer = self.experiment.optimizer
        names = self.parameter_names()
        order, hidden = self._parameter_order(record)
        before, after = self._shown_parameters(record.params_before), self._shown_parameters(record.params_after)
        grad, step = self._flat(record.grad), self._flat(record.update)
        state_columns, derived_columns = self._state_columns(record)

        def state_table(narrow):
            state = _table("parameter", "gradient g", *(label for label, _ in state_columns), narrow=narrow)
            for i in order:
                state.add_row(escape(names[i]), number(grad[i]), *(cell(i, narrow) for _, cell in state_columns))
            return state

        def moves_table(narrow):
            first = [label for label, _ in derived_columns] if state_columns else ["gradient g"]
            moves = _table("parameter", *first, "step", "before", "after", narrow=narrow)
            for i in order:
                cells = [cell(i) for _, cell in derived_columns] if state_columns else [number(grad[i])]
                moves.add_row(escape(names[i]), *cells, number(step[i]), before[i], after[i])
            return moves

        tables = [Fitted(lambda: moves_table(False), lambda: moves_table(True))]
        if state_columns:
            tables.insert(0, Fitted(lambda: state_table(False), lambda: state_table(True)))
        rule = Text(optimizer.rule, style="cyan")
        if self.compact:
            parts = self._titled(5, f"Update with {optimizer.title}", worked=rule)
        else:
            parts = [_heading(5, f"Update with {optimizer.title}"), _indent(rule)]
        if record.clipped:
            clip = self.experiment.config.clip_grad
            parts.append(_indent(Text(
                f"The gradient's norm {number(record.grad_norm)} is above --clip-grad {number(clip)}: it was "
                f"rescaled to norm {number(clip)} (the g column is after clipping).", style="yellow")))
        parts += [_indent(table) for table in tables]
        if hidden:
            parts.append(_indent(Text(f"… {plural(hidden, 'more parameter')} not shown; these are the "
                                      f"{len(order)} with the largest steps (--json shows them all)",
                                      style="dim")))
        worked = self._worked_update(record, order[0], names[order[0]])
        parts.append(_indent(_clauses(worked, compact=self.compact)))
        return parts

    def _state_columns(self, record):
        """The optimizer's state as (label, cell) columns: before → after, and the derived quantities
        (the optimizer's own choice of columns)."""
        flat = self._flat
        columns, derived = self.experiment.optimizer.state_columns(record.state_before, record.state_after,
                                                                  record.trace)

        def transition(b, a):
            return lambda i, narrow=False: f"{number(flat(b)[i])}{chr(10) if narrow else ' '}→ {number(flat(a)[i])}"

        def value(v):
            return lambda i: number(flat(v)[i])

        return ([(label, transition(b, a)) for label, b, a in columns],
                [(label, value(v)) for label, v in derived])

    def _worked_update(self, record, i, name):
        """The optimizer's rule for one parameter, with its numbers (the optimizer's own words)."""
        return self.experiment.optimizer.worked_update(i, name, record.grad, record.lr, record.update,
                                                       record.state_before, record.state_after, record.trace)

    # -- 6. did it help? ------------------------------------------------------------------------

    def verdict(self, record):
        batch0, batch1 = record.cost, record.batch_cost_after
        train0, train1 = record.train_cost_before, record.train_cost_after
        lines = Text(f"batch cost {number(batch0)} → {number(batch1)};  "
                     f"whole training split {number(train0)} → {number(train1)}")
        carries = self.experiment.optimizer.carries_momentum
        sentence = judge(batch0, batch1, train0, train1, carries_momentum=carries)
        return [*self._titled(6, "Did it help?", worked=lines), _indent(Text(sentence, style="bold"))]


def judge(batch_before, batch_after, train_before, train_after, tolerance=1e-12, carries_momentum=False):
    """One sentence that reads the costs before and after an update.

    With momentum (SGD's or RMSprop's buffer, Adam's m) the step follows past
    gradients too, so a rise can come from momentum carrying it past the
    minimum rather than from too large a learning rate.
    """
    if not np.isfinite(train_after):
        return "The cost is no longer a finite number: training has diverged."

    def change(before, after):
        if abs(after - before) <= tolerance * max(1.0, abs(before)):
            return 0
        return -1 if after < before else 1

    batch, train = change(batch_before, batch_after), change(train_before, train_after)
    if batch == 0 and train == 0:
        return "Nothing changed: the gradient is zero here, so the step was zero."
    if batch < 0 and train < 0:
        return "The cost fell on this batch and on the whole training split: a step downhill."
    if batch < 0:
        return ("The cost fell on this batch but rose on the whole training split: the batch pulled the "
                "parameters its own way (that is the noise of mini-batches).")
    if carries_momentum:
        return ("The cost rose: the step went uphill. With momentum the step also follows the earlier "
                "gradients, so it can carry past the minimum before turning back.")
    return ("The cost rose on this batch: the step went past the lowest point along the gradient, a sign "
            "that the learning rate is large for this batch's curvature.")


def epoch_line(record):
    """A line printed when an epoch ends between steps."""
    val = "" if record.val_loss is None else f", validation cost {number(record.val_loss)}"
    if record.epoch == 0:
        return Text(f"Before the first update: training cost {number(record.train_loss)}{val}.", style="dim")
    return Text(f"End of epoch {record.epoch}: training cost {number(record.train_loss)}{val}.", style="dim")


def describe_steps(experiment, steps):
    """The paragraph before the first step: what is being stepped through."""
    c, data = experiment.config, experiment.data
    batch = "the full batch" if c.batch_size == 0 else f"batches of {c.batch_size}"
    scaled = "standardised features" if c.standardize else "features as they are in the data"
    return Text.from_markup(
        f"Stepping through {steps} update{'s' if steps != 1 else ''} of a [bold]{c.model}[/] model with "
        f"[bold]{c.loss_label}[/] loss and [bold]{c.optimizer_label}[/] (lr {c.lr:g}) on [bold]{shown(c.dataset)}[/]: "
        f"{data.n_train} training rows in {batch}, {scaled}."
    )
