"""The tables of docs/losses-and-optimizers.md, written from the losses and optimizers themselves.

Each built-in loss and optimizer states its formula, its options and their
defaults in its own class (and its default rate in the catalog); the page's two
tables are made from those, between marker comments, so the page cannot drift
from the code. A test checks that the page is current;

    python -m lossplay.docs_tables docs/losses-and-optimizers.md

writes it again after a loss or an optimizer is added or changed.
"""

import re
import sys
from pathlib import Path

from lossplay.config import flag_name
from lossplay.losses import LOSSES
from lossplay.optimizers import OPTIMIZERS
from lossplay.registry import default_lr

TASK_WORDS = {"regression": "regression", "binary": "binary", "multiclass": "several classes"}
_BLOCK = re.compile(r"(<!-- BEGIN (\w+) table[^>]*-->\n).*?(<!-- END \2 table -->)", re.S)


def _cell(text):
    """Text for one Markdown table cell: pipes escaped, no line breaks."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _after_equals(formula, symbol):
    """'r²,  r = z − y' from 'L = r²,  r = z − y': the table's header already says what is defined."""
    head, equals, rest = formula.partition("=")
    return rest.strip() if equals and head.strip() == symbol else formula


def _options(defaults, extra=()):
    words = [f"`{flag_name(name)}` ({_default(value)})" for name, value in defaults.items()]
    return ", ".join([*words, *extra])


def _default(value):
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "on" if value else "off"
    return f"{value:g}" if isinstance(value, float) else str(value)


def losses_table():
    """The Markdown table of every built-in loss: name, task, L, dL/dz, options, behaviour."""
    rows = ["| `--loss` | task | loss L of one row | derivative dL/dz | options | behaviour |",
            "| --- | --- | --- | --- | --- | --- |"]
    for name, cls in LOSSES.items():
        extra = ("`--class-weight`",) if cls.task != "regression" else ()
        rows.append(f"| `{name}` | {TASK_WORDS[cls.task]} | {_cell(_after_equals(cls.formula, 'L'))} | "
                    f"{_cell(_after_equals(cls.derivative_formula, 'dL/dz'))} | "
                    f"{_cell(_options(cls.option_defaults(), extra))} | {_cell(cls.behaviour)} |")
    return "\n".join(rows)


def optimizers_table():
    """The Markdown table of every built-in optimizer: name, update rule, options, default rate."""
    rows = ["| `--optimizer` | update (g is the gradient of the objective) | options | default `--lr` |",
            "| --- | --- | --- | ---: |"]
    for name, cls in OPTIMIZERS.items():
        rows.append(f"| `{name}` | {_cell(cls().rule)} | {_cell(_options(cls.option_defaults()))} | "
                    f"{default_lr(name):g} |")
    return "\n".join(rows)


TABLES = {"losses": losses_table, "optimizers": optimizers_table}


def current(text):
    """``text`` with every marked table written again from the code."""
    def table(match):
        return f"{match.group(1)}{TABLES[match.group(2)]()}\n{match.group(3)}"

    return _BLOCK.sub(table, text)


def main(argv=None):
    """Write the tables of the pages given (docs/losses-and-optimizers.md) from the code."""
    for name in (argv if argv is not None else sys.argv[1:]):
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        updated = current(text)
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            print(f"Wrote the tables of {path}.")
        else:
            print(f"{path}: its tables are current.")


if __name__ == "__main__":
    main()
