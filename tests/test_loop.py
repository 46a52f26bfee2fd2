"""The training loop: it learns, it is reproducible, and its shortcuts change nothing."""

import dataclasses
import functools

import numpy as np
import pytest

from lossplay.config import make_config
from lossplay.experiment import build
from lossplay.loop import StepRecord, Stop, StopSignal, batches
from lossplay.losses import LOSSES
from lossplay.observers import DivergenceGuard, History, Observer
from lossplay.optimizers import OPTIMIZERS
from lossplay.reference import mse_minimum


def history_of(**options):
    experiment = build(make_config(**options))
    history = History()
    outcome = experiment.training_loop().run(experiment.theta0, [history, DivergenceGuard()])
    return experiment, history, outcome


@functools.cache
def best_reachable_cost(loss):
    """The training cost after a long, careful full-batch Adam run: the target to get close to."""
    _, history, _ = history_of(loss=loss, optimizer="adam", lr=0.01, epochs=3000, batch_size=0)
    return history[-1].train_loss


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("loss", list(LOSSES))
def test_every_default_combination_converges(loss, optimizer):
    _, history, outcome = history_of(loss=loss, optimizer=optimizer)
    assert outcome.status == "completed"
    assert history[-1].train_loss < 0.5 * history[0].train_loss
    assert history[-1].train_loss < 1.3 * best_reachable_cost(loss)


def test_full_batch_mse_reaches_the_least_squares_solution():
    experiment, history, outcome = history_of(loss="mse", batch_size=0, epochs=500)
    data = experiment.data
    np.testing.assert_allclose(outcome.theta, mse_minimum(data.X_train, data.y_train), rtol=1e-6)
    assert history[-1].grad_norm < 1e-6


def test_same_seed_same_history_and_another_seed_differs():
    def losses(seed):
        return [r.train_loss for r in history_of(loss="huber", optimizer="adam", epochs=20, seed=seed)[1]]

    assert losses(3) == losses(3)
    assert losses(3) != losses(4)


def test_epoch_zero_is_before_any_update_and_records_are_consistent():
    experiment, history, outcome = history_of(epochs=5, l2=0.1)
    first = history[0]
    assert first.epoch == 0 and first.steps == 0
    np.testing.assert_array_equal(first.params, experiment.theta0)
    assert [r.epoch for r in history] == list(range(6))
    assert [r.steps for r in history] == [5 * i for i in range(6)]  # 160 rows / 32 = 5 batches
    last = history[-1]
    weights = last.params[:-1]
    assert last.objective == pytest.approx(last.train_loss + 0.1 * 0.5 * float(weights @ weights))
    assert outcome.steps == 25 and outcome.epochs_run == 5


def test_batches_cover_every_row_once_per_epoch():
    rng = np.random.default_rng(0)
    shuffled = batches(10, 3, True, rng)
    assert [len(b) for b in shuffled] == [3, 3, 3, 1]
    assert sorted(np.concatenate(shuffled)) == list(range(10))
    in_order = batches(10, 4, False, rng)
    assert in_order == [slice(0, 4), slice(4, 8), slice(8, 10)]
    assert batches(10, 0, True, rng) == [slice(0, 10)] == batches(10, 99, True, rng)


class Steps(Observer):
    wants_steps = True

    def __init__(self):
        self.records = []

    def on_step_end(self, record):
        self.records.append(record)


@pytest.mark.parametrize("options", [
    {"loss": "huber", "optimizer": "adam"},
    {"loss": "bce", "optimizer": "sgd", "momentum": 0.9, "l1": 0.01},
    {"loss": "cce", "optimizer": "rmsprop", "batch_size": 0},
])
def test_step_detail_changes_nothing_and_its_numbers_add_up(options):
    options = {**options, "epochs": 3}
    _, fast, fast_outcome = history_of(**options)
    experiment = build(make_config(**options))
    steps, history = Steps(), History()
    outcome = experiment.training_loop().run(experiment.theta0, [history, steps])
    np.testing.assert_array_equal(outcome.theta, fast_outcome.theta)
    assert [r.train_loss for r in history] == [r.train_loss for r in fast]
    loss, model = experiment.loss, experiment.model
    for record in steps.records:
        assert isinstance(record, StepRecord)
        np.testing.assert_allclose(record.z, model.raw(record.params_before, record.X))
        assert record.cost == pytest.approx(np.mean(record.losses))
        np.testing.assert_allclose(record.params_after, record.params_before + record.update)
        np.testing.assert_allclose(record.dz, loss.derivative(record.z, record.y))
    assert steps.records[0].train_cost_before == pytest.approx(history[0].train_loss)


def test_a_stop_signal_ends_training_after_the_current_step():
    experiment = build(make_config(epochs=50))
    stop = StopSignal()

    class PressCtrlC(Observer):
        wants_steps = True

        def on_step_end(self, record):
            if record.step == 7:
                stop.requested = True

    history = History()
    outcome = experiment.training_loop().run(experiment.theta0, [history, PressCtrlC()], stop=stop)
    assert outcome.status == "interrupted" and outcome.steps == 7
    assert history[-1].steps == 7 and history[-1].epoch == 2
    np.testing.assert_array_equal(history[-1].params, outcome.theta)


def test_too_large_a_learning_rate_diverges_with_a_clear_message():
    _, history, outcome = history_of(lr=1.5, batch_size=0, epochs=200)
    assert outcome.status == "diverged"
    assert "grew from" in outcome.message and "learning rate 1.5 is too large" in outcome.message
    assert history[-1].objective > 1e6 * history[0].objective > history[-2].objective
    assert outcome.epochs_run == history[-1].epoch < 200


def test_an_exploding_gradient_stops_the_run_before_it_is_applied():
    experiment = build(make_config(lr=50.0, batch_size=16, epochs=500))
    history = History()
    loop = experiment.training_loop()
    outcome = loop.run(experiment.theta0, [history, DivergenceGuard(growth=float("inf"))])
    assert outcome.status == "diverged"
    assert "gradient norm" in outcome.message and f"update {outcome.steps + 1}" in outcome.message
    assert history[-1].finite  # the exploding step was not taken
    np.testing.assert_array_equal(history[-1].params, outcome.theta)


def test_a_cost_that_is_not_finite_is_divergence():
    guard = DivergenceGuard()
    _, history, _ = history_of(epochs=2)
    first, second = history[0], history[1]
    assert guard.on_epoch_end(first) is None
    broken = dataclasses.replace(second, train_loss=float("nan"), objective=float("nan"))
    verdict = guard.on_epoch_end(broken)
    assert verdict.status == "diverged" and "infinite or NaN during epoch 1" in verdict.message


def test_a_stop_during_an_epoch_ends_the_history_with_the_final_parameters():
    experiment = build(make_config(batch_size=16, epochs=5))

    class StopAtStep15(Observer):
        wants_steps = True

        def on_step_end(self, record):
            return Stop("early_stopped", "test") if record.step == 15 else None

    history = History()
    outcome = experiment.training_loop().run(experiment.theta0, [history, StopAtStep15()])
    assert outcome.steps == 15 and history[-1].steps == 15 and outcome.epochs_run == 2
    np.testing.assert_array_equal(history[-1].params, outcome.theta)
    assert history[-1].train_loss == pytest.approx(experiment.training_loop().cost(
        outcome.theta, experiment.data.design_train, experiment.data.y_train))


def test_a_stop_requested_between_epochs_takes_no_further_step():
    experiment = build(make_config(batch_size=0, epochs=10))
    stop = StopSignal()

    class PressAtEpoch3(Observer):
        def on_epoch_end(self, record):
            if record.epoch == 3:
                stop.requested = True

    outcome = experiment.training_loop().run(experiment.theta0, [History(), PressAtEpoch3()], stop=stop)
    assert outcome.status == "interrupted" and outcome.steps == 3 and outcome.epochs_run == 3


@pytest.mark.parametrize("options", [
    dict(loss="mse", l2=0.1), dict(loss="huber", l1=0.01), dict(loss="mae", poly_degree=3),
    dict(loss="bce"), dict(loss="focal"), dict(loss="hinge"), dict(loss="cce"),
    dict(loss="bce", class_weight="balanced", dataset="imbalanced"),  # weighted: never split
])
def test_evaluating_in_blocks_of_rows_gives_the_same_numbers(options, monkeypatch):
    from lossplay import loop as training_loop

    experiment = build(make_config(samples=10_000, batch_size=0, **options))
    theta = experiment.theta0 + np.random.default_rng(0).normal(0.0, 0.5, experiment.theta0.shape)

    def evaluation(block_bytes):
        monkeypatch.setattr(training_loop, "BLOCK_BYTES", block_bytes)
        found = experiment.training_loop().evaluate(theta)
        return found.record, found.z.copy(), None if found.dz is None else found.dz.copy(), found.grad

    whole, z, dz, grad = evaluation(2**40)
    blocked, z_b, dz_b, grad_b = evaluation(1)  # blocks of the smallest size, 4096 rows
    assert len(training_loop.row_blocks(experiment.data.n_train, 8)) == 2
    np.testing.assert_allclose(z_b, z, rtol=1e-13)
    np.testing.assert_allclose(grad_b, grad, rtol=1e-10, atol=1e-14)
    if dz is not None:
        np.testing.assert_allclose(dz_b, dz, rtol=1e-13)
    assert blocked.train_loss == pytest.approx(whole.train_loss, rel=1e-12)
    assert blocked.objective == pytest.approx(whole.objective, rel=1e-12)
    assert blocked.train_metrics == pytest.approx(whole.train_metrics, rel=1e-12)


def test_a_rate_per_update_and_each_batch_cost_before_its_update():
    experiment = build(make_config(batch_size=0))
    rates = [0.1, 0.05, 0.02]
    loop = experiment.training_loop(epochs=10, step_lr=lambda n: rates[n - 1] if n <= len(rates) else None)
    heard, history = [], History()

    class Ear(Observer):
        wants_batches = True

        def on_batch(self, record):
            heard.append(record)

    outcome = loop.run(experiment.theta0, [history, Ear()])
    assert outcome.status == "completed" and outcome.steps == 3
    assert [record.lr for record in heard] == rates
    # full batch: the cost before update n is the training cost recorded at the end of epoch n - 1
    assert [record.cost for record in heard] == [history[n].train_loss for n in range(3)]


def test_a_batch_observer_stops_training_before_an_update():
    experiment = build(make_config(batch_size=16, epochs=5))

    class StopAtFive(Observer):
        wants_batches = True

        def on_batch(self, record):
            return Stop("completed", "enough") if record.step == 5 else None

    outcome = experiment.training_loop().run(experiment.theta0, [StopAtFive()])
    assert outcome.steps == 4 and outcome.message == "enough"
