"""lossplay step: the records add up, match train, and print readably."""

import json

import numpy as np
import pytest
from click.testing import CliRunner
from rich.cells import cell_len

import lossplay
from lossplay.cli import cli

CASES = [
    {"loss": loss, "optimizer": optimizer, **extra}
    for loss, extra in (("mse", {}), ("mae", {}), ("huber", {"delta": 0.5}), ("bce", {"dataset": "blobs"}),
                        ("cce", {"dataset": "iris", "batch_size": 3}))
    for optimizer in ("sgd", "adam", "rmsprop")
] + [{"loss": "mse", "optimizer": "sgd", "momentum": 0.9, "l2": 0.1},
     {"loss": "bce", "optimizer": "sgd", "momentum": 0.5, "nesterov": True, "l1": 0.05}]


def json_steps(*args):
    result = CliRunner().invoke(cli, ["step", "--json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.output.splitlines()]


def as_args(options):
    args = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        args += [flag] if value is True else [flag, str(value)]
    return args


def theta(params):
    """run.json-style {"weights", "bias"} back to one array with the bias as its last row."""
    weights = np.array(params["weights"], dtype=float)
    bias = np.array(params["bias"], dtype=float)
    return np.vstack([weights, bias[None]]) if weights.ndim == 2 else np.append(weights, bias)


@pytest.mark.parametrize("options", CASES, ids=lambda o: "-".join(str(v) for v in o.values()))
def test_json_records_satisfy_the_arithmetic_they_display(options):
    records = json_steps(*as_args(options), "--steps", "3")
    assert [r["step"] for r in records] == [1, 2, 3]
    for r in records:
        X, before = np.array(r["x"]), theta(r["params_before"])
        z = np.array(r["z"])
        np.testing.assert_allclose(z, X @ before[:-1] + before[-1], rtol=1e-12, atol=1e-12)
        assert r["cost"] == pytest.approx(np.mean(r["losses"]), rel=1e-12)
        w = before[:-1]
        penalty = options.get("l2", 0) * 0.5 * float(np.sum(w * w)) + options.get("l1", 0) * float(np.abs(w).sum())
        assert r["objective"] == pytest.approx(r["cost"] + penalty, rel=1e-12)
        dz, grad = np.array(r["dz"]), theta(r["grads"])
        expected = np.vstack([X.T @ dz, dz.sum(axis=0)[None]]) if dz.ndim == 2 else np.append(X.T @ dz, dz.sum())
        expected /= len(r["batch"])
        expected[:-1] += options.get("l2", 0) * w + options.get("l1", 0) * np.sign(w)
        np.testing.assert_allclose(grad, expected, rtol=1e-10, atol=1e-12)
        update = theta(r["update"])
        np.testing.assert_allclose(theta(r["params_after"]), before + update, rtol=1e-12, atol=1e-15)
        check_optimizer_formula(r, grad, update)


def check_optimizer_formula(record, g, update):
    state, lr = record["optimizer_state"], record["lr"]
    h, before, after = state["hyperparameters"], state["before"], state["after"]
    if state["name"] == "sgd":
        if before["buffer"] is None:
            np.testing.assert_allclose(update, -lr * g, rtol=1e-12)
            return
        buf = h["momentum"] * theta(before["buffer"]) + g
        np.testing.assert_allclose(theta(after["buffer"]), buf, rtol=1e-12)
        direction = g + h["momentum"] * buf if h["nesterov"] else buf
        np.testing.assert_allclose(update, -lr * direction, rtol=1e-12)
    elif state["name"] == "adam":
        t = after["count"]
        assert t == before["count"] + 1 == record["step"]
        m = h["beta1"] * theta(before["m"]) + (1 - h["beta1"]) * g
        v = h["beta2"] * theta(before["v"]) + (1 - h["beta2"]) * g * g
        np.testing.assert_allclose(theta(after["m"]), m, rtol=1e-12)
        np.testing.assert_allclose(theta(after["v"]), v, rtol=1e-12)
        m_hat, v_hat = m / (1 - h["beta1"] ** t), v / (1 - h["beta2"] ** t)
        np.testing.assert_allclose(theta(after["m_hat"]), m_hat, rtol=1e-12)
        np.testing.assert_allclose(update, -lr * m_hat / (np.sqrt(v_hat) + h["eps"]), rtol=1e-12)
    else:
        v = h["rho"] * theta(before["v"]) + (1 - h["rho"]) * g * g
        np.testing.assert_allclose(theta(after["v"]), v, rtol=1e-12)
        np.testing.assert_allclose(update, -lr * g / (np.sqrt(v) + h["eps"]), rtol=1e-12)


@pytest.mark.parametrize("options", [
    {"loss": "huber", "optimizer": "adam", "dataset": "linear", "batch_size": 32, "standardize": True},
    {"loss": "bce", "optimizer": "rmsprop", "dataset": "blobs", "batch_size": 16, "standardize": True},
    {"loss": "cce", "optimizer": "sgd", "momentum": 0.9, "dataset": "iris", "batch_size": 0, "standardize": True},
])
def test_step_after_n_updates_equals_train_after_n_updates(options):
    run = lossplay.train(**options, epochs=2)
    steps = list(lossplay.step(**options, steps=run.outcome.steps))
    assert len(steps) == run.outcome.steps
    np.testing.assert_array_equal(steps[-1].params_after, run.theta)
    # and mid-epoch: the record after one update has the parameters train had then
    first = list(lossplay.step(**options, steps=1))[0]
    np.testing.assert_array_equal(first.params_before, run.history[0].params)


def test_step_batches_are_dataset_rows_and_the_train_costs_bracket_the_update():
    record = next(lossplay.step(dataset="tiny", batch_size=4, standardize=False))
    data = lossplay.load_dataset("tiny")
    np.testing.assert_array_equal(record.X[:, 0], data.X[record.batch, 0])
    np.testing.assert_array_equal(record.y, data.y[record.batch])
    assert record.train_cost_after < record.train_cost_before


def step_output(*args):
    result = CliRunner().invoke(cli, ["step", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.output


@pytest.mark.parametrize("args", [
    [],
    ["--loss", "huber", "--optimizer", "adam", "--steps", "3"],
    ["--loss", "bce", "--dataset", "blobs", "--batch-size", "4"],
    ["--loss", "cce", "--dataset", "iris", "--batch-size", "3"],
    ["--dataset", "breast_cancer", "--batch-size", "64", "--optimizer", "rmsprop", "--steps", "1"],
])
def test_the_examples_print_every_section_within_80_columns(args):
    text = step_output(*args)
    for heading in ("1. The batch", "2. Forward pass", "3. Loss", "4. Backward pass", "5. Update",
                    "6. Did it help?"):
        assert heading in text
    assert "chain rule" in text and "objective = cost + penalty" in text
    assert max(cell_len(line) for line in text.splitlines()) <= 80


def test_default_step_is_tiny_mse_sgd_with_unscaled_numbers():
    text = step_output("--steps", "1")
    assert "linear model with mse loss and sgd (lr 0.1) on tiny" in " ".join(text.split())
    assert "row 4: z = 0·2 + 0 = 0" in text  # the raw x of dataset row 4 is 2.0


def test_adam_shows_its_state_before_and_after():
    text = step_output("--optimizer", "adam", "--steps", "1")
    assert "m: before → after (t = 1)" in text and "v̂" in text and "m̂ = m/(1 − β₁^1)" in text


def test_large_batches_are_cut_with_a_note():
    text = step_output("--dataset", "linear", "--batch-size", "32", "--steps", "1")
    assert "… and 26 more rows of this batch" in text


def test_pause_runs_straight_through_when_input_is_not_a_terminal():
    text = step_output("--pause", "--steps", "2")
    assert "Step 2" in text and "Enter" not in text


def test_step_rejects_train_only_options_and_bad_steps():
    runner = CliRunner()
    result = runner.invoke(cli, ["step", "--epochs", "3"])
    assert result.exit_code == 2 and "step' has no option --epochs" in result.output + result.stderr
    result = runner.invoke(cli, ["step", "--steps", "0"])
    assert result.exit_code == 2
    with pytest.raises(lossplay.LossplayError, match="lossplay.step: steps must be at least 1"):
        next(lossplay.step(steps=0))


def test_a_train_config_file_works_with_step(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('loss = "mae"\nepochs = 50\nout = "somewhere"\n')
    records = json_steps("--config", str(config), "--steps", "1")
    assert len(records) == 1 and records[0]["losses"] == pytest.approx(np.abs(np.array(records[0]["y"])))


@pytest.mark.parametrize(("args", "kind"), [(["--loss", "bce"], int), (["--loss", "cce"], int), ([], float)])
def test_json_targets_are_class_labels_for_classifiers_and_numbers_for_regression(args, kind):
    record = json_steps(*args, "--steps", "1")[0]
    assert all(type(value) is kind for value in record["y"])


def test_lossplay_step_from_python_has_the_defaults_of_the_command(tmp_path):
    import json

    from click.testing import CliRunner

    from lossplay.cli import cli

    printed = CliRunner().invoke(cli, ["step", "--optimizer", "adam", "--steps", "2", "--json"]).output
    from_python = [record.to_dict() for record in lossplay.step(steps=2, optimizer="adam")]
    assert [json.loads(line)["params_after"] for line in printed.splitlines()] == \
        [json.loads(json.dumps(d["params_after"])) for d in from_python]
    assert from_python[0]["cost"] == pytest.approx(32.365)  # tiny, batches of 4, unscaled: as the README shows


# -- in class: a compact step, and a pause after each section --------------------------------------------------


def step_lines(*args):
    """The lines from the rule of step 1 to the end."""
    lines = step_output(*args).splitlines()
    return lines[next(i for i, line in enumerate(lines) if "Step 1" in line):]


@pytest.mark.parametrize(("args", "most"), [
    ([], 25), (["--optimizer", "adam"], 30), (["--loss", "bce"], 26), (["--loss", "huber", "--optimizer", "adam"], 32),
    (["--momentum", "0.9", "--l2", "0.1"], 29),
])
def test_compact_fits_one_step_on_a_projector(args, most):
    compact = step_lines("--compact", "--steps", "1", *args)
    full = step_lines("--full", "--steps", "1", *args)
    assert len(compact) <= most < len(full)
    assert max(cell_len(line) for line in compact) <= 80
    text = "\n".join(compact)
    for heading in ("1. The batch", "2. Forward pass", "3. Loss", "4. Backward pass", "5. Update", "6. Did it help?"):
        assert heading in text
    assert "chain rule" in text and "row: its number in the dataset" not in text


def test_compact_is_the_layout_of_a_short_terminal(monkeypatch):
    import io

    from rich.console import Console

    from lossplay import render

    for height, layout, compact in ((24, [], True), (60, [], False), (24, ["--full"], False)):
        console = Console(file=io.StringIO(), width=80, height=height, force_terminal=True)
        monkeypatch.setattr(render, "make_console", lambda console=console: console)
        assert CliRunner().invoke(cli, ["step", "--steps", "1", *layout]).exit_code == 0
        assert ("row: its number in the dataset" not in console.file.getvalue()) == compact


def paused(monkeypatch, answers, *args):
    """lossplay step with a person at the keyboard giving ``answers`` (one per pause, then Enter), and the
    prompts they saw."""
    import lossplay.cli.step as command

    monkeypatch.setattr(command, "someone_can_answer", lambda: True)
    result = CliRunner().invoke(cli, ["step", *args], input="".join(f"{a}\n" for a in answers))
    prompts = [line[line.index("Enter:"):] for line in result.output.splitlines() if "Enter:" in line]
    return result, prompts


def test_pause_section_stops_after_each_section_of_each_step(monkeypatch):
    result, prompts = paused(monkeypatch, [""] * 20, "--pause", "section", "--steps", "2")
    assert result.exit_code == 0, result.output
    sections = ["2. Forward pass", "3. Loss", "4. Backward pass", "5. Update", "6. Did it help?"]
    assert [p.split(" · ")[0] for p in prompts] == [*(f"Enter: {s}" for s in sections), "Enter: step 2 of 2",
                                                    *(f"Enter: {s}" for s in sections)]
    assert "Step 2" in result.output and result.output.rstrip().endswith("a step downhill.")


def test_pause_alone_still_stops_after_each_step(monkeypatch):
    result, prompts = paused(monkeypatch, ["", ""], "--pause", "--steps", "3")
    assert result.exit_code == 0
    assert [p.split(" · ")[0] for p in prompts] == ["Enter: step 2 of 3", "Enter: step 3 of 3"]
    _, prompts = paused(monkeypatch, ["", ""], "--pause", "step", "--steps", "3")
    assert len(prompts) == 2


@pytest.mark.parametrize("answer", ["q", "quit", " Q "])
def test_q_at_a_pause_quits_cleanly(monkeypatch, answer):
    result, prompts = paused(monkeypatch, [answer], "--pause", "section", "--steps", "3")
    assert result.exit_code == 0 and len(prompts) == 1
    assert result.output.rstrip().endswith("Stopped.") and "3. Loss" not in result.output


def test_ctrl_c_or_the_end_of_input_at_a_pause_stops_with_130(monkeypatch):
    import builtins

    def ctrl_c(prompt):
        raise KeyboardInterrupt

    result, _ = paused(monkeypatch, [], "--pause", "section")  # no answer: the input ends
    assert result.exit_code == 130 and "Stopped." in result.output
    monkeypatch.setattr(builtins, "input", ctrl_c)
    result, _ = paused(monkeypatch, [], "--pause", "section")
    assert result.exit_code == 130 and "Stopped." in result.output and "Traceback" not in result.output


def test_pause_takes_only_step_or_section():
    result = CliRunner().invoke(cli, ["step", "--pause", "row"])
    assert result.exit_code == 2 and "'row' is not one of 'step', 'section'" in result.stderr


def test_float_noise_in_a_parameter_shows_as_zero():
    """Softmax's gradient of the bias sums to 0 over the classes; what is left (3.7e-18) is rounding."""
    import re

    text = step_output("--loss", "cce", "--dataset", "iris", "--batch-size", "3", "--steps", "3")
    assert not re.search(r"\de-1\d", text)
