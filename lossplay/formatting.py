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
    if "e+" in text and abs(value) < 1e4:  # 520 to 2 digits: '520', not '5.2e+02'
        text = f"{float(text):.0f}"
    return "0" if text == "-0" else text


def factor(value):
    """A number ready to be multiplied in a formula: negatives in parentheses."""
    text = number(value)
    return f"({text})" if text.startswith("-") else text


def plural(count, word, words=None):
    """'1 epoch', '3 epochs': ``count`` and the word in the number it needs (``words`` when its plural is not
    the word with an s)."""
    return f"{count} {word if count == 1 else words or word + 's'}"


# a parameter whose share of the model's output is below this fraction of the largest share is shown as 0
ZERO_WITHIN = 1e-12


def parameter_numbers(values, spreads, digits=4, within=ZERO_WITHIN):
    """A set of parameters as ``number`` writes them, with '0' for those that are zero to within rounding.

    ``values`` are weights and biases that work together (one column of a summary, in one set of units);
    ``spreads`` the size of what each multiplies: a weight's feature's standard deviation on the training
    rows, 1 for a bias. A parameter whose share of the output, |value| × spread, is below ``within`` (a
    trillionth) of the largest share is float noise left by the arithmetic (3.7e-18 where the exact answer
    is 0) and is written 0. Only what is shown changes, never the number itself; a set that is not finite
    is written as it is.
    """
    values = [float(v) for v in values]
    shares = [abs(v) * (float(s) if s > 0 else 1.0) for v, s in zip(values, spreads)]  # Python floats: no warnings
    if not all(math.isfinite(share) for share in shares):
        return [number(v, digits) for v in values]
    largest = max(shares, default=0.0)
    return [number(0.0 if share < within * largest else v, digits) for v, share in zip(values, shares)]
