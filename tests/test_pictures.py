"""Pictures everyone can read: every kind of picture lossplay draws is made small and fast, and checked for
what a colour-blind student at the back of a room needs.

- Two series of one legend that look alike but for their colour (same line style, marker, fill and hatch)
  must stay apart with normal vision and after a simulation of deuteranopia and of protanopia (Machado,
  Oliveira and Fernandes 2009, severity 1): CIE76 ΔE above 10 in CIELAB. Put the other way round: series
  whose colours merge for a colour-blind reader must differ in line style or marker.
- No legend (and no note) lies over the data: no line, marker or scatter point inside its box.
- Text is at least 10 points, titles at least 11, GIF frames included.
- A fit is never drawn as a near-vertical line: a diverged run's line or boundary is left out and the
  picture says so; corrupted rows are drawn above the lines.
- Lines that lie on one another are named in a note.
"""

import itertools

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.offsetbox import AnchoredText
from matplotlib.patches import Patch
from matplotlib.text import Text

import lossplay
from lossplay import demos, plots
from lossplay.plots import evolution, legibility
from lossplay.plots import landscape as landscape_pictures
from lossplay.plots.classifier import classifier

# Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color vision
# deficiency", table for severity 1.0: each maps linear RGB to the linear RGB a dichromat sees.
MACHADO = {
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}
VISIONS = ("normal", *MACHADO)
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
D65_WHITE = np.array([0.95047, 1.0, 1.08883])
DISTINCT = 10.0  # CIE76 ΔE: below this two small patches of colour are easily taken for one


def linear_rgb(rgb):
    """sRGB (0 to 1) to linear light."""
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def srgb(linear):
    """Linear light back to sRGB, clipped to the displayable range."""
    linear = np.clip(linear, 0, 1)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)


def seen(rgb, vision):
    """The sRGB colour a reader with ``vision`` sees for ``rgb``."""
    return np.asarray(rgb, dtype=float) if vision == "normal" else srgb(linear_rgb(rgb) @ MACHADO[vision].T)


def lab(rgb):
    """CIELAB (D65) of an sRGB colour."""
    xyz = linear_rgb(rgb) @ SRGB_TO_XYZ.T / D65_WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(first, second, vision):
    """CIE76 colour difference of two sRGB colours as seen with ``vision``."""
    return float(np.linalg.norm(lab(seen(first, vision)) - lab(seen(second, vision))))


def on_white(rgba):
    """An RGBA colour as it shows on the white of the axes (its transparency blended in)."""
    rgba = np.asarray(rgba, dtype=float)
    return rgba[:3] * rgba[3] + (1 - rgba[3])


# -- what a legend entry looks like -----------------------------------------------------------------------


def _dashes(line):
    if line.get_linestyle() in ("None", "", " ", "none"):
        return "no line"
    offset, dashes = line._unscaled_dash_pattern  # the pattern as given (tuples of "--" and (0, (1, 1.2)) differ)
    return (offset, tuple(dashes)) if dashes else "solid"


def appearance(handle):
    """(colour on white, look) of a legend handle: the look is everything but the colour that tells entries
    apart — line style, marker, whether the marker is filled, hatching."""
    if isinstance(handle, Line2D):
        marker = handle.get_marker()
        marker = None if marker in ("None", "", " ", "none", None) else str(marker)
        face = handle.get_markerfacecolor()
        filled = marker is not None and not (isinstance(face, str) and face == "none")
        if _dashes(handle) == "no line" and marker is not None:
            color = face if filled else handle.get_markeredgecolor()
        else:
            color = handle.get_color()
        return on_white(to_rgba(color, handle.get_alpha())), ("line", _dashes(handle), marker, filled)
    if isinstance(handle, PathCollection):  # a scatter's legend entry: its marker's path stands for the marker
        faces, edges = handle.get_facecolor(), handle.get_edgecolor()
        filled = len(faces) > 0 and faces[0][3] > 0
        path = handle.get_paths()[0]
        shape = (tuple(np.round(path.vertices, 3).ravel()), None if path.codes is None else tuple(path.codes))
        return on_white(faces[0] if filled else edges[0]), ("scatter", shape, filled)
    if isinstance(handle, Patch):
        return on_white(handle.get_facecolor()), ("patch", handle.get_hatch())
    raise AssertionError(f"a legend entry of a kind this test does not know: {type(handle).__name__}")


def legends(figure):
    """Every legend of the figure: the axes' own, and the figure's and its subfigures'."""
    found = [ax.get_legend() for ax in figure.get_axes() if ax.get_legend() is not None]
    for part in [figure, *figure.subfigs]:
        found += list(part.legends)
    return found


def entries(legend):
    """[(label, colour, look)] of a legend's entries, the empty ones (no handle drawn) left out."""
    return [(text.get_text(), *appearance(handle))
            for text, handle in zip(legend.get_texts(), legend.legend_handles) if handle is not None]


def same_looks(figure):
    """The pairs of entries of one legend that look the same but for their colour: [(a, b, colour a, colour b)]."""
    return [(a, b, colour_a, colour_b) for legend in legends(figure)
            for (a, colour_a, look_a), (b, colour_b, look_b) in itertools.combinations(entries(legend), 2)
            if look_a == look_b]


def confusions(figure):
    """The pairs of entries of one legend that a reader could take for one another: the same look, and
    colours closer than DISTINCT with normal vision, deuteranopia or protanopia."""
    found = []
    for a, b, colour_a, colour_b in same_looks(figure):
        for vision in VISIONS:
            difference = delta_e(colour_a, colour_b, vision)
            if difference <= DISTINCT:
                found.append(f"{a!r} and {b!r}: ΔE {difference:.1f} ({vision})")
    return found


# -- the pictures ----------------------------------------------------------------------------------------

SMALL = {"samples": 60, "epochs": 8}
FRAME_ORDER = {}  # for each GIF, the artists every frame draws over the still background, in order


def _last_frame(built):
    """Stand-in for ``gif_bytes`` that draws the last frame and keeps the figure and the artists each frame
    draws again, in their order (later ones over earlier ones), for the checks below."""

    def draw(figure, draw_frame, frames, animated=(), colors=()):
        drawn = draw_frame(frames[-1])
        built.append((figure, list(animated) if drawn is None else list(drawn)))
        return b""

    return draw


def _make_pictures():
    regression = lossplay.train(loss="huber", outliers=True, l2=0.01, **SMALL)
    binary = lossplay.train(loss="bce", **SMALL)
    multiclass = lossplay.train(loss="cce", **SMALL)
    diverged = lossplay.train(lr=1.5, batch_size=0, samples=60, epochs=20)
    losses = lossplay.compare(losses=["mse", "mae", "huber"], outliers=True, **SMALL)
    rates = lossplay.compare(lrs=[0.1, 1.5], batch_size=0, samples=60, epochs=20)
    boundaries = lossplay.compare(losses=["bce", "mse"], model="logistic", **SMALL)
    scape = lossplay.landscape(steps=12, grid=31, samples=60)
    pictures = {
        "loss curve, regression": regression.plot_loss_curve(),
        "fit, regression": regression.plot_fit(),
        "loss curve, classifier": binary.plot_loss_curve(),
        "fit, binary boundary": binary.plot_fit(),
        "fit, three classes": multiclass.plot_fit(),
        "classifier.png, binary": classifier(binary),
        "classifier.png, three classes": classifier(multiclass),
        "fit, diverged": diverged.plot_fit(),
        "comparison, losses": losses.plot(),
        "comparison, a diverged rate": rates.plot(),
        "comparison, boundaries": boundaries.plot(),
        "landscape": scape.plot(),
        "lr-find": lossplay.lr_find(steps=30, samples=60).plot(),
        "losses": plots.loss_shapes(),
    }
    shorter = {"outliers": {"epochs": 8}, "overfitting": {"epochs": 30}, "accuracy-vs-loss": {"vary": ["epochs=3,12"]},
               "learning-rate": {"epochs": 15}, "optimizers": {"epochs": 30},
               "imbalance": {"samples": 300, "epochs": 5}}
    for name, demo in demos.DEMOS.items():
        cmp = demos.run(demo, **shorter[name])
        pictures[f"demo {name}"] = cmp.picture() if getattr(cmp, "picture", None) else cmp.plot()
    frames = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(evolution, "gif_bytes", _last_frame(frames))
        patch.setattr(landscape_pictures, "gif_bytes", _last_frame(frames))
        for run in (regression, binary, diverged):
            run.animate()
        for cmp in (losses, rates, boundaries):
            cmp.animate()
        scape.animate()
    names = ("GIF, regression", "GIF, binary", "GIF, diverged", "GIF comparison, losses",
             "GIF comparison, a diverged rate", "GIF comparison, boundaries", "GIF landscape")
    pictures.update(zip(names, (figure for figure, _ in frames)))
    FRAME_ORDER.update(zip(names, (order for _, order in frames)))
    for figure in pictures.values():
        figure.set_dpi(50)  # every size in points keeps its share of the picture; the layout is quicker
        figure.draw_without_rendering()  # the layout, the tick labels and the legends' boxes, as saved
    return pictures


NAMES = ("loss curve, regression", "fit, regression", "loss curve, classifier", "fit, binary boundary",
         "fit, three classes", "classifier.png, binary", "classifier.png, three classes", "fit, diverged",
         "comparison, losses", "comparison, a diverged rate", "comparison, boundaries", "landscape", "lr-find",
         "losses", *(f"demo {name}" for name in demos.DEMOS), "GIF, regression", "GIF, binary", "GIF, diverged",
         "GIF comparison, losses", "GIF comparison, a diverged rate", "GIF comparison, boundaries",
         "GIF landscape")


@pytest.fixture(scope="module")
def pictures():
    return _make_pictures()


# -- the checks ------------------------------------------------------------------------------------------


def test_every_kind_of_picture_is_checked(pictures):
    assert set(pictures) == set(NAMES)
    assert all(isinstance(figure, Figure) for figure in pictures.values())


@pytest.mark.parametrize("name", NAMES)
def test_series_stay_distinguishable_with_colour_blindness(pictures, name):
    figure = pictures[name]
    assert sum(len(entries(legend)) for legend in legends(figure)) >= 2, "no series to compare"
    assert confusions(figure) == []


@pytest.mark.parametrize("name", NAMES)
def test_no_series_is_told_apart_by_hue_alone(pictures, name):
    # stricter than the colour-blind check: two entries of one legend that differ only in colour must differ
    # in lightness too (ΔL* over 20), so that even a grey print or a washed-out projector keeps them apart
    alike = [(a, b) for a, b, colour_a, colour_b in same_looks(pictures[name])
             if min(abs(lab(seen(colour_a, vision))[0] - lab(seen(colour_b, vision))[0]) for vision in VISIONS) <= 20]
    assert alike == []


def test_the_check_finds_red_and_green_lines_that_differ_only_in_hue():
    figure = Figure()
    ax = figure.add_subplot()
    ax.plot([0, 1], [0, 1], color="#d62728", label="red")  # matplotlib's old red and green
    ax.plot([0, 1], [1, 0], color="#2ca02c", label="green")
    ax.legend()
    assert any("deuteranopia" in found for found in confusions(figure))
    ax.get_lines()[1].set_linestyle("--")
    ax.legend()
    assert confusions(figure) == []  # a dash pattern tells them apart


def test_the_palette_stays_apart_for_every_colour_vision():
    for first, second in itertools.combinations(plots.PALETTE.values(), 2):
        for vision in VISIONS:
            assert delta_e(to_rgba(first)[:3], to_rgba(second)[:3], vision) > DISTINCT, (first, second, vision)


def test_the_simulation_keeps_grey_grey_and_merges_red_with_green_for_a_deuteranope():
    grey = np.array([0.5, 0.5, 0.5])
    assert np.allclose(seen(grey, "deuteranopia"), grey, atol=0.01)
    assert delta_e(to_rgba("#d62728")[:3], to_rgba("#2ca02c")[:3], "normal") > 50
    assert delta_e(to_rgba("#d62728")[:3], to_rgba("#2ca02c")[:3], "deuteranopia") < 25


def _shown_data(figure):
    """Where the data is drawn (lines, markers, scatter points inside their axes), in display units."""
    chunks = [np.empty((0, 2))]
    for ax in figure.get_axes():
        points = legibility.drawn_points(ax)
        points = points[((points >= 0) & (points <= 1)).all(axis=1)]  # what the axes clip is not shown
        chunks.append(ax.transAxes.transform(points) if len(points) else points)
    return np.vstack(chunks)


def _under(box, data):
    """How many of the points ``data`` lie inside ``box`` (a line that only touches its border is not covered)."""
    box = box.shrunk(0.98, 0.98)
    return int(np.sum((data[:, 0] > box.x0) & (data[:, 0] < box.x1) & (data[:, 1] > box.y0) & (data[:, 1] < box.y1)))


@pytest.mark.parametrize("name", NAMES)
def test_legends_and_notes_cover_no_data(pictures, name):
    figure = pictures[name]
    boxes = [legend.get_window_extent() for legend in legends(figure)]
    boxes += [note.get_window_extent() for ax in figure.get_axes() for note in ax.artists
              if isinstance(note, AnchoredText) and note.get_visible()]
    assert boxes
    data = _shown_data(figure)
    for box in boxes:
        assert _under(box, data) == 0, f"a legend or note covers {_under(box, data)} points of the data"


def test_the_check_finds_a_legend_over_the_data():
    figure = Figure()
    ax = figure.add_subplot()
    ax.plot([0, 1], [0, 1], label="diagonal")
    ax.legend(loc="center")
    figure.draw_without_rendering()
    assert _under(ax.get_legend().get_window_extent(), _shown_data(figure)) > 0


@pytest.mark.parametrize("name", NAMES)
def test_text_is_large_enough_for_the_back_of_the_room(pictures, name):
    figure = pictures[name]
    titles = {ax.title for ax in figure.get_axes()} | {ax._left_title for ax in figure.get_axes()}
    titles |= {part._suptitle for part in [figure, *figure.subfigs] if part._suptitle is not None}
    small = []
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text().strip() or not text.get_figure():
            continue
        least = 11 if text in titles else 10
        if text.get_fontsize() < least:
            small.append((text.get_text(), text.get_fontsize()))
    assert small == []


def _fit_axes(figure):
    return figure.get_axes()[0]


@pytest.mark.parametrize("name", ["fit, regression", "comparison, losses", "comparison, a diverged rate",
                                  "GIF, regression", "GIF comparison, losses", "GIF comparison, a diverged rate"])
def test_corrupted_rows_and_lines_are_drawn_so_that_nothing_hides(pictures, name):
    ax = _fit_axes(pictures[name])
    low, high = ax.get_ylim()
    for line in ax.get_lines():
        ys = np.asarray(line.get_ydata(), dtype=float)
        if ys.size > 2:  # a fitted line: most of it inside the picture, never a near-vertical stroke
            assert legibility.in_view(ys, low, high), line.get_label()
    crosses = [c for c in ax.collections if c.get_label().startswith("corrupted")]
    if name != "comparison, a diverged rate" and name != "GIF comparison, a diverged rate":
        assert crosses
    for cross in crosses:
        assert cross.get_zorder() > max(line.get_zorder() for line in ax.get_lines())
        if name.startswith("GIF"):  # a frame draws its lines over the background: the crosses come after them
            order = FRAME_ORDER[name]
            assert order.index(cross) > max(order.index(line) for line in ax.get_lines() if line in order)


def _notes(ax):
    return [note.txt.get_text() for note in ax.artists if isinstance(note, AnchoredText) and note.get_visible()]


def test_a_diverged_fit_is_left_out_and_the_picture_says_why(pictures):
    ax = _fit_axes(pictures["fit, diverged"])
    assert not any(line.get_label().startswith("fitted") for line in ax.get_lines())
    assert any("diverged" in note for note in _notes(ax))
    ax = _fit_axes(pictures["comparison, a diverged rate"])
    drawn = {line.get_label().split(":")[0]: len(line.get_xdata()) for line in ax.get_lines()}
    assert drawn["lr=1.5"] == 0 and drawn["lr=0.1"] > 0
    assert any("lr=1.5 diverged" in note for note in _notes(ax))
    for name, words in (("GIF, diverged", "diverged"), ("GIF comparison, a diverged rate", "lr=1.5 diverged")):
        assert words in _fit_axes(pictures[name]).get_title(), name  # a GIF's notes are under its panel's title


def test_a_diverged_classifier_shows_no_regions_and_says_why(monkeypatch):
    run = lossplay.train(loss="bce", **SMALL)
    monkeypatch.setattr(type(run), "status", property(lambda self: "diverged"))
    figure = run.plot_fit()
    ax = _fit_axes(figure)
    assert len(figure.get_axes()) == 1  # no probability shading, so no colour bar for it
    assert not any(label.startswith("decision boundary") for label in ax.get_legend_handles_labels()[1])
    assert any("no boundary" in note for note in _notes(ax))


def test_lines_that_lie_on_one_another_are_named():
    x = np.linspace(0, 1, 50)
    curves = [("mse", 3 * x), ("mae", x), ("huber", x + 0.004)]
    assert legibility.overlapping(curves, 0, 3) == [["mae", "huber"]]
    assert legibility.overlap_note([["mae", "huber"]]) == "mae and huber overlap: one line lies on the other"
    assert legibility.overlapping(curves, 0, 0.3) == []  # zoomed in, they are apart
    assert legibility.overlapping([("a", x + 1), ("b", (x + 1) * 1.001)], 1, 2, log=True) == [["a", "b"]]
    line = np.column_stack([x, x])
    assert legibility.overlapping_lines([("bce", [line]), ("mse", [line[::-1] + 0.001])], (1, 1)) == [["bce", "mse"]]
    assert legibility.overlapping_lines([("bce", [line]), ("mse", [line[:25]])], (1, 1)) == []  # half of it only


def test_paths_that_take_the_same_first_steps_are_counted():
    start = np.zeros((1, 2))
    together = np.array([[1.0, 1.0], [2.0, 2.0]])
    first = np.vstack([start, together, [[3.0, 3.0]]])
    second = np.vstack([start, together, [[3.0, 5.0]]])
    assert legibility.shared_steps(first, second, (10, 10)) == 2
    assert legibility.shared_steps(first, first, (10, 10)) == 3
    assert legibility.shared_steps(first, -first, (10, 10)) == 0


def test_sgd_and_momentum_share_their_first_step_on_the_landscape_and_it_is_said(pictures):
    """Their first steps are equal (momentum's buffer starts as the first gradient); the note says only what
    the map shows: the paths lie on one another."""
    figure = pictures["landscape"]
    titles = [" ".join(legend.get_title().get_text().split()) for legend in legends(figure)]
    assert any("On this map, sgd (lr 0.1) and momentum (lr 0.1) lie on one another for the first" in title
               for title in titles)


def test_a_note_goes_to_the_emptiest_corner():
    figure = Figure()
    ax = figure.add_subplot()
    ax.scatter(np.linspace(0, 0.3, 20), np.linspace(0.7, 1, 20))  # the upper left is full
    ax.plot([0.6, 1], [0.9, 1])  # and the upper right crossed
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    assert legibility.emptiest_corner(ax) == "lower left"


def test_a_picture_names_a_data_file_without_the_folders_it_is_in(tmp_path):
    """Pictures are shared: a CSV given by its absolute path is named by its own name only."""
    from matplotlib.text import Text

    import lossplay
    from lossplay import plots

    folder = tmp_path / "home" / "teacher" / "week-07"
    folder.mkdir(parents=True)
    csv = folder / "heights.csv"
    csv.write_text("x,y\n" + "".join(f"{i},{2 * i + 1 + (i % 3) * 0.1}\n" for i in range(20)))
    run = lossplay.train(dataset=str(csv), epochs=3)
    for figure in (plots.loss_curve(run), plots.fit(run)):
        texts = " ".join(t.get_text() for t in figure.findobj(Text))
        assert "heights.csv" in texts and "week-07" not in texts
