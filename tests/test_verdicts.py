"""What lossplay says about its numbers, on labelled cases: findings, rankings, advice that works."""

import html
import json
import shlex

import numpy as np
import pytest
from click.testing import CliRunner

import lossplay
from lossplay import demos, verdicts
from lossplay.cli import cli
from lossplay.reference import stable_lr_limit
from lossplay.verdicts import Curves, diagnose, groups

# -- the criteria, on curves made by hand ---------------------------------------------------


def curves(objective, val=None, train=None):
    objective = np.asarray(objective, dtype=float)
    return Curves.of(np.arange(objective.size), objective, objective if train is None else train, val)


def kinds(diagnosis):
    return [f.kind for f in diagnosis.findings]


def test_a_geometric_fall_that_flattens_has_converged():
    found = diagnose(curves(1.0 + 10 * 0.8 ** np.arange(100)))
    assert kinds(found) == ["converged"]
    assert 0 < found.find("converged").epoch < 60


def test_a_steady_fall_is_still_improving():
    found = diagnose(curves(10.0 - 0.05 * np.arange(100)))
    assert kinds(found) == ["still_improving"] and found.find("still_improving").epoch is None


def test_a_spike_that_lifts_both_curves_is_unstable_not_overfitting():
    train = 1.0 + 10 * 0.8 ** np.arange(200)
    train[120:126] *= [3, 4, 6, 4, 2, 1.2]
    val = train * 1.1
    found = diagnose(curves(train, val))
    assert "unstable" in kinds(found) and "overfitting" not in kinds(found)
    assert found.find("unstable").epoch == 120


def test_validation_turning_up_while_training_falls_is_overfitting():
    epochs = np.arange(300)
    train = 0.1 + np.exp(-epochs / 40)
    val = 0.5 + np.exp(-epochs / 40) + 0.002 * np.maximum(epochs - 100, 0)
    found = diagnose(curves(train, val))
    assert "overfitting" in kinds(found)
    assert 90 <= found.find("overfitting").epoch <= 110
    assert found.overfitting == {"detected": True, "began_at_epoch": found.find("overfitting").epoch}


def test_validation_noise_around_a_flat_level_is_not_overfitting():
    rng = np.random.default_rng(0)
    epochs = np.arange(300)
    train = 0.1 + np.exp(-epochs / 20)
    val = 0.5 + np.exp(-epochs / 20) + rng.normal(0, 0.02, epochs.size)
    assert "overfitting" not in kinds(diagnose(curves(train, val)))


def test_a_zigzag_of_an_oscillating_run_is_noise():
    x = np.linspace(0, 1, 50)
    zigzag = 1.0 + 0.1 * (-1) ** np.arange(50)
    assert verdicts.noise(x) == pytest.approx(0, abs=1e-12)
    assert verdicts.noise(zigzag) > 0.05
    assert np.allclose(verdicts.smooth(zigzag)[3:], 1.0)


def test_corrupted_training_rows_explain_a_training_cost_above_validation():
    found = diagnose(curves(np.linspace(5, 4, 20), val=np.linspace(3, 1, 20)), corrupted_rows=16)
    assert found.notes and "16 training targets are corrupted" in found.notes[0]


# -- labelled runs ------------------------------------------------------------------------------


def test_clean_full_batch_convergence():
    run = lossplay.train(batch_size=0, lr=0.5)
    assert run.diagnosis.kinds == ("converged",) and run.advice() == []


def test_full_batch_descent_just_under_the_limit_only_falls_and_converges():
    limit = stable_lr_limit(lossplay.train(epochs=1).data.X_train)
    run = lossplay.train(batch_size=0, lr=0.95 * limit, epochs=300)
    assert np.all(np.diff(run.history.column("objective")) <= 1e-12)  # it only falls (to rounding)
    assert run.diagnosis.kinds == ("converged",)


def test_a_mini_batch_run_at_a_rate_that_bounces_is_unstable():
    run = lossplay.train(lr=1.0)
    assert "unstable" in run.diagnosis.kinds and "converged" not in run.diagnosis.kinds


def test_a_spiking_rmsprop_is_unstable_and_not_overfitting():
    run = lossplay.train(dataset="sine", samples=60, noise=0.1, poly_degree=5, batch_size=0, epochs=400,
                         optimizer="rmsprop")
    assert "unstable" in run.diagnosis.kinds and "overfitting" not in run.diagnosis.kinds
    assert run.overfitting == {"detected": False, "began_at_epoch": None}


def test_a_real_overfit_with_polynomial_features():
    run = lossplay.train(dataset="sine", samples=20, noise=0.3, val_split=0.5, poly_degree=9, optimizer="adam",
                         lr=0.05, epochs=3000, batch_size=0)
    assert "overfitting" in run.diagnosis.kinds and "unstable" not in run.diagnosis.kinds
    assert run.overfitting["began_at_epoch"] == run.best_epoch == 330


def test_too_few_epochs_is_still_improving():
    run = lossplay.train(lr=0.01, batch_size=0, epochs=30)
    assert run.diagnosis.kinds == ("still_improving",)


def test_divergence():
    run = lossplay.train(lr=1.5, batch_size=0)
    assert run.diagnosis.kinds == ("diverged",) and run.diagnosis.troubled


def test_run_json_findings_agree_with_overfitting_best_and_kept_epoch(tmp_path):
    run = lossplay.train(dataset="sine", samples=20, noise=0.3, val_split=0.5, poly_degree=9, optimizer="adam",
                         lr=0.05, epochs=3000, batch_size=0, patience=100, min_delta=0.002)
    document = json.loads((run.save(tmp_path / "run") / "run.json").read_text())
    assert document["kept_epoch"] == document["best_epoch"]  # early stopping restores the lowest validation cost
    turn = next((f["epoch"] for f in document["diagnosis"]["findings"] if f["kind"] == "overfitting"), None)
    assert document["overfitting"] == {"detected": turn is not None, "began_at_epoch": turn}
    assert document["status"] == "early_stopped" and document["kept_epoch"] < document["epochs_run"]
    assert all(set(f) == {"kind", "epoch", "detail"} and f["kind"] in verdicts.KINDS
               for f in document["diagnosis"]["findings"])


# -- rankings -----------------------------------------------------------------------------------


def test_a_one_row_difference_in_accuracy_is_a_tie():
    assert groups({"bce": 0.925, "mse": 0.95}, "accuracy", rows=40) == [["mse", "bce"]]
    assert groups({"bce": 0.85, "mse": 0.95}, "accuracy", rows=40) == [["mse"], ["bce"]]


def test_costs_differ_beyond_the_practical_margin_and_the_noise():
    assert groups({"a": 1.221, "b": 1.227}, "mse") == [["a", "b"]]
    assert groups({"a": 1.0, "b": 2.0}, "mse") == [["a"], ["b"]]
    assert groups({"a": 1.0, "b": 2.0}, "mse", noises={"a": 0.5, "b": 0.5}) == [["a", "b"]]
    assert groups({"a": 0.9, "b": 0.5, "c": None}, "r2") == [["a"], ["b"]]


def test_optimizers_that_reach_the_same_minimum_tie_and_speed_is_said_apart():
    cmp = lossplay.compare(optimizers=["sgd", "rmsprop", "adam"])
    document = cmp.to_json()
    assert document["ranking"]["metric"] == "mse"
    assert [sorted(g) for g in document["ranking"]["groups"]] == [["adam", "rmsprop", "sgd"]]
    assert document["speed"]["groups"][0] == ["sgd"]
    sentences = cmp.lesson()
    assert any(s.startswith("No run is better on validation MSE") for s in sentences)
    assert any(s.startswith("Speed differs") and ": sgd after" in s for s in sentences)
    assert not any(s.startswith("Best") for s in sentences)


def test_a_real_difference_is_ranked():
    cmp = lossplay.compare(losses=["mse", "mae"], outliers=True, optimizer="adam")
    assert cmp.to_json()["ranking"]["groups"] == [["mae"], ["mse"]]
    assert any(s.startswith("Best validation MSE: mae") for s in cmp.lesson())


def test_the_handout_says_what_the_terminal_says(tmp_path):
    from lossplay.report import build_report

    cmp = lossplay.compare(optimizers=["sgd", "rmsprop", "adam"])
    cmp.save(tmp_path / "c")
    page = build_report(tmp_path / "c").html
    for sentence in cmp.lesson():
        assert html.escape(sentence, quote=False) in page


def test_why_classifiers_use_cross_entropy_reads_the_pull_on_confident_mistakes():
    cmp = lossplay.compare(losses=["bce", "mse"], model="logistic")
    document = cmp.to_json()
    pulls = {r["name"]: r["wrong_row_pull"] for r in document["runs"]}
    assert pulls["bce"] > 2 * pulls["mse"]
    assert not any(s.startswith("Best validation accuracy") for s in cmp.lesson())


# -- advice that works: each suggested command is run and must not diverge or jump -----------------


def follow(command, tmp_path):
    words = shlex.split(command)
    assert words[:2] == ["lossplay", "train"]
    result = CliRunner().invoke(cli, [*words[1:], "--quiet", "--no-plot", "--out", str(tmp_path / "followed")])
    assert result.exit_code == 0, result.output
    return json.loads((tmp_path / "followed" / "run.json").read_text())


@pytest.mark.parametrize("options", [
    {"lr": 100.0},
    {"lr": 1.0},
    {"lr": 1.5, "batch_size": 0},
    {"momentum": 0.9},
    {"lr": 0.01, "batch_size": 0, "epochs": 30},
], ids=["diverges", "bounces", "diverges-full-batch", "momentum-overshoots", "too-few-epochs"])
def test_every_piece_of_advice_leads_to_a_run_without_trouble(options, tmp_path):
    run = lossplay.train(**options)
    advice = run.advice()
    assert advice, f"no advice for {run.diagnosis.kinds}"
    for item in advice:
        document = follow(item.command, tmp_path)
        followed = {f["kind"] for f in document["diagnosis"]["findings"]}
        assert not followed & {"diverged", "unstable"}, (item.command, followed)


def test_advice_for_more_epochs_leads_to_a_converged_run(tmp_path):
    (item,) = lossplay.train(lr=0.01, batch_size=0, epochs=30).advice()
    assert "--epochs" in item.command
    document = follow(item.command, tmp_path)
    assert [f["kind"] for f in document["diagnosis"]["findings"]] == ["converged"]


def test_the_diverged_full_batch_rate_is_derived_from_the_data():
    run = lossplay.train(lr=1.5, batch_size=0)
    (item,) = run.advice()
    limit = stable_lr_limit(run.data.X_train)
    assert f"largest stable rate of sgd is {limit:.4g}, from the data" in item.why and item.changes["lr"] < limit


def test_lr_find_suggests_only_a_rate_it_has_trained_with(tmp_path):
    result = lossplay.lr_find()
    document = follow(result.train_command(), tmp_path)
    assert not {f["kind"] for f in document["diagnosis"]["findings"]} & {"diverged", "unstable"}


def test_a_landscape_suggests_only_what_it_has_checked():
    scape = lossplay.landscape(optimizers=["sgd", "adam"], lr=0.4, start=(-4, 8), steps=100)
    (item,) = scape.advice()
    assert "sgd diverged" in item.why and "--optimizers sgd" in item.command
    again = lossplay.landscape(optimizers=["sgd"], lr=item.changes["lr"], start=(-4, 8), steps=100)
    assert again.paths[0].status == "completed"


# -- demos -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(demos.DEMOS))
def test_every_demo_checks_its_claim_on_its_own_seed(name):
    cmp = demos.run(demos.find(name))
    lesson = cmp.to_json()["lesson"]
    assert set(lesson) >= {"claim", "holds", "evidence"} and lesson["holds"] is True, lesson["summary"]


@pytest.mark.parametrize("epochs", [5, 6, 7])
def test_a_steady_fall_over_few_epochs_is_not_called_converged(epochs):
    e = np.arange(epochs + 1, dtype=float)
    diagnosis = diagnose(Curves.of(e, 100 - e, 100 - e))
    assert not any(f.kind in ("converged", "still_improving") for f in diagnosis.findings)
    assert any("too few to tell" in note for note in diagnosis.notes)


@pytest.mark.parametrize("epochs", [8, 12])
def test_a_steady_fall_over_eight_epochs_or_more_is_still_improving(epochs):
    e = np.arange(epochs + 1, dtype=float)
    assert [f.kind for f in diagnose(Curves.of(e, 100 - e, 100 - e)).findings] == ["still_improving"]


def test_an_overfitting_run_gets_no_second_word_on_its_training_cost():
    """The overfitting finding says what the training cost did over the end; a trend finding beside it
    ('flattened', with another criterion) could contradict it."""
    e = np.arange(61, dtype=float)
    train = 1 / (1 + e)
    val = 1 / (1 + e) + 0.002 * np.maximum(e - 20, 0)
    diagnosis = diagnose(Curves.of(e, train, train, val))
    assert [f.kind for f in diagnosis.findings] == ["overfitting"]
    assert "the median of its last 3 epochs" in diagnosis.findings[0].detail
