"""The Python API: lossplay.train, the Run it returns and the run folder it writes."""

import csv
import inspect
import json
import re

import numpy as np
import pytest

import lossplay
from lossplay.errors import LossplayError

RUN_JSON_KEYS = ["lossplay_version", "status", "config", "data", "params", "epochs_run", "best_epoch",
                 "overfitting", "metrics", "files", "kept_epoch", "diagnosis"]
# with standardisation, the parameters in the data's own units follow those the model trained with
STANDARDISED_RUN_JSON_KEYS = [*RUN_JSON_KEYS[:5], "params_original", *RUN_JSON_KEYS[5:]]


@pytest.fixture(scope="module")
def huber_run():
    return lossplay.train(loss="huber", optimizer="adam", epochs=30)


def test_train_returns_a_run_with_resolved_config_and_metrics(huber_run):
    run = huber_run
    assert run.status == "completed" and run.epochs_run == 30
    assert run.config.model == "linear" and run.config.dataset == "linear" and run.config.lr == 0.05
    assert set(run.metrics["train"]) == {"loss", "mse", "rmse", "mae", "r2"}
    assert run.metrics["val"]["loss"] == run.history[-1].val_loss
    assert run.params["weights"].shape == (1,) and isinstance(run.params["bias"], float)
    weights, bias = run.original_params()
    assert weights[0] == pytest.approx(3.0, abs=0.2) and bias == pytest.approx(2.0, abs=0.3)


def test_the_api_writes_nothing_by_default(huber_run, in_tmp):
    lossplay.train(epochs=2)
    assert list(in_tmp.iterdir()) == []


def test_loss_curve_and_fit_are_figures(huber_run):
    from matplotlib.figure import Figure

    assert isinstance(huber_run.plot_loss_curve(), Figure)
    assert isinstance(huber_run.plot_fit(), Figure)
    assert lossplay.train(dataset="multi", epochs=2).plot_fit() is None


def test_run_folder_files_follow_the_design(huber_run, tmp_path):
    folder = huber_run.save(tmp_path / "run")
    document = json.loads((folder / "run.json").read_text())
    assert list(document) == STANDARDISED_RUN_JSON_KEYS
    assert document["status"] == "completed"
    assert document["config"]["loss"] == "huber" and document["config"]["lr"] == 0.05
    assert set(document["config"]) == set(lossplay.TrainConfig.__dataclass_fields__)
    data = document["data"]
    assert (data["task"], data["n_train"], data["n_val"], data["features"], data["target"], data["classes"]) == \
        ("regression", 160, 40, ["x"], "y", None)
    assert data["standardization"]["std_divides_by"] == "n"
    assert set(data["standardization"]) == {"mean", "std", "std_divides_by"}
    assert document["params"]["weights"] == pytest.approx(list(huber_run.params["weights"]))
    weights, bias = huber_run.original_params()
    assert document["params_original"] == {"weights": pytest.approx(list(weights)), "bias": pytest.approx(bias)}
    assert document["files"] == {"history": "history.csv", "loss_curve": "loss_curve.png", "fit": "fit.png"}
    assert set(document["metrics"]["val"]) == {"loss", "mse", "rmse", "mae", "r2"}
    with open(folder / "history.csv") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["epoch", "steps", "train_loss", "val_loss", "objective", "grad_norm", "lr",
                             "train_mse", "train_rmse", "train_mae", "train_r2",
                             "val_mse", "val_rmse", "val_mae", "val_r2"]
    assert len(rows) == 31 and rows[0]["epoch"] == "0" and rows[0]["steps"] == "0"
    assert float(rows[-1]["val_loss"]) == huber_run.history[-1].val_loss
    for name in ("loss_curve.png", "fit.png"):
        assert (folder / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]


def test_classification_run_json_has_classes_and_softmax_weights(tmp_path):
    run = lossplay.train(dataset="iris", epochs=5, out=str(tmp_path / "iris"))
    document = json.loads((tmp_path / "iris" / "run.json").read_text())
    assert document["data"]["classes"] == ["setosa", "versicolor", "virginica"]
    assert document["data"]["task"] == "multiclass"
    weights = document["params"]["weights"]
    assert len(weights) == 4 and all(len(row) == 3 for row in weights)  # weights[feature][class]
    assert len(document["params"]["bias"]) == 3
    assert set(document["metrics"]["train"]) == {"loss", "accuracy", "precision", "recall", "f1", "balanced_accuracy",
                                                 "log_loss", "confusion_matrix", "precision_per_class",
                                                 "recall_per_class", "ece"}
    assert "fit" not in document["files"]  # 4 features: no picture of the fit
    assert run.config.loss == "cce" and run.config.model == "softmax"


def test_no_validation_split(tmp_path):
    run = lossplay.train(val_split=0, epochs=3)
    assert run.metrics["val"] is None and run.data.n_val == 0
    document = json.loads((run.save(tmp_path / "r") / "run.json").read_text())
    assert document["metrics"]["val"] is None and document["data"]["n_val"] == 0
    with open(tmp_path / "r" / "history.csv") as f:
        row = next(csv.DictReader(f))
    assert row["val_loss"] == "" and row["val_r2"] == ""


def test_diverged_run_is_saved_honestly(tmp_path):
    run = lossplay.train(lr=50.0, batch_size=0, epochs=100)
    assert run.status == "diverged"
    document = json.loads((run.save(tmp_path / "d") / "run.json").read_text())
    assert document["status"] == "diverged"
    assert (tmp_path / "d" / "loss_curve.png").exists()
    text = (tmp_path / "d" / "run.json").read_text()
    assert "NaN" not in text and "Infinity" not in text


def test_default_folders_never_collide(huber_run, in_tmp):
    first, second = huber_run.save(), huber_run.save()
    assert first != second and first.resolve().parent == second.resolve().parent == in_tmp / "runs"
    assert first.name.endswith("-huber-adam") and second.name == first.name + "-2"


def test_out_folder_with_files_is_refused_without_force(huber_run, tmp_path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(LossplayError, match="add force=True"):
        lossplay.train(epochs=1, out=str(target))
    lossplay.train(epochs=1, out=str(target), force=True, dataset="multi")
    assert (target / "notes.txt").read_text() == "mine"
    assert (target / "run.json").exists() and not (target / "fit.png").exists()


def test_force_removes_stale_pictures_of_the_earlier_run(huber_run, tmp_path):
    target = tmp_path / "again"
    lossplay.train(epochs=1, out=str(target))
    assert (target / "fit.png").exists()
    lossplay.train(epochs=1, out=str(target), force=True, no_plot=True)
    assert not (target / "fit.png").exists() and not (target / "loss_curve.png").exists()
    assert json.loads((target / "run.json").read_text())["files"] == {"history": "history.csv"}


def _ctrl_c_while_writing_history(monkeypatch, presses):
    import os
    import signal

    from lossplay import runs

    history_csv = runs.history_csv

    def interrupted(*args):
        for _ in range(presses):
            os.kill(os.getpid(), signal.SIGINT)
        return history_csv(*args)

    monkeypatch.setattr(runs, "history_csv", interrupted)


def test_a_late_ctrl_c_does_not_lose_the_run_being_saved(huber_run, tmp_path, monkeypatch):
    _ctrl_c_while_writing_history(monkeypatch, presses=1)
    folder = huber_run.save(tmp_path / "run", plots=False)
    assert json.loads((folder / "run.json").read_text())["status"] == "completed"


def test_a_second_ctrl_c_abandons_a_new_folder_whole(huber_run, tmp_path, monkeypatch):
    _ctrl_c_while_writing_history(monkeypatch, presses=2)
    with pytest.raises(KeyboardInterrupt):
        huber_run.save(tmp_path / "run", plots=False)
    assert not (tmp_path / "run").exists()


def test_predict_works_in_original_units(huber_run):
    x = np.array([[0.0], [1.0]])
    weights, bias = huber_run.original_params()
    np.testing.assert_allclose(huber_run.predict(x), x[:, 0] * weights[0] + bias)


@pytest.mark.parametrize(("options", "message"), [
    ({"los": "mse"}, "unknown option 'los'. Did you mean 'loss'"),
    ({"loss": "hubr"}, "Did you mean 'huber'"),
    ({"lr": -1.0}, r"^lossplay.train: lr must be > 0, got -1.0.$"),
    ({"epochs": 0}, "lossplay.train: epochs must be at least 1"),
    ({"val_split": 1.0}, r"val_split must be in \[0, 1\)"),
    ({"loss": "bce", "dataset": "linear"}, "needs class labels"),
    ({"loss": "mse", "dataset": "iris"}, "regression loss"),
    ({"loss": "bce", "dataset": "iris"}, "needs two classes"),
    ({"loss": "bce", "model": "linear"}, "loss='bce' does not fit model='linear': bce needs model='logistic'"),
    ({"epochs": "ten"}, "must be a whole number"),
    ({"nesterov": True}, "nesterov needs a momentum: add momentum=0.9"),
    ({"lr": float("inf")}, "lossplay.train: lr must be a finite number"),
])
def test_bad_options_raise_a_clear_error(options, message):
    with pytest.raises(LossplayError, match=message):
        lossplay.train(**options)


def test_loss_picks_its_dataset_and_model_and_dataset_picks_its_loss():
    assert lossplay.train(loss="bce", epochs=1).config.dataset == "blobs"
    assert lossplay.train(loss="cce", epochs=1).config.dataset == "blobs3"
    run = lossplay.train(dataset="breast_cancer", epochs=1)
    assert (run.config.loss, run.config.model) == ("bce", "logistic")
    two_class_softmax = lossplay.train(dataset="blobs", loss="cce", epochs=1)
    assert two_class_softmax.params["weights"].shape == (2, 2)


def test_batch_larger_than_the_data_means_full_batch_with_a_note():
    run = lossplay.train(batch_size=1000, epochs=2)
    assert run.config.batch_size == 0 and run.outcome.steps == 2
    assert any("full batch" in note for note in run.notes)


def test_least_squares_reference_matches_the_trained_mse_model():
    run = lossplay.train(loss="mse", batch_size=0, epochs=400, l2=0.1)
    weights, bias = run.least_squares()
    np.testing.assert_allclose(run.params["weights"], weights, rtol=1e-6)
    assert run.params["bias"] == pytest.approx(bias)


OVERFIT = dict(dataset="sine", poly_degree=9, epochs=3000, batch_size=0, optimizer="adam", lr=0.05,
               val_split=0.5, samples=20, noise=0.3, seed=0)


def test_early_stopping_restores_the_best_parameters_and_reports_their_metrics(tmp_path):
    run = lossplay.train(**OVERFIT, patience=100, out=str(tmp_path / "es"))
    assert run.status == "early_stopped" and run.outcome.kept_epoch == run.best_epoch
    best = run.history[run.best_epoch]
    np.testing.assert_array_equal(run.theta, best.params)
    assert run.metrics["val"]["loss"] == pytest.approx(best.val_loss)
    assert run.epochs_run == run.best_epoch + 100 < 3000
    document = json.loads((tmp_path / "es" / "run.json").read_text())
    assert document["status"] == "early_stopped"
    assert document["metrics"]["val"]["loss"] == pytest.approx(best.val_loss)
    assert document["params"]["weights"] == pytest.approx(list(best.params[:-1]))


def test_early_stopping_can_keep_the_last_parameters():
    run = lossplay.train(**OVERFIT, patience=100, restore_best=False)
    assert run.status == "early_stopped" and run.outcome.kept_epoch == run.epochs_run
    np.testing.assert_array_equal(run.theta, run.history[-1].params)


def test_early_stopping_needs_a_validation_split():
    with pytest.raises(LossplayError, match="needs val_split above 0"):
        lossplay.train(patience=5, val_split=0)


def test_gradient_clipping_caps_every_step():
    records = list(lossplay.step(steps=5, clip_grad=0.5, batch_size=4, dataset="linear"))
    for record in records:
        assert np.linalg.norm(record.grad) <= 0.5 + 1e-12
        assert record.clipped == (record.grad_norm > 0.5)
    assert any(r.clipped for r in records)
    np.testing.assert_allclose(records[0].update, -0.1 * records[0].grad)


def test_new_losses_and_optimizers_train():
    for options in (dict(loss="smooth_l1", beta=0.5), dict(loss="log_cosh"), dict(loss="quantile", quantile=0.9),
                    dict(loss="focal", gamma=2.0, alpha=0.25), dict(loss="hinge"),
                    dict(loss="bce", class_weight="balanced", dataset="imbalanced"),
                    dict(loss="cce", class_weight="1,2,3"), dict(model="logistic", loss="mse"),
                    dict(optimizer="adamw"), dict(optimizer="adagrad"), dict(optimizer="rmsprop", momentum=0.9)):
        run = lossplay.train(**options, epochs=30)
        assert run.status == "completed", options
        assert run.history[-1].train_loss < run.history[0].train_loss, options


def test_quantile_loss_fits_the_quantile():
    run = lossplay.train(loss="quantile", quantile=0.9, optimizer="adam", epochs=200, val_split=0)
    residuals = run.data.y_train - run.predict(run.data.raw_train)
    assert np.mean(residuals < 0) == pytest.approx(0.9, abs=0.05)


def test_class_weights_raise_recall_on_the_rare_class():
    plain = lossplay.train(dataset="imbalanced", epochs=60)
    weighted = lossplay.train(dataset="imbalanced", epochs=60, class_weight="balanced")
    assert weighted.metrics["train"]["recall"] > plain.metrics["train"]["recall"] + 0.2


@pytest.mark.parametrize(("options", "message"), [
    ({"class_weight": "balanced"}, "class_weight weighs classes: it applies to a classification loss, not to loss="),
    ({"loss": "cce", "class_weight": "1,2"}, "gives 2 weights but there are 3 classes"),
    ({"loss": "bce", "class_weight": "1,x"}, "'balanced' or numbers separated by commas"),
    ({"loss": "bce", "class_weight": "1,-2"}, "positive"),
    ({"loss": "quantile", "quantile": 1.0}, r"lossplay.train: quantile must be in \(0, 1\)"),
    ({"lr_schedule": "cosin"}, "Did you mean 'cosine'"),
    ({"warmup_epochs": 100}, "leaves no epoch"),
    ({"loss": "hinge", "dataset": "iris"}, "needs two classes"),
    ({"model": "softmax", "loss": "mse"}, "does not fit model='softmax'"),
])
def test_bad_new_options_are_explained(options, message):
    with pytest.raises(LossplayError, match=message):
        lossplay.train(**options, epochs=2)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_corrupted_targets_are_not_mistaken_for_overfitting(seed):
    for loss in ("mse", "mae", "huber"):
        assert not lossplay.train(loss=loss, outliers=True, seed=seed).overfitting["detected"]


@pytest.mark.parametrize(("call", "message"), [
    (lambda: lossplay.train(observers=[1]), "lossplay.train: each of 'observers' must be an Observer"),
    (lambda: lossplay.train(observers=1), "lossplay.train: 'observers' must be a list of observers"),
    (lambda: lossplay.train(5), "lossplay.train: config must be a TrainConfig"),
    (lambda: lossplay.train(epochs="abc"), "lossplay.train: 'epochs' must be a whole number, got str 'abc'"),
    (lambda: lossplay.train(epochs=None), "lossplay.train: 'epochs' must be a whole number, got NoneType None"),
    (lambda: lossplay.train(epochs=3.0), "'epochs' must be a whole number, got float 3.0"),
    (lambda: lossplay.train(lr=True), "'lr' must be a number, got bool True"),
    (lambda: lossplay.train(lr=10**400), "'lr' must be a finite number"),
    (lambda: lossplay.load_dataset(5), "lossplay.load_dataset: 'name' must be a text or a path, got int 5"),
    (lambda: lossplay.load_dataset(None), "lossplay.load_dataset: 'name' must be a text or a path, got NoneType"),
    (lambda: lossplay.load_dataset("linear", samples="many"), "lossplay.load_dataset: 'samples' must be a whole"),
    (lambda: lossplay.load_dataset("linear", task="regresion"), "'task' must be one of regression, binary"),
    (lambda: lossplay.compare(losses=[5]), "lossplay.compare: losses: each value must be a text, got int 5"),
    (lambda: lossplay.compare(lrs=["a"]), "lossplay.compare: lrs: each value must be a number, got 'a'"),
    (lambda: lossplay.compare(vary=[("l2", ["x"])]), "lossplay.compare: vary l2: each value must be a number"),
    (lambda: lossplay.compare(vary=[5]), "lossplay.compare: vary takes OPTION=V1,V2"),
    (lambda: next(lossplay.step(steps="3")), "lossplay.step: 'steps' must be a whole number, got str '3'"),
    (lambda: lossplay.write_report(5), "lossplay.write_report: 'folder' must be a text or a path, got int 5"),
    (lambda: lossplay.write_report(".", out=[]), "lossplay.write_report: 'out' must be a text or a path"),
    (lambda: lossplay.landscape(steps="3"), "lossplay.landscape: 'steps' must be a whole number"),
    (lambda: lossplay.lr_find(smoothing="a"), "lossplay.lr_find: 'smoothing' must be a number"),
])
def test_the_api_names_the_parameter_a_wrong_value_was_given_to(call, message, in_tmp):
    with pytest.raises(LossplayError, match=re.escape(message)):
        call()


@pytest.mark.parametrize(("X", "message"), [
    ([[1, 2, 3]], "X has 3 columns, but the run learned from 1 feature (x)"),
    ([], "X holds no rows"),
    ("abc", "X must be rows of 1 number"),
    ([[1], [2, 3]], "X must be rows of 1 number"),
    (np.zeros((2, 1, 1)), "X must be rows of 1 number"),
])
def test_predict_says_what_rows_it_needs(huber_run, X, message):
    with pytest.raises(LossplayError, match=re.escape(f"Run.predict: {message}")):
        huber_run.predict(X)
    with pytest.raises(LossplayError, match="theta must be parameters of this run's shape"):
        huber_run.predict([[1.0]], theta=[1.0, 2.0, 3.0])
    assert huber_run.predict([1.0, 2.0]).shape == (2,) and np.ndim(huber_run.predict(1.0)) == 0


def test_numpy_numbers_and_paths_are_taken_as_values(in_tmp):
    from pathlib import Path

    (in_tmp / "mine.csv").write_text("x,y\n" + "".join(f"{x},{2 * x + 1}\n" for x in range(20)))
    run = lossplay.train(dataset=Path("mine.csv"), epochs=np.int64(3), lr=np.float32(0.05), shuffle=np.bool_(False),
                         out=Path("run"), no_plot=True)
    assert (run.config.dataset, run.config.epochs, run.config.out, run.config.shuffle) == ("mine.csv", 3, "run", False)
    assert type(run.config.epochs) is int and type(run.config.lr) is float
    assert json.loads((in_tmp / "run" / "run.json").read_text())["epochs_run"] == 3
    assert lossplay.load_dataset(Path("mine.csv"), seed=np.int64(1)).n_rows == 20
    assert [e.name for e in lossplay.compare(vary="l2=0,1", epochs=2).entries] == ["l2=0", "l2=1"]
    assert [e.name for e in lossplay.compare(lrs=np.array([0.01, 0.1]), epochs=2).entries] == ["lr=0.01", "lr=0.1"]
    assert lossplay.write_report(Path("run")).path == Path("run") / "report.html"
    assert len(list(lossplay.step(steps=np.int64(2)))) == 2


# -- messages in the words of their reader -----------------------------------------------------------


def test_a_mistake_is_named_as_python_spells_it_and_as_the_command_line_does(in_tmp):
    from click.testing import CliRunner

    from lossplay.cli import cli

    with pytest.raises(LossplayError) as error:
        lossplay.train(lr=-1)
    assert str(error.value) == "lossplay.train: lr must be > 0, got -1.0."
    result = CliRunner().invoke(cli, ["train", "--lr", "-1"])
    assert result.exit_code == 2 and "Error: --lr must be > 0, got -1.0." in result.output + result.stderr
    with pytest.raises(LossplayError, match=re.escape("lossplay.train: warmup_epochs=5 leaves no epoch for "
                                                      "training: use fewer than epochs (2).")):
        lossplay.train(epochs=2, warmup_epochs=5)
    result = CliRunner().invoke(cli, ["train", "--epochs", "2", "--warmup-epochs", "5"])
    assert "--warmup-epochs 5 leaves no epoch for training: use fewer than --epochs (2)." in result.stderr
    with pytest.raises(LossplayError, match=re.escape("lossplay.landscape: A landscape needs a model with two "
                                                      "parameters")) as error:
        lossplay.landscape(dataset="iris")
    assert "(loss='bce', dataset='blobs')" in str(error.value)
    with pytest.raises(LossplayError, match="^delta must be > 0, got -1"):  # a loss built by hand
        lossplay.losses.Huber(delta=-1)


def test_spell_names_an_option_for_its_reader():
    from lossplay.errors import flags_spelled, spell, spell_settings

    assert (spell("batch_size"), spell("loss", "cce"), spell("shuffle", False), spell("lr", 0.1, "1e-1")) == \
        ("batch_size", "loss='cce'", "shuffle=False", "lr=1e-1")
    assert spell_settings(loss="bce", dataset="blobs") == "loss='bce', dataset='blobs'"
    with flags_spelled():
        assert (spell("batch_size"), spell("loss", "cce"), spell("shuffle", False), spell("outliers", True)) == \
            ("--batch-size", "--loss cce", "--no-shuffle", "--outliers")
        assert spell_settings(loss="bce", dataset="blobs") == "--loss bce --dataset blobs"
        with pytest.raises(LossplayError, match="^--lr must be > 0"):  # the command line's words: no prefix
            lossplay.train(lr=-1)
    assert spell("lr") == "lr"


def test_no_message_below_the_command_line_writes_a_flag_by_hand():
    """Messages spell options with errors.spell, so that Python and the command line each read their own
    names; a suggested command ('lossplay gradcheck --loss ...') is a command line either way."""
    import ast
    from pathlib import Path

    package = Path(lossplay.__file__).parent
    written = []
    for path in sorted(package.rglob("*.py")):
        if "cli" in path.relative_to(package).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "LossplayError":
                for part in ast.walk(node):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        text = re.sub(r"lossplay [a-z-]+ --[a-z-]+", "", part.value)
                        if re.search(r"--[a-z]", text):
                            written.append(f"{path.name}:{part.lineno}: {part.value}")
    assert written == []


# -- every result the same way: plot, to_json, save; its numbers as rows -----------------------------


def test_history_is_rows_and_columns_for_a_table(huber_run, tmp_path):
    from lossplay.loop import history_columns

    records = huber_run.history.to_records()
    assert len(records) == 31 and list(records[0]) == history_columns("regression")
    assert records[0]["epoch"] == 0 and records[-1]["val_loss"] == huber_run.history[-1].val_loss
    assert all(type(value) in (int, float) for row in records for value in row.values())
    columns = huber_run.history.to_dict()
    assert list(columns) == list(records[0]) and columns["epoch"] == list(range(31))
    assert columns["train_r2"] == [row["train_r2"] for row in records]
    with open(huber_run.save(tmp_path / "run", plots=False) / "history.csv") as f:
        written = list(csv.DictReader(f))
    assert [{k: float(v) for k, v in row.items()} for row in written] == \
        [{k: float(v) for k, v in row.items()} for row in records]
    no_split = lossplay.train(epochs=2, val_split=0).history.to_dict()
    assert no_split["val_loss"] == [None, None, None]
    from lossplay.observers import History

    assert History().to_dict() == {} and History().to_records() == []


def test_every_result_draws_describes_and_saves_itself_the_same_way(tmp_path):
    from matplotlib.figure import Figure

    results = {
        "run.json": lossplay.train(epochs=3),
        "compare.json": lossplay.compare(losses=["mse", "mae"], epochs=3),
        "landscape.json": lossplay.landscape(steps=5, grid=11),
        "lr_find.json": lossplay.lr_find(steps=10),
    }
    for marker, result in results.items():
        assert isinstance(result.plot(), Figure), marker
        assert isinstance(result.to_json(), dict), marker
        with pytest.raises(TypeError):
            result.save(tmp_path / "positional", True)  # force is named, never positional
        folder = result.save(tmp_path / marker, force=False, plots=False)
        assert json.loads((folder / marker).read_text()) and not list(folder.glob("*.png")), marker
        assert inspect.signature(type(result).save).parameters["force"].kind is inspect.Parameter.KEYWORD_ONLY
    run = results["run.json"]
    assert run.plot().axes[0].get_title() == run.plot_loss_curve().axes[0].get_title()


def test_a_comparison_lr_find_and_landscape_give_their_numbers_as_rows():
    cmp = lossplay.compare(losses=["mse", "huber"], epochs=4)
    history = cmp.history()
    assert list(history) == ["mse", "huber"]
    assert history["huber"] == cmp.entries[1].run.history.to_records()
    rows = cmp.to_records()
    assert len(rows) == 2 * 5 and list(rows[0])[:3] == ["run", "epoch", "steps"]
    assert [row["run"] for row in rows[::5]] == ["mse", "huber"]

    found = lossplay.lr_find(steps=20)
    records = found.to_records()
    assert [list(row) for row in records[:1]] == [["step", "lr", "cost", "smoothed"]]
    assert [row["step"] for row in records] == list(range(1, len(found.lrs) + 1))
    assert [row["lr"] for row in records] == found.lrs.tolist()
    assert [row["smoothed"] for row in records] == found.smoothed.tolist()

    scape = lossplay.landscape(steps=4, grid=11, optimizers=["sgd", "adam"])
    points = scape.to_records()
    assert len(points) == 2 * 5 and list(points[0]) == ["path", "step", "w", "b", "cost"]
    assert points[5] == {"path": "adam", "step": 0, "w": scape.start[0], "b": scape.start[1],
                         "cost": scape.paths[1].costs[0]}
    json.dumps([rows, records, points])  # plain values
