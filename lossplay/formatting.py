"""How lossplay writes a number, the same in the terminal, in handouts and in pictures' tables."""

import math
import numbers


def number(value, digits=4):
    """A number with ``digits`` significant digits; '—' for None, 'nan'/'inf' as such, other values as text."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    value = float(value) + 0.0  # + 0.0 turns -0.0 into 0.0
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text


def factor(value):
    """A number ready to be multiplied in a formula: negatives in parentheses."""
    text = number(value)
    return f"({text})" if text.startswith("-") else text
