"""How numbers and counts are written: one word for one thing, float noise as 0."""

import numpy as np
import pytest

import lossplay
from lossplay.formatting import ZERO_WITHIN, number, parameter_numbers, plural


@pytest.mark.parametrize(("count", "word", "words", "expected"), [
    (1, "epoch", None, "1 epoch"), (0, "epoch", None, "0 epochs"), (2, "run", None, "2 runs"),
    (1, "epoch is", "epochs are", "1 epoch is"), (4, "epoch is", "epochs are", "4 epochs are"),
])
def test_plural(count, word, words, expected):
    assert plural(count, word, words) == expected


def test_float_noise_among_parameters_is_shown_as_zero_and_only_shown():
    values = [2.0, -2.433e-16, 5.331]
    assert parameter_numbers(values, [1.0, 1.0, 1.0]) == ["2", "0", "5.331"]
    assert values[1] == -2.433e-16  # the number itself is kept
    # the threshold is relative to the largest share of the output: a small weight of a feature with a large
    # spread is a real weight (x^9 on x up to 30), and a set of small numbers is not noise
    assert parameter_numbers([1.2e-13, 4.0], [2e13, 1.0])[0] == number(1.2e-13)
    assert parameter_numbers([3e-18, 1e-17], [1.0, 1.0]) == ["3e-18", "1e-17"]
    assert parameter_numbers([ZERO_WITHIN * 0.9, 1.0], [1.0, 1.0])[0] == "0"
    assert parameter_numbers([ZERO_WITHIN * 1.1, 1.0], [1.0, 1.0])[0] != "0"
    assert parameter_numbers([np.inf, 1e-20], [1.0, 1.0]) == ["inf", "1e-20"]


def test_the_summary_shows_a_weight_that_is_zero_to_within_rounding_as_0():
    import io

    from rich.console import Console

    from lossplay import render

    console = Console(file=io.StringIO(), width=100)
    run = lossplay.train(dataset="multi", noise=0, epochs=100)  # x5 is useless: its exact weight is 0
    stored = run.params["weights"][4]
    assert stored != 0 and abs(stored) < 1e-12
    console.print(render.summary(run))
    row = [line for line in console.file.getvalue().splitlines() if "w[x5]" in line][0]
    assert row.replace("│", "").split() == ["w[x5]", "0", "0", "0", "0"], row
