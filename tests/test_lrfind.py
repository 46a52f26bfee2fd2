"""The learning-rate range test: its rates, costs, smoothing, suggestion, stability limit, command and files."""

import contextlib
import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

from lossplay.api import step_records
from lossplay.cli import cli
from lossplay.config import make_config
from lossplay.errors import LossplayError
from lossplay.experiment import build
from lossplay.loop import StepRecord, StopSignal, batches
from lossplay.lrfind import (
    LRFindResult,
    SmoothedCost,
    batch_noise,
    blew_up,
    learning_rates,
    lr_find,
    run_lr_find,
    smooth,
    smoothing_beta,
    stability_limit,
    steepest_fall,
)
from lossplay.seeding import stream

JSON_KEYS = {"lossplay_version", "config", "data", "lrs", "costs", "smoothed", "stopped_at_step", "suggested_lr",
             "stability_limit", "files"}


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def strict_json(text):
    """Parse JSON, refusing NaN and Infinity (which Python's json would otherwise accept)."""
    def refuse(name):
        raise ValueError(f"{name} in JSON")
    return json.loads(text, parse_constant=refuse)


# -- the rates --------------------------------------------------------------------------------------


def test_the_rates_grow_geometrically_from_lr_min_to_lr_max():
    lrs = learning_rates(1e-5, 10.0, 100)
    i = np.arange(100)
    assert lrs[0] == 1e-5 and lrs[-1] == 10.0
    np.testing.assert_allclose(lrs, 1e-5 * (10.0 / 1e-5) ** (i / 99), rtol=1e-12)
    ratios = lrs[1:] / lrs[:-1]
    np.testing.assert_allclose(ratios, (1e6) ** (1 / 99), rtol=1e-12)


def test_each_step_uses_the_next_rate():
    result = lr_find(steps=20, lr_min=1e-4, lr_max=1e-2)
    assert result.status == "completed" and len(result.lrs) == 20
    np.testing.assert_array_equal(result.lrs, learning_rates(1e-4, 1e-2, 20))


# -- the costs --------------------------------------------------------------------------------------


def test_the_first_cost_is_the_cost_of_theta0_on_the_batch_train_draws_first():
    experiment = build(make_config(seed=3))
    data, model, loss = experiment.data, experiment.model, experiment.loss
    rows = batches(data.n_train, 32, True, stream(3, "shuffle"))[0]
    expected = loss.cost(model.raw(experiment.theta0, data.X_train[rows]), data.y_train[rows])
    result = run_lr_find(experiment, 1e-3, 1.0, 5, stop=StopSignal())
    assert result.costs[0] == pytest.approx(expected, rel=1e-12)
    first_step = next(r for r in step_records(build(make_config(seed=3)), 1) if isinstance(r, StepRecord))
    assert result.costs[0] == pytest.approx(first_step.cost, rel=1e-12)


def test_the_second_cost_follows_one_sgd_update_with_the_first_rate():
    experiment = build(make_config(batch_size=0, l2=0.1))
    data = experiment.data
    A, y = data.design_train, data.y_train
    theta = experiment.theta0.copy()
    gradient = (2 / data.n_train) * A.T @ (A @ theta - y)
    gradient[:-1] += 0.1 * theta[:-1]
    theta = theta - 1e-3 * gradient
    result = run_lr_find(experiment, 1e-3, 1.0, 5, stop=StopSignal())
    assert result.costs[1] == pytest.approx(np.mean((A @ theta - y) ** 2), rel=1e-12)


# -- the smoothing ----------------------------------------------------------------------------------


def test_smoothing_matches_a_hand_worked_example():
    # beta = 0.5, costs 4, 2, 1:
    #   a1 = 0.5*0 + 0.5*4 = 2     s1 = 2 / (1 - 0.5)    = 4
    #   a2 = 0.5*2 + 0.5*2 = 2     s2 = 2 / (1 - 0.25)   = 8/3
    #   a3 = 0.5*2 + 0.5*1 = 1.5   s3 = 1.5 / (1 - 0.125) = 12/7
    np.testing.assert_allclose(smooth([4.0, 2.0, 1.0], 0.5), [4.0, 8 / 3, 12 / 7], rtol=1e-15)
    smoother = SmoothedCost(0.0)
    assert [smoother.add(c) for c in (3.0, 1.0)] == [3.0, 1.0]


def test_the_smoothing_spans_a_tenth_of_the_test_and_none_for_full_batch():
    assert smoothing_beta(100) == pytest.approx(0.9)
    assert smoothing_beta(10) == 0.5 and smoothing_beta(10_000) == 0.98
    assert smoothing_beta(100, full_batch=True) == 0.0
    assert lr_find(steps=10, lr_max=1e-2).beta == 0.5
    assert lr_find(steps=10, lr_max=1e-2, batch_size=0).beta == 0.0


# -- the suggestion ---------------------------------------------------------------------------------


def piecewise(lrs, knots, values):
    """A curve linear in ln(lr) between the given steps."""
    x = np.log(lrs)
    return np.interp(x, x[knots], values)


def test_the_suggestion_is_the_steepest_fall_before_the_lowest_cost():
    lrs = learning_rates(1e-4, 1.0, 41)
    # falls gently (steps 0-10), steeply (10-15), gently (15-25) to its lowest, then climbs
    curve = piecewise(lrs, [0, 10, 15, 25, 40], [10.0, 9.0, 4.0, 3.0, 12.0])
    found = steepest_fall(lrs, curve, curve, beta=0.0)
    assert 11 <= found.index <= 14
    slope = (4.0 - 9.0) / (np.log(lrs[15]) - np.log(lrs[10]))
    assert found.slope == pytest.approx(slope, rel=1e-9)
    assert lrs[found.index] < lrs[int(np.argmin(curve))]


def test_a_steeper_fall_after_the_lowest_cost_is_never_suggested():
    lrs = learning_rates(1e-4, 1.0, 41)
    # lowest at step 20; then up to 30 and a steep fall that stays above the lowest
    curve = piecewise(lrs, [0, 20, 30, 32, 40], [10.0, 2.0, 30.0, 5.0, 40.0])
    found = steepest_fall(lrs, curve, curve, beta=0.0)
    assert found.index < 20


def test_with_smoothing_the_slope_is_taken_across_the_average_window_after_its_start():
    lrs = learning_rates(1e-4, 1.0, 100)
    curve = piecewise(lrs, [0, 40, 50, 90, 99], [10.0, 9.0, 3.0, 2.0, 20.0])
    found = steepest_fall(lrs, curve, curve, beta=0.9)
    assert 40 <= found.index <= 50
    # an early dip, within the first steps of the average (when it rests on a batch or two), does not count
    curve[1] = 5.0
    assert steepest_fall(lrs, curve, curve, beta=0.0).index == 0
    assert 40 <= steepest_fall(lrs, curve, curve, beta=0.9).index <= 50


def test_no_fall_means_no_suggestion_and_says_why():
    lrs = learning_rates(1e-3, 1.0, 20)
    rising = np.linspace(1.0, 3.0, 20)
    found = steepest_fall(lrs, rising, rising)
    assert found.index is None and "never fell" in found.reason
    rng = np.random.default_rng(0)
    noisy = 10 + rng.normal(0, 1, 100)
    flat = smooth(noisy, 0.9)
    found = steepest_fall(learning_rates(1e-5, 1e-3, 100), noisy, flat, beta=0.9)
    assert found.index is None and "noise" in found.reason


def test_a_test_with_rates_too_small_to_learn_has_no_suggestion():
    result = lr_find(lr_min=1e-6, lr_max=1e-4, steps=40)
    assert result.suggested_lr is None and result.why_no_suggestion


# -- the blow-up ------------------------------------------------------------------------------------


def test_blow_up_is_four_times_the_lowest_or_not_finite():
    assert not blew_up(4.0, 1.0) and blew_up(4.001, 1.0)
    assert blew_up(math.inf, 1.0) and blew_up(math.nan, 1.0)
    assert not blew_up(1e9, math.inf)  # the first step has no lowest value yet


def test_the_test_stops_at_the_blow_up():
    result = lr_find(lr_min=1e-2, lr_max=1e4, steps=60)
    assert result.status == "blew_up"
    n = result.stopped_at_step
    assert n == len(result.lrs) == len(result.costs) == len(result.smoothed) < 60
    s = result.smoothed
    assert s[-1] > 4 * s[:-1].min()
    assert all(s[i] <= 4 * s[:i].min() for i in range(1, n - 1))
    assert "4 × its lowest" in result.stop_reason
    assert result.suggested_step < result.lowest_step < n


def test_a_cost_that_overflows_stops_the_test():
    result = lr_find(noise=1e100, lr_min=1e90, lr_max=1e100, steps=5)  # targets near 1e100: costs near 1e200
    assert result.status == "blew_up" and result.stopped_at_step == 2
    assert not np.isfinite(result.costs[-1]) and "finite" in result.stop_reason
    assert result.suggested_lr is None


def test_ctrl_c_stops_after_the_current_step(monkeypatch):
    from lossplay import lrfind

    stop = StopSignal()
    heard = lrfind._RangeTest.on_batch

    def on_batch(self, record):  # Ctrl-C arrives while the 4th update is being made
        if record.step == 4:
            stop.requested = True
        return heard(self, record)

    monkeypatch.setattr(lrfind._RangeTest, "on_batch", on_batch)
    result = run_lr_find(build(make_config()), stop=stop)
    assert result.status == "interrupted" and len(result.lrs) == 4
    assert result.stopped_at_step is None


# -- the stability limit ----------------------------------------------------------------------------


def test_the_stability_limit_is_two_over_the_largest_eigenvalue_of_the_hessian():
    experiment = build(make_config(dataset="diabetes", poly_degree=2, l2=0.05))
    X = experiment.data.X_train
    assert np.allclose(X.mean(axis=0), 0) and np.allclose(X.std(axis=0), 1)  # the standardised design
    A = np.hstack([X, np.ones((X.shape[0], 1))])
    H = (2 / X.shape[0]) * A.T @ A + 0.05 * np.diag([1.0] * X.shape[1] + [0.0])
    assert stability_limit(experiment) == pytest.approx(2 / np.linalg.eigvalsh(H)[-1], rel=1e-10)


def test_the_stability_limit_is_only_for_mse_on_a_linear_model():
    assert stability_limit(build(make_config(loss="bce"))) is None
    assert stability_limit(build(make_config(loss="huber"))) is None
    assert stability_limit(build(make_config(loss="mse", model="logistic", dataset="blobs"))) is None
    assert lr_find(steps=10, lr_max=1e-2).stability_limit == pytest.approx(1.0)  # 2 / λmax of 2I


# -- the Python API ---------------------------------------------------------------------------------


def test_the_api_returns_a_result_that_plots_and_saves(tmp_path):
    result = lr_find(loss="bce", optimizer="adam", steps=30)
    assert isinstance(result, LRFindResult) and result.stability_limit is None
    assert result.suggested_lr is not None
    assert result.train_options() == {"loss": "bce", "optimizer": "adam", "lr": float(f"{result.suggested_lr:.2g}")}
    assert result.plot().axes[0].get_xscale() == "log"
    folder = result.save(tmp_path / "found")
    assert {p.name for p in folder.iterdir()} == {"lr_find.json", "lr_find.png"}


def test_the_api_refuses_options_the_test_sets_itself():
    with pytest.raises(LossplayError, match="sets the learning rate itself"):
        lr_find(lr=0.1)


@pytest.mark.parametrize(("options", "message"), [
    ({"lr_min": 0.0}, "lossplay.lr_find: lr_min must be > 0"),
    ({"lr_min": 1.0, "lr_max": 0.5}, r"lr_max \(0.5\) must be larger than lr_min \(1\)"),
    ({"lr_max": math.inf}, "finite"),
    ({"steps": 4}, "lossplay.lr_find: steps must be at least 5"),
])
def test_bad_ranges_are_refused(options, message):
    with pytest.raises(LossplayError, match=message):
        lr_find(**options)


# -- the command line -------------------------------------------------------------------------------


def test_lr_find_prints_the_suggestion_and_writes_its_folder(in_tmp):
    result = invoke("lr-find")
    assert result.exit_code == 0, result.output
    assert "Learning-rate range test: sgd" in result.output
    assert "Suggested learning rate" in result.output and "lossplay train --lr " in result.output
    assert "Stability limit" in result.output and "2 / λmax = 1" in result.output
    folders = list((in_tmp / "runs").iterdir())
    assert len(folders) == 1 and folders[0].name.endswith("-lr-find-mse-sgd")
    assert {p.name for p in folders[0].iterdir()} == {"lr_find.json", "lr_find.png"}
    document = strict_json((folders[0] / "lr_find.json").read_text())
    assert JSON_KEYS <= set(document)
    assert document["config"]["lr_min"] == 1e-5 and document["config"]["lr_max"] == 10.0
    assert document["config"]["steps"] == 100 and document["config"]["loss"] == "mse"
    assert "lr" not in document["config"] and "epochs" not in document["config"]
    assert set(document["data"]) == {"task", "n_train", "features", "target"}
    assert document["files"] == {"picture": "lr_find.png"}
    assert len(document["lrs"]) == len(document["costs"]) == len(document["smoothed"])
    assert document["suggested_lr"] in document["lrs"]
    assert document["stability_limit"] == pytest.approx(1.0)


def test_the_suggested_command_runs(in_tmp):
    result = invoke("lr-find", "--loss", "bce", "--optimizer", "adam", "--no-plot", "--quiet")
    assert result.exit_code == 0
    command = next(line.split() for line in result.output.splitlines() if "lossplay train" in line)
    assert command[:6] == ["lossplay", "train", "--loss", "bce", "--optimizer", "adam"]
    trained = invoke(*command[1:], "--epochs", "2", "--no-plot", "--quiet")
    assert trained.exit_code == 0, trained.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--lr-min", "0"], "--lr-min must be > 0"),
    (["--lr-min", "-1"], "--lr-min must be > 0"),
    (["--lr-min", "1", "--lr-max", "1"], "--lr-max (1) must be larger than --lr-min (1)"),
    (["--steps", "3"], "--steps must be at least 5"),
    (["--epochs", "3"], "has no option --epochs: it is an option of 'lossplay train'"),
])
def test_bad_input_is_one_error_line_and_exit_2(in_tmp, args, message):
    result = invoke("lr-find", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (in_tmp / "runs").exists()


def test_an_existing_folder_is_only_replaced_with_force(in_tmp):
    assert invoke("lr-find", "--out", "found", "--steps", "20", "--quiet").exit_code == 0
    before = (in_tmp / "found" / "lr_find.json").read_text()
    refused = invoke("lr-find", "--out", "found", "--steps", "30", "--quiet")
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert (in_tmp / "found" / "lr_find.json").read_text() == before
    replaced = invoke("lr-find", "--out", "found", "--steps", "30", "--quiet", "--force", "--no-plot")
    assert replaced.exit_code == 0
    assert {p.name for p in (in_tmp / "found").iterdir()} == {"lr_find.json"}
    assert strict_json((in_tmp / "found" / "lr_find.json").read_text())["config"]["steps"] == 30


def test_json_has_no_nan_even_when_the_cost_overflows(in_tmp):
    result = invoke("lr-find", "--noise", "1e100", "--lr-min", "1e90", "--lr-max", "1e100", "--steps", "5",
                    "--out", "x", "--no-plot")
    assert result.exit_code == 0, result.output
    assert "No suggestion" in result.output and "Stopped at step 2" in result.output
    document = strict_json((in_tmp / "x" / "lr_find.json").read_text())
    assert document["costs"][-1] is None and document["suggested_lr"] is None
    assert document["stopped_at_step"] == 2


def test_ctrl_c_saves_what_was_recorded_and_exits_130(in_tmp, monkeypatch):
    import signal

    import lossplay.interrupt

    @contextlib.contextmanager
    def pressed_at_once():
        yield StopSignal(requested=True, signum=signal.SIGINT)

    monkeypatch.setattr(lossplay.interrupt, "graceful_interrupt", pressed_at_once)
    result = invoke("lr-find", "--out", "stopped", "--no-plot")
    assert result.exit_code == 130
    assert "Interrupted after step 0 of 100" in result.output and "No update was made" in result.output
    document = strict_json((in_tmp / "stopped" / "lr_find.json").read_text())
    assert document["status"] == "interrupted" and document["lrs"] == []


def test_help_lists_the_range_and_not_the_options_the_test_sets():
    text = invoke("lr-find", "--help").output
    assert "--lr-min" in text and "--lr-max" in text and "--steps" in text and "--batch-size" in text
    assert "--epochs" not in text and "--lr " not in text and "--patience" not in text


def test_no_suggestion_when_the_lowest_cost_comes_while_the_average_is_still_warming_up():
    lrs = learning_rates(1e-5, 1e-3, 50)
    costs = np.array([10.0, 9.0] + [10.0 + 0.5 * (-1) ** i for i in range(48)])
    found = steepest_fall(lrs, costs, smooth(costs, 0.9), beta=0.9)
    assert found.index is None and "first" in found.reason


def test_the_smoothing_keyword_leaves_smooth_l1_s_beta_alone():
    result = lr_find(loss="smooth_l1", beta=0.5, smoothing=0.8, steps=10)
    assert result.config.beta == 0.5 and result.beta == 0.8


@pytest.mark.parametrize(("args", "message"), [(["--lr-max", "1e101"], "at most 1e+100"),
                                               (["--steps", "100001"], "at most 100000")])
def test_ranges_that_only_overflow_or_exhaust_memory_are_refused(in_tmp, args, message):
    result = invoke("lr-find", *args)
    assert result.exit_code == 2 and message in result.output


def test_batch_noise_is_the_standard_deviation_of_the_costs_scatter():
    rng = np.random.default_rng(0)
    costs = np.linspace(50, 10, 20_000) + rng.normal(0, 2.0, 20_000)  # a trend plus noise of sd 2
    assert batch_noise(costs) == pytest.approx(2.0, rel=0.03)


@pytest.mark.parametrize("nesterov", [False, True])
def test_the_momentum_limit_separates_converging_from_diverging_rates(nesterov):
    from lossplay.optimizers import make_optimizer

    curvature, mu = 4.0, 0.7  # J(w) = curvature / 2 * w², so lambda_max = curvature and the plain limit 2 / 4
    optimizer = make_optimizer("sgd", momentum=mu, nesterov=nesterov)
    limit = optimizer.stability_limit(2 / curvature)
    for lr, converges in [(0.98 * limit, True), (1.02 * limit, False)]:
        w = np.array([1.0])
        state = optimizer.init(w)
        for _ in range(3000):
            step, state = optimizer.update(curvature * w, state, lr, w)
            w = w + step
        assert (abs(w[0]) < 1e-3) == converges, (lr, w)


def test_a_config_file_holds_lr_find_s_own_options(in_tmp):
    (in_tmp / "find.toml").write_text("lr_min = 0.001\nlr_max = 5\nsteps = 30\noptimizers = ['adam']\n")
    assert invoke("lr-find", "--config", "find.toml", "--out", "found", "--no-plot").exit_code == 0
    document = strict_json((in_tmp / "found" / "lr_find.json").read_text())
    assert document["config"]["lr_min"] == 0.001 and document["config"]["lr_max"] == 5.0
    assert len(document["lrs"]) <= 30 and document["lrs"][0] == 0.001
