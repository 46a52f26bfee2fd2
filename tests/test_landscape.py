"""The loss landscape: its grid, its minimum, its paths, its files."""

import io
import json

import numpy as np
import pytest
from click.testing import CliRunner

from lossplay.cli import cli
from lossplay.experiment import build
from lossplay.landscapes import landscape
from lossplay.reference import mse_minimum


@pytest.fixture(scope="module")
def bowl():
    import lossplay

    return lossplay.landscape(optimizers=["sgd", "momentum", "rmsprop", "adam"], steps=40, grid=81)


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_lowest_grid_point_is_the_least_squares_solution(bowl):
    data = bowl.experiment.data
    w, b = mse_minimum(data.design_train[:, :-1], data.y_train)
    spacing = [axis[1] - axis[0] for axis in bowl.axes]
    grid_w, grid_b, _ = bowl.grid_minimum
    assert abs(grid_w - w) <= spacing[0] / 2 + 1e-12
    assert abs(grid_b - b) <= spacing[1] / 2 + 1e-12
    assert bowl.minimum[:2] == pytest.approx((w, b), abs=1e-12)  # marked: the closed form itself


def test_the_grid_holds_the_mean_squared_error_worked_by_hand(bowl):
    data = bowl.experiment.data
    x, y = data.design_train[:, 0], data.y_train
    for i, j in [(0, 0), (40, 17), (80, 80)]:
        w, b = bowl.axes[0][j], bowl.axes[1][i]
        assert bowl.costs[i, j] == pytest.approx(np.mean((w * x + b - y) ** 2), rel=1e-12)


def test_sgd_s_first_step_is_the_rate_times_the_finite_difference_gradient(bowl):
    path = next(p for p in bowl.paths if p.name == "sgd")
    h = 1e-6
    start = path.points[0]
    gradient = np.array([(bowl.objective(start + h * e) - bowl.objective(start - h * e)) / (2 * h)
                         for e in np.eye(2)])
    assert path.points[1] == pytest.approx(start - path.lr * gradient, rel=1e-7)


def test_each_path_is_what_the_training_loop_produces_from_the_same_start(bowl):
    config = bowl.config
    for path in bowl.paths:
        changes = {"optimizer": path.optimizer, "lr": path.lr, "momentum": path.hyperparameters.get("momentum", 0.0)}
        experiment = build(config.replace(**changes))
        loop = experiment.training_loop(epochs=5)
        visited = [record.params for record in loop.records(bowl.start)]
        assert np.allclose(np.array(visited), path.points[:6], rtol=1e-13, atol=0), path.name
        assert path.costs == pytest.approx([bowl.objective(p) for p in path.points], rel=1e-13)


def test_paths_start_together_and_differ(bowl):
    starts = {tuple(p.points[0]) for p in bowl.paths}
    assert starts == {tuple(bowl.start)}
    assert len({tuple(np.round(p.points[10], 6)) for p in bowl.paths}) == len(bowl.paths)
    assert all(p.steps == 40 for p in bowl.paths)


def test_a_logistic_model_without_bias_keeps_its_bias_at_zero_and_its_cost_is_cross_entropy():
    scape = landscape(loss="bce", optimizers=["sgd", "adam"], steps=15, grid=31)
    assert scape.parameter_names == ("w[x1]", "w[x2]")
    data = scape.experiment.data
    X, y = data.design_train[:, :-1], data.y_train
    w = np.array([scape.axes[0][7], scape.axes[1][20]])
    z = X @ w
    assert scape.costs[20, 7] == pytest.approx(np.mean(np.logaddexp(0, z) - y * z), rel=1e-12)
    config = scape.config
    for path in scape.paths:
        experiment = build(config.replace(optimizer=path.optimizer, lr=path.lr))
        loop = experiment.training_loop(epochs=3)
        loop.model = scape.experiment.model  # the same model with its bias held at 0
        visited = [record.params for record in loop.records(np.append(scape.start, 0.0))]
        assert all(theta[-1] == 0.0 for theta in visited)
        assert np.allclose(np.array(visited)[:, :2], path.points[:4], rtol=1e-13, atol=0)
    assert any("bias is held at 0" in note for note in scape.notes)


def test_a_rate_too_large_is_a_diverged_path_with_finite_json(tmp_path):
    scape = landscape(optimizers=["sgd", "adam"], lr=5.0, steps=60, grid=21)
    sgd = scape.paths[0]
    assert sgd.status == "diverged" and sgd.message
    folder = scape.save(tmp_path / "out")
    text = (folder / "landscape.json").read_text()
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text)["paths"][0]["status"] == "diverged"


def test_the_animation_opens_with_one_frame_per_update_up_to_the_cap():
    from PIL import Image

    few = landscape(optimizers=["sgd", "adam"], steps=12, grid=21)
    image = Image.open(io.BytesIO(few.animate()))
    assert image.format == "GIF" and image.n_frames == 13
    many = landscape(optimizers=["adam"], steps=150, grid=21)
    assert Image.open(io.BytesIO(many.animate())).n_frames == 60


def test_the_command_writes_the_picture_the_animation_and_the_json(tmp_path):
    from PIL import Image

    out = tmp_path / "scape"
    result = invoke("landscape", "--loss", "huber", "--steps", "20", "--grid", "31", "--optimizers", "sgd,adam",
                    "--start", "-1,6", "--animate", "--out", str(out))
    assert result.exit_code == 0, result.output
    document = json.loads((out / "landscape.json").read_text())
    assert document["parameters"] == ["w", "b"]
    assert document["config"]["start"] == [-1.0, 6.0] and document["config"]["loss"] == "huber"
    assert [p["name"] for p in document["paths"]] == ["sgd", "adam"]
    assert len(document["paths"][0]["points"]) == 21 and document["paths"][0]["points"][0] == [-1.0, 6.0]
    assert document["files"] == {"picture": "landscape.png", "animation": "landscape.gif"}
    assert set(document["minimum"]) >= {"w", "b", "cost"}
    with Image.open(out / "landscape.png") as picture, Image.open(out / "landscape.gif") as animation:
        assert picture.size[0] > 1000 and animation.n_frames == 21
    assert "within 1%" in result.output and str(out) in result.output
    again = invoke("landscape", "--steps", "5", "--out", str(out))
    assert again.exit_code == 2 and "--force" in again.output


def test_options_reach_the_landscape(tmp_path):
    for name, args in [("units", []), ("scaled", ["--standardize"]), ("batches", ["--batch-size", "16"])]:
        assert invoke("landscape", "--steps", "10", "--grid", "11", "--optimizers", "sgd", "--out",
                      str(tmp_path / name), *args).exit_code == 0
    read = {name: json.loads((tmp_path / name / "landscape.json").read_text()) for name in ("units", "scaled",
                                                                                          "batches")}
    assert read["units"]["config"]["standardize"] is False and read["scaled"]["config"]["standardize"] is True
    assert read["units"]["minimum"]["w"] != pytest.approx(read["scaled"]["minimum"]["w"], rel=0.1)
    assert read["batches"]["config"]["batch_size"] == 16
    assert read["batches"]["paths"][0]["points"] != read["units"]["paths"][0]["points"]


@pytest.mark.parametrize(("args", "message"), [
    (["--dataset", "multi"], "needs exactly one feature"),
    (["--dataset", "sine", "--poly-degree", "3"], "after --poly-degree"),
    (["--loss", "cce"], "two parameters"),
    (["--no-bias"], "single parameter"),
    (["--optimizers", "sgd,adma"], "Did you mean 'adam'?"),
    (["--optimizers", "sgd,sgd"], "twice"),
    (["--start", "1"], "--start takes two numbers"),
    (["--start", "a,b"], "--start takes two numbers"),
    (["--grid", "5"], "--grid"),
    (["--epochs", "3"], "has no option --epochs: it is an option of 'lossplay train'"),
])
def test_bad_input_is_one_error_line(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("landscape", "--steps", "3", "--grid", "11", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_a_path_is_down_from_the_update_after_which_it_stays_within_one_percent():
    from lossplay.landscapes import OptimizerPath, updates_to_reach

    def path(costs):
        return OptimizerPath("sgd", "sgd", 0.1, {}, np.zeros((len(costs), 2)), np.array(costs), "completed")

    assert updates_to_reach(path([10, 5, 1.005, 1.02, 1.0]), 1.0) == 4  # back above 1.01 at update 3
    assert updates_to_reach(path([1.0, 1.001]), 1.0) == 0
    assert updates_to_reach(path([10, 5, 2]), 1.0) is None


def test_a_config_file_holds_the_landscape_s_own_options_and_train_skips_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lesson.toml").write_text('loss = "mae"\noptimizers = ["sgd", "adam"]\nstart = [-1, 6]\n'
                                          'steps = 20\ngrid = 31\nlr_min = 0.001\nepochs = 3\n')
    assert invoke("landscape", "--config", "lesson.toml", "--grid", "21", "--out", "scape").exit_code == 0
    document = json.loads((tmp_path / "scape" / "landscape.json").read_text())
    assert document["config"]["loss"] == "mae" and [p["name"] for p in document["paths"]] == ["sgd", "adam"]
    assert document["config"]["start"] == [-1.0, 6.0] and len(document["paths"][0]["points"]) == 21
    assert document["grid"]["points"] == 21  # the command line wins over the file
    assert invoke("train", "--config", "lesson.toml", "--quiet", "--out", "run").exit_code == 0
    assert json.loads((tmp_path / "run" / "run.json").read_text())["epochs_run"] == 3
    (tmp_path / "bad.toml").write_text('steps = "many"\n')
    result = invoke("landscape", "--config", "bad.toml")
    assert result.exit_code == 2 and "Config file 'bad.toml': 'steps'" in result.output


@pytest.mark.parametrize(("line", "message"), [
    ("no_bias = 1", "'no_bias' must be true or false, got int 1"),
    ("steps = 12.7", "'steps' must be a whole number, got float 12.7"),
    ("grid = true", "'grid' must be a whole number, got bool True"),
    ("strat = [1, 2]", "unknown option 'strat'. Did you mean 'start'?"),
])
def test_a_config_file_s_landscape_values_are_checked_like_train_s(tmp_path, monkeypatch, line, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.toml").write_text(line + "\n")
    result = invoke("landscape", "--config", "bad.toml")
    assert result.exit_code == 2 and f"Config file 'bad.toml': {message}" in result.output


def test_compare_skips_the_keys_of_landscape_and_lr_find(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "all.toml").write_text("start = [-1, 5]\nsteps = 3\ngrid = 21\nlr_min = 0.01\nepochs = 2\n")
    result = invoke("compare", "mse", "mae", "--config", "all.toml", "--quiet", "--out", "cmp")
    assert result.exit_code == 0, result.output


def test_a_train_option_a_command_does_not_take_is_named_with_only_close_alternatives():
    quiet = invoke("landscape", "--quiet")
    assert quiet.exit_code == 2 and "has no option --quiet" in quiet.output and "Did you mean" not in quiet.output
    optimizer = invoke("landscape", "--optimizer", "adam")
    assert "Did you mean --optimizers?" in optimizer.output


def test_the_python_api_bounds_the_steps_as_the_command_line_does():
    from lossplay.errors import LossplayError

    with pytest.raises(LossplayError, match="at most 5,000"):
        landscape(steps=10**8)
