"""A handout on a phone and on a laptop: every kind of page, made in a teacher's nested folder with long names and
a CSV file given by its absolute path, shows nothing of that folder, and in headless Chromium fits a 400 px and a
1280 px window (measured with scripts/handout_layout.py, which also takes the screenshots to look at).

The browser tests are skipped where no Chromium is installed.
"""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("handout_layout", ROOT / "scripts" / "handout_layout.py")
assert spec is not None and spec.loader is not None
layout = importlib.util.module_from_spec(spec)
spec.loader.exec_module(layout)

WIDTHS = (1280, 400)


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    return layout.make_folders(tmp_path_factory.mktemp("handouts"))


@pytest.fixture(scope="module")
def measured(folders):
    """{(kind, width): the layout facts of that page at that width}, each page opened once."""
    if layout.find_chromium() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium): the handout's layout is not measured")
    with layout.Browser() as browser:
        return {(kind, width): browser.measure(folders[kind] / "report.html", width)
                for kind in layout.KINDS for width in WIDTHS}


def test_no_page_names_the_teacher_s_folders(folders):
    lab = folders["run"].parent.parent
    for kind, folder in folders.items():
        page = (folder / "report.html").read_text(encoding="utf-8")
        for private in (str(lab), "home/teacher", "courses/", "week-07-losses"):
            assert private not in page, (kind, private)
        assert f"from the folder {folder.name}.</footer>" in page
    for kind in ("csv run", "lr-find"):
        page = (folders[kind] / "report.html").read_text(encoding="utf-8")
        assert f"--dataset {layout.CSV_NAME}</span>" in page  # the commands name the file alone
        assert f"{layout.CSV_NAME} is named without its folders" in page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", layout.KINDS)
def test_every_page_fits_the_window(measured, kind, width):
    facts = measured[kind, width]
    assert layout.problems(facts) == []
    assert width - 20 <= facts["width"] <= width  # the window really is that wide (less a scroll bar)
    assert facts["scrollWidth"] <= facts["width"]


def test_a_table_too_wide_for_a_phone_scrolls_in_its_box_and_says_so(measured):
    runs = {width: box for width in WIDTHS for box in measured["comparison", width]["boxes"]
            if box["label"] == "The runs side by side"}
    assert runs[400]["scrolls"] and runs[400]["hint"] and runs[400]["shadow"]
    assert not runs[1280]["scrolls"] and not runs[1280]["hint"]


def test_the_run_tables_fit_a_phone_without_scrolling(measured):
    for kind in ("run", "csv run"):
        boxes = measured[kind, 400]["boxes"]
        assert [box["label"] for box in boxes if box["scrolls"]] == [], kind


@pytest.mark.parametrize("width, at_least", [(400, 360), (1280, 780)])
def test_each_run_s_loss_curve_of_a_comparison_is_as_wide_as_the_text(measured, width, at_least):
    pictures = measured["comparison", width]["pictures"]
    curves = [picture for picture in pictures if picture["alt"].endswith(": completed")]
    assert [curve["alt"] for curve in curves] == ["mse: completed", "mae: completed", "huber: completed"]
    assert all(curve["width"] >= at_least for curve in curves), curves
