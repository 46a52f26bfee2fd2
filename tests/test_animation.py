"""Animated GIFs of training runs and comparisons."""

import json

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

import lossplay
from lossplay.cli import cli
from lossplay.plots.animation import MAX_FRAMES, frame_positions


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@given(st.integers(min_value=1, max_value=5000))
def test_frames_start_and_end_with_the_run_and_never_exceed_the_cap(count):
    positions = frame_positions(count)
    assert positions[0] == 0 and positions[-1] == count - 1
    assert len(positions) == min(count, MAX_FRAMES)
    assert all(a < b for a, b in zip(positions, positions[1:]))


def _frames(path):
    frames = []
    with Image.open(path) as image:
        for index in range(image.n_frames):
            image.seek(index)
            frames.append(np.asarray(image.convert("RGB")))
    return frames


@pytest.mark.parametrize("options", [{"loss": "huber", "outliers": True}, {"loss": "bce"}, {"loss": "cce"}],
                         ids=["regression", "binary", "multiclass"])
def test_a_run_with_animate_saves_a_gif_of_every_epoch_it_shows(tmp_path, options):
    run = lossplay.train(epochs=25, animate=True, out=str(tmp_path / "run"), **options)
    document = json.loads((tmp_path / "run" / "run.json").read_text())
    assert document["files"]["animation"] == "animation.gif"
    frames = _frames(tmp_path / "run" / "animation.gif")
    assert len(frames) == len(run.history) == 26
    assert frames[0].shape[1] > 900
    assert not np.array_equal(frames[0], frames[-1])  # the fit and the curves move


def test_no_gif_when_the_fit_cannot_be_drawn(tmp_path):
    result = invoke("train", "--dataset", "multi", "--epochs", "3", "--animate", "--quiet",
                    "--out", str(tmp_path / "run"))
    assert result.exit_code == 0
    assert "no animation.gif" in result.output
    assert not (tmp_path / "run" / "animation.gif").exists()
    assert "animation" not in json.loads((tmp_path / "run" / "run.json").read_text())["files"]


def test_a_rerun_without_animate_removes_the_old_gif(tmp_path):
    lossplay.train(epochs=3, animate=True, out=str(tmp_path / "run"))
    assert (tmp_path / "run" / "animation.gif").exists()
    lossplay.train(epochs=3, out=str(tmp_path / "run"), force=True)
    assert not (tmp_path / "run" / "animation.gif").exists()


def test_compare_animates_the_runs_together(tmp_path):
    result = invoke("compare", "mse", "mae", "--outliers", "--epochs", "30", "--animate", "--quiet",
                    "--out", str(tmp_path / "cmp"))
    assert result.exit_code == 0, result.output
    assert "compare.gif" in result.output
    assert len(_frames(tmp_path / "cmp" / "compare.gif")) == 31
    assert not (tmp_path / "cmp" / "mse" / "animation.gif").exists()  # one animation, not one per run
    classes = invoke("compare", "bce", "hinge", "--dataset", "blobs", "--epochs", "5", "--animate", "--quiet",
                     "--out", str(tmp_path / "cmp2"))
    assert classes.exit_code == 0 and len(_frames(tmp_path / "cmp2" / "compare.gif")) == 6
    many = invoke("compare", "cce", "--lrs", "0.1,0.5", "--dataset", "blobs3", "--epochs", "3", "--animate",
                  "--quiet", "--out", str(tmp_path / "cmp3"))
    assert many.exit_code == 0 and "no compare.gif" in many.output
    assert not (tmp_path / "cmp3" / "compare.gif").exists()


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_each_frame_draws_the_parameters_of_its_own_epoch(loss):
    run = lossplay.train(loss=loss, epochs=90)
    drawn = []
    predict = run.predict

    def recording(X, theta=None):
        drawn.append(np.array(theta, copy=True))
        return predict(X, theta)

    run.predict = recording
    run.animate()
    shown = frame_positions(len(run.history))
    assert len(drawn) == len(shown) + 1  # the layout is made once from the last frame, then every frame
    for theta, index in zip(drawn[1:], shown):
        assert np.array_equal(theta, run.history[index].params)
