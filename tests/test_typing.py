"""The typed Python API: the options of TrainConfig as keyword parameters that editors, help() and mypy see."""

import ast
import inspect
import os
import subprocess
import sys
import textwrap
import typing
from collections.abc import Sequence
from pathlib import Path

import pytest

import lossplay
from lossplay.config import FIELDS, NAME_LIST_OPTIONS, NUMBER_LIST_OPTIONS, PATH_OPTIONS, TrainOptions
from lossplay.landscapes import LANDSCAPE_DEFAULTS
from lossplay.lrfind import NOT_FOR_LR_FIND

ROOT = Path(__file__).resolve().parent.parent

# each API function: its own keyword parameters, the defaults it gives some options, the options it refuses
FUNCTIONS = {
    "train": (["observers"], {}, ()),
    "step": (["steps"], {"batch_size": 4, "standardize": False}, ()),
    "compare": (["losses", "optimizers", "lrs", "vary"], {}, ()),
    "landscape": (["optimizers", "start", "steps", "grid", "no_bias"], LANDSCAPE_DEFAULTS, ()),
    "lr_find": (["lr_min", "lr_max", "steps", "smoothing"], {}, NOT_FOR_LR_FIND),
}


def test_train_options_are_the_fields_of_train_config():
    hints = typing.get_type_hints(TrainOptions)
    assert list(hints) == list(FIELDS), "TrainOptions must list TrainConfig's fields, in their order"
    for name, field in FIELDS.items():
        expected = field.type | os.PathLike[str] if name in PATH_OPTIONS else field.type
        if name in NUMBER_LIST_OPTIONS:  # a text '1,5' or the numbers themselves
            expected = expected | Sequence[float] | (float if name == "init_bias" else str)
        if name in NAME_LIST_OPTIONS:  # a text 'a,b' or the names themselves
            expected = expected | Sequence[str]
        assert set(typing.get_args(hints[name]) or [hints[name]]) == \
            set(typing.get_args(expected) or [expected]), name
    assert TrainOptions.__total__ is False


@pytest.mark.parametrize("name", FUNCTIONS)
def test_each_api_function_shows_every_option_with_its_type_and_default(name):
    own, defaults, refused = FUNCTIONS[name]
    parameters = inspect.signature(getattr(lossplay, name)).parameters
    assert list(parameters)[0] == "config"
    assert parameters["config"].kind is inspect.Parameter.POSITIONAL_ONLY
    options = [option for option in FIELDS if option not in refused]
    assert list(parameters)[1:] == [*own, *options]
    hints = typing.get_type_hints(TrainOptions)
    for option in options:
        parameter = parameters[option]
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
        assert parameter.default == defaults.get(option, FIELDS[option].default), option
        assert parameter.annotation == hints[option], option
    for parameter in own:
        assert parameters[parameter].kind is inspect.Parameter.KEYWORD_ONLY
        assert parameters[parameter].annotation is not inspect.Parameter.empty, parameter


def test_options_given_over_a_config_win_even_at_their_default():
    config = lossplay.TrainConfig(epochs=5, lr=0.05)
    run = lossplay.train(config, epochs=3)
    assert run.epochs_run == 3 and run.config.lr == 0.05
    assert lossplay.train(lossplay.TrainConfig(epochs=2, batch_size=8), batch_size=32).config.batch_size == 32


def test_the_package_exports_the_same_names_to_type_checkers_as_at_run_time():
    tree = ast.parse((ROOT / "lossplay" / "__init__.py").read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and getattr(node.test, "id", "") ==
                 "TYPE_CHECKING")
    seen = {alias.asname: node.module for node in block.body for alias in node.names}
    assert seen == lossplay._PUBLIC
    assert (ROOT / "lossplay" / "py.typed").exists()


def test_mypy_checks_the_options_of_a_call(tmp_path):
    pytest.importorskip("mypy")
    (tmp_path / "notebook.py").write_text(textwrap.dedent("""
        import lossplay

        run: lossplay.Run = lossplay.train(loss="huber", optimizer="adam", epochs=30, dataset=None)
        figure = run.plot()
        first: float | int | None = run.history.to_records()[0]["train_loss"]
        columns: dict[str, list[float | int | None]] = run.history.to_dict()
        cmp: lossplay.Comparison = lossplay.compare(losses=["mse", "mae"], vary={"l2": [0, 0.1]}, outliers=True)
        steps = [record.update for record in lossplay.step(steps=2, batch_size=4)]
        scape: lossplay.Landscape = lossplay.landscape(start=(1.0, 2.0), grid=51, loss="mae")
        found: lossplay.LRFindResult = lossplay.lr_find(lr_min=1e-4, smoothing=0.9, batch_size=0)
        lossplay.train(lr="fast")  # line 12
        lossplay.train(learning_rate=0.1)
        lossplay.landscape(grid=5.5)
    """))
    environment = {**os.environ, "MYPYPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "mypy", "--python-version", "3.11", "--cache-dir",
                             str(tmp_path / "cache"), "--no-error-summary", "notebook.py"],
                            cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=300)
    errors = [line.split(":", 1)[1] for line in result.stdout.splitlines() if ": error: " in line]
    expected = [(12, '"lr"', "[arg-type]"), (13, '"learning_rate"', "[call-arg]"), (14, '"grid"', "[arg-type]")]
    assert len(errors) == len(expected), result.stdout + result.stderr
    for error, (line, name, code) in zip(errors, expected):
        assert error.startswith(f"{line}:") and name in error and error.endswith(code), error
