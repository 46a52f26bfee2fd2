"""lossplay compare and the demos: same data for every run, the common yardstick, the files."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

import lossplay
from lossplay import demos
from lossplay.cli import cli
from lossplay.comparison import parse_vary, variants
from lossplay.errors import LossplayError
from lossplay.reference import stable_lr_limit


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def words(output):
    return " ".join(output.replace("│", " ").split())


@pytest.fixture(scope="module")
def outliers():
    return lossplay.compare(losses=["mse", "mae", "huber"], outliers=True, optimizer="adam", epochs=80)


def test_every_run_sees_the_same_data_split_outliers_start_and_batches(outliers):
    first = outliers.entries[0].run
    for entry in outliers.entries[1:]:
        run = entry.run
        np.testing.assert_array_equal(run.data.X_train, first.data.X_train)
        np.testing.assert_array_equal(run.data.y_train, first.data.y_train)
        np.testing.assert_array_equal(run.data.outliers, first.data.outliers)
        np.testing.assert_array_equal(run.data.val_rows, first.data.val_rows)
        np.testing.assert_array_equal(run.experiment.theta0, first.experiment.theta0)
    # the same batch order: two losses with the same gradient on every batch take identical steps
    twins = lossplay.compare(losses=["mse"], vary=["delta=1,2"], epochs=3)
    np.testing.assert_array_equal(twins.entries[0].run.theta, twins.entries[1].run.theta)


def test_common_metrics_are_measured_on_the_clean_validation_split(outliers):
    for entry in outliers.entries:
        run = entry.run
        prediction = run.predict(run.data.raw_val)
        assert outliers.common(entry)["mse"] == pytest.approx(np.mean((prediction - run.data.y_val) ** 2))


def test_the_outlier_gradient_share_by_hand(outliers):
    entry = outliers.entries[1]  # mae: every row pulls with |dL/dz| = 1 unless its residual is 0
    run = entry.run
    data = run.data
    z = run.experiment.model.raw(run.theta, data.X_train)
    size = np.abs(np.sign(z - data.y_train)) * np.sqrt(1 + data.X_train[:, 0] ** 2)
    assert outliers.outlier_share(entry) == pytest.approx(size[data.outliers].sum() / size.sum())


def test_robust_losses_resist_the_outliers_and_mse_owns_the_most_pull(outliers):
    mse, mae, huber = outliers.entries
    assert outliers.common(mae)["mse"] < outliers.common(mse)["mse"]
    assert outliers.common(huber)["mse"] < outliers.common(mse)["mse"]
    assert outliers.outlier_share(mse) > 2 * max(outliers.outlier_share(mae), outliers.outlier_share(huber))
    assert outliers.best()["mse"] <= {"mae", "huber"}


def test_compare_json_follows_its_format(outliers, tmp_path):
    folder = outliers.save(tmp_path / "cmp")
    document = json.loads((folder / "compare.json").read_text())
    assert list(document) == ["runs", "true_params", "common_metrics", "split", "ranking", "speed", "lesson"]
    assert document["common_metrics"] == ["mse", "mae", "r2"]
    assert document["true_params"] == {"weights": [3.0], "bias": 2.0}
    assert document["ranking"]["metric"] == "mse" and document["ranking"]["groups"][-1] == ["mse"]
    assert document["lesson"] is None  # a plain comparison states no claim; a demo does
    keys = ["name", "dir", "loss", "optimizer", "lr", "status", "params", "metrics", "outlier_gradient_share",
            "wrong_row_pull", "diagnosis"]
    for run in document["runs"]:
        assert list(run) == keys
        assert (folder / run["dir"] / "run.json").exists()
        assert set(run["metrics"]) == {"train", "val"} and set(run["params"]) == {"weights", "bias"}
        assert 0 < run["outlier_gradient_share"] < 1
    assert [r["name"] for r in document["runs"]] == ["mse", "mae", "huber"]
    assert (folder / "compare.png").read_bytes()[:4] == b"\x89PNG"


def test_mse_on_the_probability_against_cross_entropy():
    cmp = lossplay.compare(losses=["bce", "mse"], model="logistic", epochs=20)
    assert [e.run.config.loss for e in cmp.entries] == ["bce", "mse"] and cmp.task == "binary"


def test_names_come_from_what_varies():
    names = [v.name for v in variants(["bce"], ["sgd", "momentum"], [], [])]
    assert names == ["sgd", "momentum"]
    crossed = variants(["mse", "mae"], ["sgd", "adam"], [], [])
    assert [v.name for v in crossed] == ["mse-sgd", "mse-adam", "mae-sgd", "mae-adam"]
    assert variants([], [], [0.1, 1.5], [])[1].dir == "lr_1.5"
    momentum = variants([], ["momentum"], [], [])[0]
    assert momentum.changes == {"optimizer": "sgd", "momentum": 0.9}
    assert parse_vary(["class_weight=none,balanced"]) == [("class_weight", [None, "balanced"])]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "Nothing to compare"),
    ({"losses": ["mse", "bce"]}, "compare losses of one task at a time"),
    ({"losses": ["mse", "bce"], "dataset": "linear"}, "lossplay.compare: bce: loss='bce' needs class labels"),
    ({"losses": ["mse"], "dataset": "blobs", "vary": ["loss=mse"]}, "regression loss"),
    ({"optimizers": ["sgd", "adma"]}, "Did you mean 'adam'"),
    ({"vary": ["l3=0,1"]}, "no option 'l3' to vary. Did you mean"),
    ({"vary": ["epochs=ten"]}, "vary epochs: each value must be a whole number, got 'ten'"),
    ({"vary": ["l2"]}, "OPTION=V1,V2"),
    ({"losses": ["mse", "mse"]}, "same run twice"),
])
def test_bad_comparisons_are_refused_before_training(kwargs, message):
    with pytest.raises(LossplayError, match=message):
        lossplay.compare(epochs=2, **kwargs)


def test_compare_from_the_command_line(in_tmp):
    result = invoke("compare", "mse", "mae", "--outliers")
    assert result.exit_code == 0, result.stderr
    text = words(result.output)
    assert "Best validation MSE: mae" in text and "outlier pull" in result.output
    folder = next((in_tmp / "runs").glob("compare-*"))
    assert {p.name for p in folder.iterdir()} == {"mse", "mae", "compare.json", "compare.png"}


def test_compare_with_adam_from_the_readme(in_tmp):
    result = invoke("compare", "mse", "mae", "huber", "--outliers", "--optimizer", "adam", "--no-plot")
    assert result.exit_code == 0
    assert "huber" in result.output and not list((in_tmp / "runs").glob("compare-*/compare.png"))


def test_compare_optimizers_lrs_and_vary(in_tmp):
    result = invoke("compare", "--optimizers", "sgd,momentum,adam", "--loss", "bce", "--epochs", "5", "--quiet",
                    "--out", "race")
    assert result.exit_code == 0
    assert [r["name"] for r in json.loads((in_tmp / "race" / "compare.json").read_text())["runs"]] == \
        ["sgd", "momentum", "adam"]
    result = invoke("compare", "--lrs", "0.01,1.5", "--batch-size", "0", "--epochs", "40", "--quiet", "--out", "lr")
    assert result.exit_code == 0 and "Diverged: lr=1.5" in words(result.output)
    result = invoke("compare", "--vary", "l2=0,0.1", "--epochs", "5", "--quiet", "--out", "pen")
    assert result.exit_code == 0 and "l2=0.1" in result.output


def test_compare_reads_its_lists_from_a_config_and_train_ignores_them(in_tmp):
    (in_tmp / "c.toml").write_text('losses = ["mae", "huber"]\noutliers = true\nepochs = 5\n')
    result = invoke("compare", "--config", "c.toml", "--quiet", "--out", "c")
    assert result.exit_code == 0
    assert [r["name"] for r in json.loads((in_tmp / "c" / "compare.json").read_text())["runs"]] == ["mae", "huber"]
    assert invoke("train", "--config", "c.toml", "--quiet", "--no-plot").exit_code == 0


def test_compare_refuses_an_out_folder_that_holds_files(in_tmp):
    (in_tmp / "full").mkdir()
    (in_tmp / "full" / "x").write_text("keep")
    result = invoke("compare", "mse", "mae", "--out", "full")
    assert result.exit_code == 2 and "--force" in result.stderr and (in_tmp / "full" / "x").exists()


# -- the demos ------------------------------------------------------------------------------


def test_demo_lists_every_demo():
    text = invoke("demo").output
    for name in demos.DEMOS:
        assert name in text


@pytest.mark.parametrize("name", list(demos.DEMOS))
def test_every_demo_runs_saves_its_files_and_reports_its_numbers(name, in_tmp):
    result = invoke("demo", name, "--quiet")
    assert result.exit_code == 0, result.stderr
    text = words(result.output)
    assert "What you will see" in text and "What happened" in text and "The lesson" in text
    folder = next((in_tmp / "runs").glob(f"demo-{name}-*"))
    assert (folder / "compare.json").exists() and (folder / "compare.png").exists()


@pytest.mark.parametrize("name", list(demos.DEMOS))
def test_print_config_gives_a_config_that_compare_runs(name, in_tmp):
    toml = invoke("demo", name, "--print-config").output
    assert toml.startswith("# lossplay demo")
    (in_tmp / "d.toml").write_text(toml)
    assert invoke("compare", "--config", "d.toml", "--epochs", "2", "--quiet", "--no-plot").exit_code == 0


def test_outliers_demo_on_its_own_data():
    cmp = demos.run(demos.find("outliers"))
    mse, mae, huber = (next(e for e in cmp.entries if e.name == n) for n in ("mse", "mae", "huber"))
    assert cmp.common(mae)["mse"] < cmp.common(mse)["mse"] and cmp.common(huber)["mse"] < cmp.common(mse)["mse"]
    assert cmp.outlier_share(mse) > 2 * max(cmp.outlier_share(mae), cmp.outlier_share(huber))


def test_overfitting_demo_turns_up_without_a_penalty_and_not_with_one():
    cmp = demos.run(demos.find("overfitting"))
    assert cmp.claim.holds, cmp.claim.summary
    plain = next(e.run for e in cmp.entries if e.name == "l2=0")
    turn = plain.diagnosis.find("overfitting")
    assert turn is not None and plain.overfitting == {"detected": True, "began_at_epoch": turn.epoch}
    last = plain.history[-1]
    assert last.val_loss > 1.1 * plain.history.column("val_loss").min()
    helped = [e.run for e in cmp.entries if e.name in cmp.claim.evidence["helped_by"]]
    assert helped and all(run.final.val_loss < plain.final.val_loss for run in helped)
    assert all(run.history[-1].objective > run.history[-1].train_loss for run in helped)  # cost vs objective


def test_learning_rate_demo_reports_the_bound_and_the_divergence(in_tmp):
    result = invoke("demo", "learning-rate", "--quiet")
    assert result.exit_code == 0
    cmp_folder = next((in_tmp / "runs").glob("demo-learning-rate-*"))
    document = json.loads((cmp_folder / "compare.json").read_text())
    assert [r["status"] for r in document["runs"]] == ["completed", "completed", "diverged"]
    data = lossplay.train(dataset="linear", epochs=1).data
    assert f"converges only for lr < {stable_lr_limit(data.X_train):.4g}" in words(result.output)


def test_accuracy_vs_loss_demo_same_accuracy_different_loss():
    models = demos.two_models()
    assert models["A"]["accuracy"] == models["B"]["accuracy"] == 0.9
    assert models["A"]["cross_entropy"] == pytest.approx(-(9 * np.log(0.99) + np.log(0.45)) / 10)
    assert models["B"]["cross_entropy"] > 5 * models["A"]["cross_entropy"]
    cmp = demos.run(demos.find("accuracy-vs-loss"))
    short, long = (cmp.common(e) for e in cmp.entries)
    assert short["accuracy"] == long["accuracy"] and long["log_loss"] > 1.2 * short["log_loss"]
    assert cmp.claim.holds and cmp.claim.evidence["accuracy"] == {e.name: cmp.common(e)["accuracy"]
                                                                  for e in cmp.entries}


def test_imbalance_demo_weights_raise_recall():
    cmp = demos.run(demos.find("imbalance"))
    plain, weighted = (e.run.metrics["val"] for e in cmp.entries)
    assert plain["accuracy"] > 0.95 and weighted["recall"] > plain["recall"] + 0.2


def test_optimizers_demo_plain_sgd_crawls_and_the_picture_draws_the_valley():
    cmp = demos.run(demos.find("optimizers"))
    assert cmp.claim.holds, cmp.claim.summary
    reached = cmp.speed()["epochs"]
    assert reached["sgd@0.0025"] is None and all(v is not None for k, v in reached.items() if k != "sgd@0.0025")
    scape = demos.valley(cmp)
    assert [p.name for p in scape.paths] == [e.name for e in cmp.entries]
    for path, entry in zip(scape.paths, cmp.entries):  # each path is the run's own parameters, epoch by epoch
        np.testing.assert_array_equal(path.points[-1], entry.run.history[-1].params[:2])
    assert scape.objective(scape.minimum[:2]) == pytest.approx(scape.minimum[2])


def test_unknown_demo_is_an_error():
    result = CliRunner().invoke(cli, ["demo", "outlier"])
    assert result.exit_code == 2 and "Did you mean 'outliers'?" in result.stderr
