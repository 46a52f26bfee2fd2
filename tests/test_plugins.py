"""A loss or an optimizer of the user's own, from a file: the shipped examples through every command, a user's
formula against the built-in one, and a wrong derivative refused."""

import json
import textwrap
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import lossplay
from lossplay.cli import cli
from lossplay.losses import LOSSES
from lossplay.registry import check_loss, loss_class, make_loss

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
CAUCHY = f"{EXAMPLES / 'cauchy_loss.py'}:Cauchy"
LION = f"{EXAMPLES / 'lion_optimizer.py'}:Lion"


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def words(output):
    return " ".join(output.replace("│", " ").split())


def write(folder, name, source):
    path = folder / name
    path.write_text(textwrap.dedent(source))
    return str(path)


USER_HUBER = """\
    import numpy as np


    class MyHuber:
        task = "regression"

        def __init__(self, delta=1.0):
            self.delta = delta

        def losses(self, z, y):
            r = z - y
            return np.where(np.abs(r) <= self.delta, 0.5 * r**2, self.delta * (np.abs(r) - 0.5 * self.delta))

        def derivative(self, z, y):
            r = z - y
            return np.where(np.abs(r) <= self.delta, r, self.delta * np.sign(r))
    """

USER_BCE = """\
    import numpy as np


    class MyLogLoss:
        task = "binary"

        def losses(self, z, y):
            return np.logaddexp(0.0, z) - y * z

        def derivative(self, z, y):
            return 1.0 / (1.0 + np.exp(-z)) - y
    """

WRONG_CAUCHY = """\
    import numpy as np


    class Cauchy:
        task = "regression"

        def losses(self, z, y):
            return 0.5 * np.log1p((z - y) ** 2)

        def derivative(self, z, y):  # the chain rule forgotten: d/dr of log(1 + r²) / 2 is r / (1 + r²)
            return 0.5 / (1.0 + (z - y) ** 2)
    """


# -- the shipped examples, through every command ---------------------------------------------------------------


def test_the_example_loss_passes_gradcheck_the_exercises_checker():
    result = invoke("gradcheck", "--loss", CAUCHY)
    assert result.exit_code == 0, result.output
    assert "cauchy_loss.py:Cauchy" in result.output and "All 16 gradients agree" in result.output


def test_the_example_loss_and_optimizer_train_and_save_a_run_a_report_can_read(in_tmp):
    result = invoke("train", "--loss", CAUCHY, "--optimizer", LION, "--outliers", "--epochs", "30", "--out", "run")
    assert result.exit_code == 0, result.output
    assert "cauchy_loss.py:Cauchy loss and lion_optimizer.py:Lion (lr 0.01)" in words(result.output)
    document = json.loads((in_tmp / "run" / "run.json").read_text())
    assert document["config"]["loss"] == CAUCHY and document["config"]["optimizer"] == LION
    assert np.isfinite(document["metrics"]["val"]["loss"])
    report = invoke("report", "run")
    assert report.exit_code == 0, report.output
    assert "lion_optimizer.py:Lion" in (in_tmp / "run" / "report.html").read_text()


def test_an_optimizers_own_defaults_take_effect(in_tmp):
    """Lion's beta2 is 0.99 and its weight decay 0, not Adam's 0.999 and AdamW's 0.01."""
    run = lossplay.train(optimizer=LION, epochs=3)
    assert run.config.beta2 == 0.99 and run.config.weight_decay == 0.0 and run.config.lr == 0.01
    assert run.experiment.optimizer.beta2 == 0.99
    assert lossplay.train(optimizer=LION, epochs=3, beta2=0.9).experiment.optimizer.beta2 == 0.9


def test_the_step_view_shows_a_users_loss_and_the_optimizers_own_worked_update(in_tmp):
    result = invoke("step", "--loss", CAUCHY, "--optimizer", LION, "--steps", "1")
    assert result.exit_code == 0, result.output
    text = words(result.output)
    assert "L = (δ²/2)·log(1 + (r/δ)²), r = z − y" in text
    assert "dL/dz = r / (1 + (r/δ)²)" in text
    assert "step = −0.01·sign(c)" in text  # Lion's own worked_update


def test_compare_sets_a_users_loss_beside_a_built_in_one(in_tmp):
    result = invoke("compare", "mse", CAUCHY, "--outliers", "--epochs", "60", "--out", "cmp")
    assert result.exit_code == 0, result.output
    document = json.loads((in_tmp / "cmp" / "compare.json").read_text())
    assert [run["name"] for run in document["runs"]] == ["mse", "cauchy"]
    pulls = {run["name"]: run["outlier_gradient_share"] for run in document["runs"]}
    assert pulls["cauchy"] < pulls["mse"]  # the corrupted rows pull a bounded-influence loss less



def test_landscape_draws_a_users_loss_and_a_users_optimizers_path(in_tmp):
    result = invoke("landscape", "--loss", CAUCHY, "--optimizers", f"sgd,{LION}", "--steps", "60", "--out", "scape")
    assert result.exit_code == 0, result.output
    assert "lion_optimizer.py:Lion" in result.output and str(EXAMPLES) not in words(result.output).split("lossplay ")[0]
    document = json.loads((in_tmp / "scape" / "landscape.json").read_text())
    assert [path["name"] for path in document["paths"]] == ["sgd", LION]


def test_lr_find_claims_no_stability_limit_for_an_optimizer_that_declares_none(in_tmp):
    result = invoke("lr-find", "--optimizer", LION, "--out", "lr")
    assert result.exit_code == 0, result.output
    assert "lion declares no stability limit of its own" in words(result.output)


def test_the_catalogs_show_a_users_class_in_full():
    loss = invoke("losses", CAUCHY)
    assert loss.exit_code == 0 and "cauchy: Cauchy loss (Lorentzian) (regression)" in loss.output
    assert "--delta (1.0)" in loss.output
    optimizer = invoke("optimizers", LION)
    assert optimizer.exit_code == 0 and "--beta2 (0.99)" in optimizer.output


# -- right numbers: a user's formula equals the built-in one --------------------------------------------------


@pytest.mark.parametrize("options", [{}, {"outliers": True, "optimizer": "adam", "delta": 2.0, "l2": 0.01}])
def test_a_user_written_huber_trains_to_exactly_the_numbers_of_the_built_in(tmp_path, options):
    mine = write(tmp_path, "my_huber.py", USER_HUBER) + ":MyHuber"
    built_in, user = lossplay.train(loss="huber", **options), lossplay.train(loss=mine, **options)
    np.testing.assert_array_equal([r.params for r in user.history], [r.params for r in built_in.history])
    np.testing.assert_array_equal([r.val_loss for r in user.history], [r.val_loss for r in built_in.history])


def test_a_user_written_log_loss_trains_a_logistic_model_like_bce(tmp_path):
    mine = write(tmp_path, "my_log_loss.py", USER_BCE) + ":MyLogLoss"
    options = {"dataset": "blobs", "model": "logistic", "epochs": 40}
    built_in, user = lossplay.train(loss="bce", **options), lossplay.train(loss=mine, **options)
    np.testing.assert_allclose([r.params for r in user.history], [r.params for r in built_in.history],
                               rtol=1e-12, atol=1e-14)
    assert user.metrics["val"]["accuracy"] == built_in.metrics["val"]["accuracy"]


# -- a wrong derivative, a broken file: one clear error ------------------------------------------------------


def test_a_wrong_derivative_is_refused_before_training_showing_where(in_tmp):
    wrong = write(in_tmp, "cauchy.py", WRONG_CAUCHY) + ":Cauchy"
    result = invoke("train", "--loss", wrong)
    assert result.exit_code == 2
    assert result.output.startswith("Error: --loss ") and "disagrees with the slope of losses(z, y) at z = " \
        in result.output
    assert "lossplay gradcheck --loss" in result.output and not (in_tmp / "runs").exists()
    check = invoke("gradcheck", "--loss", wrong)
    assert check.exit_code == 1 and "gradients disagree with finite differences" in check.output


def test_check_loss_passes_every_built_in_loss():
    for name in LOSSES:
        check_loss(make_loss(name), name)


@pytest.mark.parametrize("source, spec, message", [
    ("x = 1\n", "Cauchy", "defines no class 'Cauchy'"),
    ("class Cauchy:\n    task = 'regression'\n", "Cauchy", "has no method losses or derivative"),
    ("class Cauchy(\n", "Cauchy", "line 1"),
    ("raise RuntimeError('no data here')\n", "Cauchy", "raised RuntimeError: no data here, at line 1"),
    ("class Cauchy:\n    task = 'ranking'\n    def losses(self, z, y): return z\n"
     "    def derivative(self, z, y): return z\n", "Cauchy", "task must be one of regression, binary, multiclass"),
    ("class Cauchy:\n    task = 'regression'\n    def losses(self, z, y): return z[:2]\n"
     "    def derivative(self, z, y): return z\n", "Cauchy", "must give one loss per row"),
])
def test_a_broken_loss_file_is_one_error_line(in_tmp, source, spec, message):
    (in_tmp / "mine.py").write_text(source)
    result = invoke("train", "--loss", f"mine.py:{spec}")
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: --loss mine.py:") and message in result.output
    assert "Traceback" not in result.output


def test_a_missing_file_and_a_broken_optimizer_are_errors(in_tmp):
    result = invoke("train", "--optimizer", "nowhere.py:Lion")
    assert result.exit_code == 2 and "there is no file 'nowhere.py'" in result.output
    (in_tmp / "opt.py").write_text("class Bad:\n    def init(self, theta): return {}\n"
                                   "    def update(self, grad, state, lr, params=None, trace=None):\n"
                                   "        return grad, state\n")
    result = invoke("train", "--optimizer", "opt.py:Bad")
    assert result.exit_code == 2 and "the state as a NamedTuple" in result.output


def test_a_users_optimizer_races_in_compare_with_its_own_rate_and_its_class_names_case(in_tmp):
    result = invoke("compare", "--optimizers", f"adam,{LION}@0.05", "--epochs", "20", "--out", "opt")
    assert result.exit_code == 0, result.output
    document = json.loads((in_tmp / "opt" / "compare.json").read_text())
    lion = document["runs"][1]
    assert lion["optimizer"] == LION and lion["lr"] == 0.05
    assert loss_class(CAUCHY).name == "cauchy"


FORGOT_DELTA = """\
    import numpy as np


    class Cauchy:
        task = "regression"

        def __init__(self, delta=1.0):
            self.delta = delta

        def losses(self, z, y):
            return 0.5 * self.delta**2 * np.log1p(((z - y) / self.delta) ** 2)

        def derivative(self, z, y):  # right only when delta = 1
            return (z - y) / (1.0 + (z - y) ** 2)
    """


def test_gradcheck_tries_a_second_value_of_each_option_and_shows_where_it_differs(in_tmp):
    wrong = write(in_tmp, "cauchy.py", FORGOT_DELTA) + ":Cauchy"
    result = invoke("gradcheck", "--loss", wrong)
    assert result.exit_code == 1
    text = words(result.output)
    assert "8 of 16 gradients disagree" in text
    assert "cauchy.py:Cauchy (delta = 2): derivative(z, y) disagrees with the slope of losses(z, y) at z =" in text
    assert invoke("train", "--loss", wrong, "--epochs", "5", "--no-plot").exit_code == 0  # right at delta = 1
    refused = invoke("train", "--loss", wrong, "--delta", "2")
    assert refused.exit_code == 2 and "disagrees with the slope" in refused.output


SHARP_CE = """\
    import numpy as np


    class SharpCE:
        \"\"\"Cross-entropy of softmax(5z): tiny derivatives where the model is sure.\"\"\"
        task = "multiclass"

        def losses(self, z, y):
            s = 5 * z
            m = s.max(axis=1, keepdims=True)
            return (m[:, 0] + np.log(np.exp(s - m).sum(axis=1))) - s[np.arange(len(y)), y]

        def derivative(self, z, y):
            s = 5 * z
            p = np.exp(s - s.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(y)), y] -= 1
            return 5 * p
    """

OPTIONS_OF_ITS_OWN = """\
    import numpy as np


    class Smooth:
        task = "regression"

        def __init__(self, k=3, weights=None):
            self.k, self.weights = k, weights

        def losses(self, z, y):
            return np.log(np.cosh(z - y)) * self.k / 3

        def derivative(self, z, y):
            return np.tanh(z - y) * self.k / 3


    class AllKinks:
        task = "regression"

        def losses(self, z, y):
            return (z - y) ** 2

        def derivative(self, z, y):
            return 5 * (z - y)

        def near_kink(self, z, y, tolerance):
            return np.ones(np.shape(y), dtype=bool)
    """

FLAT_OPTIMIZER = """\
    from typing import NamedTuple

    import numpy as np


    class State(NamedTuple):
        t: int


    class Flat:
        def init(self, theta):
            return State(0)

        def update(self, grad, state, lr, params=None, trace=None):
            return -lr * np.ravel(grad), State(state.t + 1)
    """


def test_a_right_loss_with_tiny_derivatives_is_not_refused_for_rounding(in_tmp):
    sharp = write(in_tmp, "sharp.py", SHARP_CE) + ":SharpCE"
    result = invoke("train", "--loss", sharp, "--dataset", "iris", "--epochs", "3", "--no-plot", "--out", "r")
    assert result.exit_code == 0, result.output


def test_options_lossplay_does_not_know_are_left_at_their_defaults_by_gradcheck(in_tmp):
    smooth = write(in_tmp, "own.py", OPTIONS_OF_ITS_OWN) + ":Smooth"
    result = invoke("gradcheck", "--loss", smooth)
    assert result.exit_code == 0, result.output
    assert "k =" not in result.output and "weights =" not in result.output


def test_a_loss_that_calls_every_row_a_kink_is_refused(in_tmp):
    write(in_tmp, "own.py", OPTIONS_OF_ITS_OWN)
    result = invoke("train", "--loss", "own.py:AllKinks")
    assert result.exit_code == 2 and "near_kink(z, y, tolerance) leaves out 30 of the 30 rows" in result.output


def test_an_optimizer_is_checked_on_parameters_of_the_runs_own_shape(in_tmp):
    flat = write(in_tmp, "flat.py", FLAT_OPTIMIZER) + ":Flat"
    assert invoke("train", "--optimizer", flat, "--epochs", "2", "--no-plot", "--out", "a").exit_code == 0
    result = invoke("train", "--optimizer", flat, "--dataset", "iris", "--epochs", "2")
    assert result.exit_code == 2 and "update must return a step of theta's shape (5, 3), got (15,)" in result.output
