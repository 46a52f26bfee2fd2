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
VOID_ELEMENTS = {"meta", "img", "br", "wbr", "hr", "link", "input"}


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


def without_spans(page):
    """The page without its span tags: a command reads as one text, as a reader sees it."""
    return re.sub(r"</?span[^>]*>", "", page)


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
    assert "<td>huber: Huber loss (δ = 1)</td>" in page and "<td>0.05</td>" in page
    assert "<td>adam: Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-08)</td>" in page
    command = without_spans(page).split("<pre><code>")[1].split("</code></pre>")[0]
    assert command.startswith("lossplay train --dataset linear")
    assert "--loss huber --model linear --optimizer adam" in command
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
    assert "<strong>" in page.split("<h2>The runs side by side</h2>")[1].split("</table>")[0]  # the best values


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
    assert "lossplay train --lr 0.5 --epochs 30 --batch-size 0" in without_spans(page)


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
    assert html.escape(result.train_command()) in without_spans(page) and "--optimizer adam" in result.train_command()
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


# -- the settings that matter, and what a handout shows of the teacher's machine ---------------

TEACHER = "/home/teacher/courses/2026-autumn/week-07-losses/lab"


def recorded_config(**options):
    """A config as run.json records it: every option, the catalog's defaults for the loss and optimizer ones."""
    import dataclasses

    from lossplay.catalog import OPTIONS
    from lossplay.config import TrainConfig

    config = dataclasses.asdict(TrainConfig())
    config.update({name: option.default for name, option in OPTIONS.items()})
    config.update(dataset="linear", samples=200, noise=1.0, loss="mse", model="linear", lr=0.1)
    config.update(options)
    return config


def hand_written_run(folder, config, **document):
    """A run folder holding only its run.json: enough for what the page says about the settings."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "run.json").write_text(json.dumps({"status": "completed", "config": config, **document}))
    return folder


def settings_table(page):
    """The settings table of a run page as {label: the text of its value}."""
    part = page.split("<h2>What was trained</h2>")[1].split("</table>")[0]
    return {html.unescape(label): html.unescape(re.sub(r"<[^>]+>", "", value))
            for label, value in re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', part)}


@pytest.mark.parametrize("options, loss, optimizer", [
    ({"optimizer": "sgd", "momentum": 0.9, "nesterov": True}, "mse: mean squared error (L2)",
     "sgd: stochastic gradient descent (momentum μ = 0.9, Nesterov)"),
    ({"optimizer": "adam", "loss": "huber", "delta": 1.5}, "huber: Huber loss (δ = 1.5)",
     "adam: Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-08)"),
    ({"optimizer": "rmsprop", "loss": "quantile", "quantile": 0.9}, "quantile: quantile (pinball) loss (τ = 0.9)",
     "rmsprop: RMSprop (ρ = 0.99, ε = 1e-08, momentum μ = 0)"),
    ({"optimizer": "adamw", "loss": "focal", "model": "logistic", "alpha": None, "class_weight": "balanced"},
     "focal: focal loss (γ = 2, class weights balanced)",
     "adamw: AdamW (β₁ = 0.9, β₂ = 0.999, ε = 1e-08, weight decay λ = 0.01)"),
    ({"optimizer": "adagrad", "loss": "bce", "model": "logistic"}, "bce: binary cross-entropy (log loss)",
     "adagrad: Adagrad (ε = 1e-08)"),
])
def test_the_settings_name_only_the_options_the_loss_and_optimizer_read(tmp_path, options, loss, optimizer):
    page = build_report(hand_written_run(tmp_path / "run", recorded_config(**options))).html
    settings = settings_table(page)
    assert settings["Loss"] == loss and settings["Optimizer"] == optimizer


@pytest.mark.parametrize("options, rate, stopping", [
    ({}, "0.1", None),
    ({"lr_schedule": "step"}, "0.1, step schedule: × 0.1 every 30 epochs", None),
    ({"lr_schedule": "exponential", "lr_gamma": 0.9, "warmup_epochs": 5},
     "0.1, exponential schedule: × 0.9 each epoch, after 5 warm-up epochs rising from lr/5", None),
    ({"lr_schedule": "cosine"}, "0.1, cosine schedule: down to 0 by the last epoch", None),
    ({"patience": 10, "min_delta": 0.01, "restore_best": False}, "0.1",
     "patience 10: stop once the validation cost has not fallen by more than 0.01 for 10 epochs, keeping the last "
     "epoch's parameters"),
    ({"patience": 5}, "0.1",
     "patience 5: stop once the validation cost has not improved for 5 epochs, then go back to the best epoch's "
     "parameters"),
])
def test_schedule_and_early_stopping_options_show_only_with_them(tmp_path, options, rate, stopping):
    page = build_report(hand_written_run(tmp_path / "run", recorded_config(**options))).html
    settings = settings_table(page)
    assert settings["Learning rate"] == rate
    assert settings.get("Early stopping") == stopping
    assert settings["Epochs"] == ("100" if stopping is None else "100 at most")
    assert "step schedule" not in settings["Learning rate"] or options.get("lr_schedule") == "step"


def test_every_option_is_behind_a_details_element_the_reader_opens(tmp_path):
    config = recorded_config(optimizer="adam")
    page = build_report(hand_written_run(tmp_path / "run", config)).html
    output = ("out", "force", "quiet", "no_plot", "log_every", "pace", "animate")
    shown = [name for name in config if name not in output]
    details = page.split('<details class="every-option">')[1].split("</details>")[0]
    assert details.startswith(f"<summary>Every option ({len(shown)}), as recorded</summary>")
    assert details.count("<tr>") == len(shown) and ">--momentum<" in details and ">--out<" not in details
    assert "μ" not in settings_table(page)["Optimizer"]


def test_a_user_s_own_loss_and_optimizer_show_the_options_recorded_away_from_the_defaults(tmp_path):
    config = recorded_config(loss=f"{TEACHER}/my_losses/cauchy_loss.py:Cauchy", delta=2.0,
                             optimizer=f"{TEACHER}/lion_optimizer.py:Lion", beta2=0.99, weight_decay=0.0)
    folder = hand_written_run(tmp_path / "run", config)
    page = build_report(folder).html
    settings = settings_table(page)
    assert settings["Loss"] == "cauchy_loss.py:Cauchy (δ = 2)"
    assert settings["Optimizer"] == "lion_optimizer.py:Lion (β₂ = 0.99, weight decay λ = 0)"
    assert "<h1>cauchy_loss.py:Cauchy loss with lion_optimizer.py:Lion on linear</h1>" in page
    command = without_spans(page).split("<pre><code>")[1].split("</code></pre>")[0]
    assert "--loss cauchy_loss.py:Cauchy --model linear --delta 2" in command
    # a user's optimizer may read any optimizer option, with defaults of its own: the command sets every one
    assert "--optimizer lion_optimizer.py:Lion --lr 0.1 --momentum 0 --beta1 0.9 --beta2 0.99" in command
    assert "/home/teacher" not in page and "my_losses" not in page
    # what the loss and the optimizer read comes from the catalog and run.json: their files are never run
    script = ("import sys; from lossplay.report import build_report; build_report(sys.argv[1]); "
              "print(sorted(m for m in sys.modules if m in ('lossplay.losses', 'lossplay.optimizers', "
              "'lossplay.registry')))")
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_recorded_commands_and_the_footer_name_files_without_their_folders(tmp_path):
    csv = f"{TEACHER}/data/house-prices.csv"
    folder = tmp_path / "home" / "teacher" / "week-07" / "runs" / "prices"
    hand_written_run(folder, recorded_config(dataset=csv, samples=None, noise=None), diagnosis={
        "findings": [], "notes": [],
        "advice": [{"why": "A smaller rate runs clean.", "command": f"lossplay train --dataset {csv} --lr 0.01"}]})
    page = build_report(folder).html
    words = without_spans(page)
    assert str(tmp_path) not in page and "/home/teacher" not in page and "week-07" not in page
    assert "lossplay train --dataset house-prices.csv --lr 0.01" in words  # the advice
    assert "lossplay train --dataset house-prices.csv --loss mse" in words  # the command that trains it again
    assert settings_table(page)["Dataset"] == "house-prices.csv"
    assert "house-prices.csv is named without its folders: run the command where it is" in page
    assert "<footer>Made by lossplay 0.1.0 from the folder prices.</footer>" in page.replace(
        lossplay.__version__, "0.1.0")


@pytest.mark.parametrize("command, shown", [
    (f"lossplay train --dataset={TEACHER}/a.csv --lr 0.1", ["lossplay", "train", "--dataset=a.csv", "--lr", "0.1"]),
    (f"lossplay compare --optimizers sgd@0.1,{TEACHER}/lion.py:Lion@0.2",
     ["lossplay", "compare", "--optimizers", "sgd@0.1,lion.py:Lion@0.2"]),
    ("lossplay train --dataset 'C:\\Users\\teacher\\prices.csv'", ["lossplay", "train", "--dataset", "prices.csv"]),
    ("lossplay train --loss huber --out runs/huber", ["lossplay", "train", "--loss", "huber", "--out", "runs/huber"]),
    ("not 'a command", ["not 'a command"]),
])
def test_a_recorded_command_keeps_every_word_but_the_folders_of_its_files(command, shown):
    from lossplay.report.paths import shown_words

    assert shown_words(command) == shown


def test_a_run_on_generated_data_shows_the_true_line_beside_the_learned_one(run_folder):
    page = build_report(run_folder).html
    run = json.loads((run_folder / "run.json").read_text())
    parameters = page.split("<h2>Learned parameters</h2>")[1].split("</section>")[0]
    assert '<th scope="col">true</th>' in parameters
    assert re.search(r"<td>w\[x\]</td>.*<td class=\"num\">3</td></tr>", parameters)
    assert re.search(r"<td>b \(bias\)</td>.*<td class=\"num\">2</td></tr>", parameters)
    slope = run["params"]["weights"][0] / run["data"]["standardization"]["std"][0]  # in the data's units
    assert "The true line: <strong>y = 3x + 2</strong>" in parameters
    assert f"the learned line: <strong>y = {number(slope, 3)}x" in parameters


@pytest.mark.parametrize("options, features, true", [
    ({"dataset": "multi"}, ["x1", "x2", "x3", "x4", "x5"], ["2", "-0.3", "4", "1", "0", "5"]),
    ({"dataset": "tiny", "samples": 8, "noise": None}, ["x"], ["2", "1"]),
    ({"dataset": "multi"}, ["x1", "x3"], None),  # a selection of the columns: not the generator's line
    ({"dataset": "linear", "poly_degree": 3}, ["x", "x^2", "x^3"], None),
    ({"dataset": "sine"}, ["x"], None),
    ({"dataset": f"{TEACHER}/data/house-prices.csv", "samples": None, "noise": None}, ["area"], None),
])
def test_the_true_parameters_come_from_the_generator_the_config_names(tmp_path, options, features, true):
    params = {"weights": [1.0] * len(features), "bias": 0.5}
    data = {"task": "regression", "features": features, "standardization": None}
    page = build_report(hand_written_run(tmp_path / "run", recorded_config(**options), params=params,
                                         data=data)).html
    parameters = page.split("<h2>Learned parameters</h2>")[1].split("</section>")[0]
    if true is None:
        assert '<th scope="col">true</th>' not in parameters and "true line" not in parameters
    else:
        rows = re.findall(r"<tr><td>[^<]*</td>(?:<td[^>]*>[^<]*</td>)*?<td class=\"num\">([^<]*)</td></tr>",
                          parameters)
        assert rows == true


def test_a_landscape_s_own_optimizer_file_is_named_without_its_folders(landscape_folder):
    document = json.loads((landscape_folder / "landscape.json").read_text())
    lion = f"{TEACHER}/lion_optimizer.py:Lion@0.2"
    document["config"]["optimizers"] = ["sgd", lion]
    document["paths"][1].update(name=lion, optimizer=lion.rpartition("@")[0])
    (landscape_folder / "landscape.json").write_text(json.dumps(document))
    page = build_report(landscape_folder).html
    assert "/home/teacher" not in page
    assert "<td>sgd, lion_optimizer.py:Lion@0.2</td>" in page and "<td>lion_optimizer.py:Lion</td>" in page
