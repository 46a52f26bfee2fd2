"""lossplay report: one self-contained HTML page per folder, every picture inside it, every text escaped."""

import base64
import html
import json
import re
import struct
import zlib
from html.parser import HTMLParser

import numpy as np
import pytest
from click.testing import CliRunner

import lossplay
from lossplay.cli import cli
from lossplay.errors import LossplayError
from lossplay.formatting import number
from lossplay.report import build_report, write_report

DATA_URI = re.compile(r'src="data:(image/[a-z]+);base64,([A-Za-z0-9+/=]+)"')
VOID_ELEMENTS = {"meta", "img", "br", "hr", "link", "input"}


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def tiny_png():
    """A valid 1×1 white PNG."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
            + chunk(b"IEND", b""))


TINY_GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
            b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def embedded(page):
    """Every embedded picture of a page as bytes."""
    return [base64.b64decode(data) for _, data in DATA_URI.findall(page)]


class TagChecker(HTMLParser):
    """Records tags that close something other than the innermost open element."""

    def __init__(self):
        super().__init__()
        self.open, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            self.errors.append(tag)


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report") / "run"
    lossplay.train(loss="huber", optimizer="adam", outliers=True, epochs=8, out=str(folder))
    return folder


@pytest.fixture(scope="module")
def odd_names_folder(tmp_path_factory):
    """A classification run on a CSV file whose name and columns hold markup characters."""
    base = tmp_path_factory.mktemp("odd")
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 60)
    points = rng.normal(size=(60, 2)) + 2.0 * labels[:, None]
    csv = base / "my<data>.csv"
    csv.write_text('a<b,x&y,<script>kind\n' + "".join(f"{x:.3f},{y:.3f},{c}\n" for (x, y), c in zip(points, labels)))
    folder = base / "run"
    lossplay.train(dataset=str(csv), loss="bce", epochs=4, out=str(folder))
    return folder


@pytest.fixture(scope="module")
def compare_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report") / "cmp"
    lossplay.compare(losses=["mse", "mae"], outliers=True, epochs=5, out=str(folder))
    return folder


@pytest.fixture
def landscape_folder(tmp_path):
    folder = tmp_path / "landscape"
    folder.mkdir()
    (folder / "landscape.png").write_bytes(tiny_png())
    (folder / "landscape.gif").write_bytes(TINY_GIF)
    document = {
        "lossplay_version": "0.1.0",
        "config": {"dataset": "linear", "loss": "mse", "optimizer": "sgd", "lr": 0.1, "epochs": 20, "seed": 0},
        "data": {"task": "regression", "n_train": 160, "n_val": 40, "features": ["x"], "target": "y"},
        "parameters": ["w", "b"],
        "grid": {"w": [-1.0, 7.0], "b": [-3.0, 7.0], "resolution": 81},
        "minimum": {"w": 2.9812345, "b": 2.0612345, "cost": 0.8123456},
        "paths": [
            {"name": "sgd", "optimizer": "sgd", "lr": 0.1, "points": [[0, 0], [1, 1], [2, 1.5]],
             "costs": [20.0, 9.0, 3.0], "final_cost": 3.0123456},
            {"name": "adam", "optimizer": "adam", "lr": 0.05, "points": [[0, 0], [0.05, 0.05]],
             "costs": [20.0, 19.5], "final_cost": 19.54321},
        ],
        "files": {"picture": "landscape.png", "animation": "landscape.gif"},
    }
    (folder / "landscape.json").write_text(json.dumps(document))
    return folder


@pytest.fixture
def lr_find_folder(tmp_path):
    folder = tmp_path / "lrfind"
    folder.mkdir()
    (folder / "lr_find.png").write_bytes(tiny_png())
    lrs = list(np.logspace(-4, 1, 20))
    document = {
        "lossplay_version": "0.1.0",
        "config": {"dataset": "linear", "loss": "mse", "optimizer": "sgd", "seed": 0},
        "data": {"task": "regression", "n_train": 160, "n_val": 40, "features": ["x"], "target": "y"},
        "lrs": lrs, "costs": [5.0 - 0.2 * i for i in range(20)], "smoothed": [5.0 - 0.2 * i for i in range(20)],
        "stopped_at_step": None, "suggested_lr": 0.0312345, "stability_limit": 0.9987654,
        "files": {"picture": "lr_find.png"},
    }
    (folder / "lr_find.json").write_text(json.dumps(document))
    return folder


# -- what a page holds ------------------------------------------------------------------------


def test_a_run_page_embeds_every_picture_of_the_folder(run_folder):
    page = build_report(run_folder).html
    files = json.loads((run_folder / "run.json").read_text())["files"]
    pictures = [name for name in files.values() if name.endswith(".png")]
    assert len(pictures) == 2
    assert sorted(embedded(page)) == sorted((run_folder / name).read_bytes() for name in pictures)
    assert all(kind == "image/png" for kind, _ in DATA_URI.findall(page))


def test_a_run_page_shows_the_settings_status_and_final_metrics(run_folder):
    report = build_report(run_folder)
    page = report.html
    run = json.loads((run_folder / "run.json").read_text())
    assert report.title == "huber loss with adam on linear"
    assert "<title>lossplay training run: huber loss with adam on linear</title>" in page
    assert "Completed" in page and "all 8 epochs ran" in page
    for split in ("train", "val"):
        for value in run["metrics"][split].values():
            assert f">{number(value)}<" in page
    assert f">{number(run['params']['bias'])}<" in page and "w[x]" in page
    assert "huber: Huber loss (δ = 1)" in page and ">adam<" in page and ">0.05<" in page
    assert "lossplay train --dataset linear" in re.sub(r"</?span>", "", page)
    assert f"The validation cost was lowest at epoch {run['best_epoch']}" in page


def test_a_page_is_html5_that_needs_nothing_from_outside(run_folder, compare_folder):
    for folder in (run_folder, compare_folder):
        page = build_report(folder).html
        assert page.startswith("<!DOCTYPE html>")
        assert '<meta charset="utf-8">' in page and 'name="viewport"' in page
        for outside in ("http://", "https://", 'src="/', "<script", "<link", "@import", "url("):
            assert outside not in page
        checker = TagChecker()
        checker.feed(page)
        assert checker.errors == [] and checker.open == []


def test_every_text_from_the_folder_is_escaped(odd_names_folder):
    page = build_report(odd_names_folder).html
    assert "my&lt;data&gt;.csv" in page and "w[a&lt;b]" in page and "w[x&amp;y]" in page
    assert "&lt;script&gt;kind" in page
    assert "<script" not in page and "my<data>" not in page and "a<b" not in page
    assert "Decision regions" in page and "binary classification" in page


def test_a_comparison_page_has_every_run_and_its_pictures(compare_folder):
    page = build_report(compare_folder).html
    document = json.loads((compare_folder / "compare.json").read_text())
    pictures = [(compare_folder / "compare.png").read_bytes()]
    for run in document["runs"]:
        assert f"<td>{run['name']}</td>" in page
        assert f">{number(run['metrics']['val']['mse'])}<" in page
        assert f"{run['outlier_gradient_share']:.0%}" in page
        pictures.append((compare_folder / run["dir"] / "loss_curve.png").read_bytes())
    assert sorted(embedded(page)) == sorted(pictures)
    assert "Comparison on linear: mse, mae" in page and "only --loss changes" in page
    assert "<strong>" in page.split("The runs side by side")[1].split("</table>")[0]  # the best values


def test_a_landscape_page_shows_the_minimum_and_every_path(landscape_folder):
    page = build_report(landscape_folder).html
    assert "Loss landscape: mse loss on linear" in page
    assert ">2.981<" in page and ">0.8123<" in page
    assert "<td>sgd</td>" in page and ">3.012<" in page and ">19.54<" in page
    assert ">2<" in page and ">1<" in page  # steps: points after the start
    assert sorted(embedded(page)) == sorted([tiny_png(), TINY_GIF])
    assert "image/gif" in page


def test_an_lr_find_page_shows_the_suggestion_and_the_limit(lr_find_folder):
    page = build_report(lr_find_folder).html
    assert "0.03123" in page and "0.9988" in page and "Stability limit" in page
    assert embedded(page) == [tiny_png()]
    assert "Stopped at step" not in page  # null: left out


def test_missing_and_null_values_are_left_out(tmp_path):
    (tmp_path / "run.json").write_text(json.dumps({
        "status": "early_stopped", "config": {"loss": "mse", "patience": 5, "epochs": 50, "alpha": None},
        "data": None, "params": {"weights": "damaged"}, "metrics": {"train": {"loss": 1.5}, "val": None},
        "files": {"loss_curve": "loss_curve.png"}}))
    report = build_report(tmp_path)
    assert "Early stopping ended training" in report.html and ">1.5<" in report.html
    assert "Learned parameters" not in report.html
    assert report.missing == ["loss_curve.png is listed in run.json but is not in the folder; it is left out of "
                              "the report."]
    assert "loss_curve.png is listed in run.json but is not in the folder" in report.html


def test_a_diverged_run_says_what_that_means(tmp_path):
    run = lossplay.train(lr=1.5, batch_size=0, epochs=30, no_plot=True, out=str(tmp_path / "run"))
    assert run.status == "diverged"
    page = build_report(tmp_path / "run").html
    assert "Diverged" in page and "learning rate (here 1.5) is too large" in page
    assert "Advice, checked by training it first" in page
    assert "lossplay train --lr 0.5 --epochs 30 --batch-size 0" in page


def test_an_early_stopped_run_says_which_parameters_it_kept(tmp_path):
    run = lossplay.train(dataset="sine", samples=20, noise=0.3, val_split=0.5, poly_degree=9, optimizer="adam",
                         batch_size=0, epochs=3000, patience=100, no_plot=True, out=str(tmp_path / "run"))
    assert run.status == "early_stopped"
    page = build_report(tmp_path / "run").html
    assert f"after epoch {run.epochs_run} of 3000" in page
    assert f"those of epoch {run.outcome.kept_epoch}, the one with the lowest validation cost" in page
    assert run.outcome.kept_epoch == run.best_epoch


# -- the command line -------------------------------------------------------------------------


def test_the_command_writes_report_html_and_says_how_to_open_it(compare_folder):
    result = invoke("report", compare_folder, "--force")
    assert result.exit_code == 0, result.stderr
    destination = compare_folder / "report.html"
    assert result.stdout.strip() == (f"Wrote {destination}. Open it in a web browser:\n"
                                     f"  {destination.resolve().as_uri()}")
    assert destination.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(compare_folder.glob(".report.html.tmp*"))


def test_an_existing_report_is_replaced_only_with_force(tmp_path, landscape_folder):
    out = tmp_path / "handout.html"
    assert invoke("report", landscape_folder, "--out", out).exit_code == 0
    result = invoke("report", landscape_folder, "--out", out)
    assert result.exit_code == 2 and "--force" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("Error: ")
    assert invoke("report", landscape_folder, "--out", out, "--force").exit_code == 0


def test_a_missing_picture_is_a_warning_not_a_failure(landscape_folder):
    (landscape_folder / "landscape.gif").unlink()
    result = invoke("report", landscape_folder)
    assert result.exit_code == 0
    assert result.stderr.startswith("Warning: landscape.gif is listed in landscape.json but is not in the folder")
    assert embedded((landscape_folder / "report.html").read_text()) == [tiny_png()]


@pytest.mark.parametrize("make, message", [
    (lambda folder: None, "holds no run.json, compare.json, landscape.json or lr_find.json: give a folder written "
                          "by lossplay train, compare, landscape or lr-find."),
    (lambda folder: (folder / "run.json").write_text('{"status": "completed",'), "is not valid JSON"),
    (lambda folder: (folder / "compare.json").write_text("[1, 2]"), "holds a JSON list"),
    (lambda folder: (folder / "lr_find.json").write_bytes(b"\xff\xfe{}"), "is not UTF-8 text"),
])
def test_bad_folders_get_one_error_line_and_exit_2(tmp_path, make, message):
    folder = tmp_path / "folder"
    folder.mkdir()
    make(folder)
    result = invoke("report", folder)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: '{folder}") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (folder / "report.html").exists()


def test_missing_folders_and_impossible_destinations(tmp_path, run_folder):
    result = invoke("report", tmp_path / "nowhere")
    assert result.exit_code == 2 and "does not exist" in result.stderr
    (tmp_path / "a-file").write_text("")
    result = invoke("report", run_folder, "--out", tmp_path / "a-file" / "report.html")
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "is a file" in result.stderr
    result = invoke("report", run_folder, "--out", tmp_path)
    assert result.exit_code == 2 and "is a folder" in result.stderr


def test_a_path_to_the_json_file_means_its_folder(run_folder, tmp_path):
    report = write_report(run_folder / "run.json", tmp_path / "r.html")
    assert report.folder == run_folder and report.path == tmp_path / "r.html"


def test_a_folder_of_runs_points_to_one_of_them(run_folder):
    with pytest.raises(LossplayError, match="The folder '.*run' inside it is one"):
        build_report(run_folder.parent)


def test_a_run_written_again_with_force_drops_the_old_handout(tmp_path):
    import lossplay

    folder = tmp_path / "run"
    lossplay.train(epochs=2, out=str(folder))
    lossplay.write_report(folder)
    assert (folder / "report.html").exists()
    lossplay.train(epochs=2, out=str(folder), force=True)
    assert not (folder / "report.html").exists()


def test_force_into_a_folder_of_another_kind_leaves_only_the_new_kind(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from lossplay.cli import cli

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for args, marker in [(["train", "--epochs", "3", "--quiet"], "run.json"),
                         (["lr-find", "--steps", "10"], "lr_find.json"),
                         (["landscape", "--steps", "5", "--grid", "11"], "landscape.json"),
                         (["compare", "mse", "mae", "--epochs", "2", "--quiet"], "compare.json")]:
        result = runner.invoke(cli, [*args, "--out", "mix", "--force"])
        assert result.exit_code == 0, result.output
        markers = {p.name for p in (tmp_path / "mix").iterdir() if p.suffix == ".json"}
        assert markers == {marker}
        assert runner.invoke(cli, ["report", "mix", "--force"]).exit_code == 0
        kind = {"run.json": "training run", "lr_find.json": "learning-rate search",
                "landscape.json": "loss landscape", "compare.json": "comparison"}[marker]
        assert f"<title>lossplay {kind}:" in (tmp_path / "mix" / "report.html").read_text()


def test_an_lr_find_handout_gives_the_whole_train_command_and_what_the_limit_means_for_adam(tmp_path):
    import lossplay

    result = lossplay.lr_find(optimizer="adam", steps=60, out=str(tmp_path / "lr"))
    page = lossplay.write_report(tmp_path / "lr").html
    assert result.suggested_lr is not None
    assert html.escape(result.train_command()) in page and "--optimizer adam" in result.train_command()
    assert "no limit on its learning rate" in page


def test_force_leaves_files_lossplay_did_not_write_and_drops_a_comparison_s_old_runs(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from lossplay.cli import cli

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    (tmp_path / "mine").mkdir()
    for name in ("notes.txt", "history.csv", "fit.png"):
        (tmp_path / "mine" / name).write_text("the user's own")
    assert runner.invoke(cli, ["lr-find", "--steps", "10", "--out", "mine", "--force"]).exit_code == 0
    assert {p.name for p in (tmp_path / "mine").iterdir()} == {"notes.txt", "history.csv", "fit.png",
                                                                "lr_find.json", "lr_find.png"}
    assert runner.invoke(cli, ["compare", "mse", "mae", "--epochs", "2", "--quiet", "--out", "cmp"]).exit_code == 0
    assert runner.invoke(cli, ["compare", "--optimizers", "sgd,adam", "--epochs", "2", "--quiet", "--out", "cmp",
                               "--force"]).exit_code == 0
    assert {p.name for p in (tmp_path / "cmp").iterdir() if p.is_dir()} == {"sgd", "adam"}
    assert runner.invoke(cli, ["train", "--epochs", "2", "--quiet", "--out", "cmp", "--force"]).exit_code == 0
    assert not any(p.is_dir() for p in (tmp_path / "cmp").iterdir())
