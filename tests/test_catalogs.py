"""lossplay losses, optimizers and gradcheck."""

import numpy as np
import pytest
from click.testing import CliRunner

from lossplay.cli import cli
from lossplay.gradcheck import check_all
from lossplay.losses import LOSSES
from lossplay.optimizers import OPTIMIZERS


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_losses_lists_every_loss_with_formula_and_options():
    output = invoke("losses").output
    text = " ".join(output.split())
    for cls in LOSSES.values():
        assert cls.name in text and cls.formula.split(",")[0][:12] in text
    assert "--delta (1.0)" in output and "--quantile" in output and "--gamma (2.0)" in output


@pytest.mark.parametrize("name", list(LOSSES))
def test_each_loss_card_has_a_worked_example(name):
    result = invoke("losses", name)
    assert result.exit_code == 0
    assert "Worked example" in result.output and LOSSES[name].derivative_formula[:8] in result.output


def test_unknown_loss_name_is_an_error():
    result = invoke("losses", "hubber")
    assert result.exit_code == 2 and "Did you mean 'huber'?" in result.stderr


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_each_optimizer_card_shows_its_first_steps(name):
    result = invoke("optimizers", name)
    assert result.exit_code == 0 and "Its first steps" in result.output


def test_optimizers_lists_every_optimizer_with_its_defaults():
    text = invoke("optimizers").output
    for name in OPTIMIZERS:
        assert name in text
    assert "--weight-decay (0.01)" in text and "--lr (0.05)" in text


def test_losses_plot_writes_a_png_and_never_overwrites_without_force(in_tmp):
    assert invoke("losses", "--plot").exit_code == 0
    assert (in_tmp / "losses.png").read_bytes()[:4] == b"\x89PNG"
    again = invoke("losses", "--plot")
    assert again.exit_code == 2 and "--force" in again.stderr
    assert invoke("losses", "--plot", "--force").exit_code == 0
    assert invoke("losses", "--plot", "--out", "pics/shapes.png").exit_code == 0
    assert (in_tmp / "pics" / "shapes.png").exists()


def test_every_gradient_agrees_with_finite_differences():
    results = check_all(seed=3)
    assert len(results) == 4 * (len(LOSSES) + 4)
    worst = max(results, key=lambda r: r.relative_error)
    assert worst.relative_error < 1e-6, worst


def test_gradcheck_command_passes_and_fails_on_a_tolerance():
    result = invoke("gradcheck")
    assert result.exit_code == 0 and "All 56 gradients agree" in result.output
    strict = CliRunner().invoke(cli, ["gradcheck", "--tolerance", "1e-15"])
    assert strict.exit_code == 1 and "disagree" in strict.output


def test_gradcheck_catches_a_wrong_gradient_where_the_loop_computes_it(monkeypatch):
    from lossplay.losses import LogCosh, MeanSquaredError

    # MSE's gradient goes through the folded factor of the residual: a wrong factor is caught
    monkeypatch.setattr(MeanSquaredError, "residual_factor", 2.2)
    monkeypatch.setattr(LogCosh, "derivative", lambda self, z, y: np.tanh(1.1 * (z - y)))
    results = [r for r in check_all() if r.loss in ("mse", "log_cosh")]
    assert all(r.relative_error > 1e-3 for r in results)
