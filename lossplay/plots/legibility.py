"""What keeps a picture readable, measured from what it draws: which lines lie on one another, whether a
fitted line is in view at all, and where a note can sit without covering data (a corner of the axes, or
under the title of an animation's panel).

Nothing here chooses colours: that is the palette's job, in ``lossplay.plots``.
"""

import textwrap

import numpy as np

OVERLAP_SHARE = 0.01  # lines closer than this share of the axis range everywhere look like one (about a line width)
VISIBLE_SHARE = 0.1  # a line with less of its length than this inside the axes is shown as off the picture
CORNERS = ("upper right", "upper left", "lower left", "lower right")


def overlapping(curves, low, high, log=False):
    """The groups of names whose curves lie on one another: ``curves`` is [(name, values)] over one shared x
    grid, and two curves overlap when, wherever both are finite, they are closer than OVERLAP_SHARE of the
    axis range (low, high). On a log axis (``log``) the distances are measured in decades."""
    span = (np.log10(high) - np.log10(low)) if log else (high - low)
    if not np.isfinite(span) or span <= 0:
        return []
    values = []
    for _, ys in curves:
        ys = np.asarray(ys, dtype=float)
        with np.errstate(all="ignore"):
            values.append(np.log10(np.where(ys > 0, ys, np.nan)) if log else ys)

    def close(i, j):
        both = np.isfinite(values[i]) & np.isfinite(values[j])
        return both.any() and np.max(np.abs(values[i][both] - values[j][both])) < OVERLAP_SHARE * span

    return _groups([name for name, _ in curves], close)


def overlapping_lines(lines, spans):
    """The groups of names whose drawn lines lie on one another wherever they go: ``lines`` is
    [(name, pieces)], each piece a polyline (rows of x, y: a boundary's contour, say), and two overlap when
    every point along each is within OVERLAP_SHARE of the axes' ``spans`` (one per coordinate) of a point
    along the other."""
    scale = OVERLAP_SHARE * np.asarray(spans, dtype=float)

    def along(name_pieces, step):  # points along a line, in units of the tolerance, no two more than step apart
        dense = [_densified(np.asarray(piece, dtype=float) / scale, step) for piece in name_pieces[1] if len(piece)]
        return np.vstack(dense) if dense else np.empty((0, 2))

    coarse, fine = [along(line, 1.0) for line in lines], [along(line, 0.25) for line in lines]

    def near(i, j):  # every point along line i within one unit of the line j (to a quarter of a unit)
        a, b = coarse[i], fine[j]
        squared = (a[:, None, 0] - b[None, :, 0]) ** 2 + (a[:, None, 1] - b[None, :, 1]) ** 2
        return bool(np.all(squared.min(axis=1) < 1))

    def close(i, j):
        return len(coarse[i]) > 0 and len(coarse[j]) > 0 and near(i, j) and near(j, i)

    return _groups([name for name, _ in lines], close)


def shared_steps(first, second, spans):
    """How many updates two optimizer paths (rows of points, the start first) take on top of one another
    from the start: their points closer than OVERLAP_SHARE of the axes' ``spans`` (one per coordinate)."""
    count = min(len(first), len(second))
    with np.errstate(invalid="ignore"):
        apart = ~(np.abs(first[:count] - second[:count]) < OVERLAP_SHARE * np.asarray(spans, dtype=float))
    differs = apart.any(axis=1)
    together = int(np.argmax(differs)) if differs.any() else count  # points 0 .. together-1 coincide
    return max(together - 1, 0)


def _groups(names, close):
    """``names`` gathered into groups of two or more, joined where ``close(i, j)`` holds for their indices
    (one group for all that are linked through others); groups in the order of their first name."""
    group_of = list(range(len(names)))  # each name starts in its own group
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if group_of[i] != group_of[j] and close(i, j):
                old, new = group_of[j], group_of[i]
                group_of = [new if g == old else g for g in group_of]
    groups = {}
    for index, group in enumerate(group_of):
        groups.setdefault(group, []).append(names[index])
    return [members for members in groups.values() if len(members) > 1]


def overlap_note(groups):
    """'mae and huber overlap', one clause per group of ``overlapping``, or None when nothing overlaps."""
    if not groups:
        return None
    clauses = [", ".join(names[:-1]) + " and " + names[-1] + " overlap" for names in groups]
    return "; ".join(clauses) + (": one line lies on the other" if len(groups) == 1 and len(groups[0]) == 2
                                 else ": their lines lie on one another")


def in_view(values, low, high):
    """True when at least VISIBLE_SHARE of ``values`` (a line sampled evenly over the x axis) lies between
    ``low`` and ``high``: a steeper line would cross the picture as a near-vertical stroke."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        inside = np.isfinite(values) & (values >= low) & (values <= high)
    return values.size > 0 and inside.mean() >= VISIBLE_SHARE


def drawn_points(ax):
    """Where the axes' lines and markers are, in axes coordinates (0 to 1 inside the axes): every scatter
    point, and points along each line at least every 1% of the axes (so that a straight line of two points
    counts where it passes)."""
    from matplotlib.collections import PathCollection

    ax.get_xlim(), ax.get_ylim()  # asking for the limits settles them (autoscaling is lazy)
    to_axes = ax.transAxes.inverted()
    chunks = [np.empty((0, 2))]
    for line in ax.get_lines():
        xy = np.asarray(line.get_xydata(), dtype=float)
        if not xy.size:
            continue
        points = to_axes.transform(line.get_transform().transform(xy))
        if line.get_linestyle() not in ("None", "", " ") and len(points) > 1:
            points = _densified(points, step=0.01)
        chunks.append(points)
    for collection in ax.collections:
        if isinstance(collection, PathCollection) and len(collection.get_offsets()):
            offsets = np.asarray(collection.get_offsets(), dtype=float)
            chunks.append(to_axes.transform(collection.get_offset_transform().transform(offsets)))
    points = np.vstack(chunks)
    return points[np.isfinite(points).all(axis=1)]


def _densified(points, step):
    """The polyline ``points`` with extra points on each segment, no two more than ``step`` apart (at most
    1000 on a segment); segments with an end that is not finite are left out."""
    finite = np.isfinite(points).all(axis=1)
    whole = finite[:-1] & finite[1:]
    starts, ends = points[:-1][whole], points[1:][whole]
    if not len(starts):
        return points[finite]
    counts = np.clip(np.ceil(np.hypot(*(ends - starts).T) / step), 1, 1000).astype(int)
    segment = np.repeat(np.arange(len(starts)), counts)
    along = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)  # 0 .. count-1 on each
    share = along / counts[segment]  # each segment from its start up to (not including) its end
    return np.vstack([starts[segment] + share[:, None] * (ends - starts)[segment], ends[-1:]])


def emptiest_corner(ax, width=0.42, height=0.3):
    """The corner of ``ax`` ('upper right', 'upper left', 'lower left' or 'lower right') whose box of
    ``width`` by ``height`` (shares of the axes) holds the fewest of its drawn points; the first of CORNERS
    wins a tie."""
    points = drawn_points(ax)
    x, y = points[:, 0], points[:, 1]
    counts = []
    for corner in CORNERS:
        in_x = (x >= 1 - width) & (x <= 1) if corner.endswith("right") else (x >= 0) & (x <= width)
        in_y = (y >= 1 - height) & (y <= 1) if corner.startswith("upper") else (y >= 0) & (y <= height)
        counts.append(int(np.sum(in_x & in_y)))
    return CORNERS[int(np.argmin(counts))]


def corner_note(ax, text, color="0.15", fontsize=11):
    """``text`` in a white box in the emptiest corner of ``ax`` (as large as the text needs), measured from
    what is drawn so far: call it after the data, with the limits set. Returns the artist."""
    from matplotlib.offsetbox import AnchoredText

    note = AnchoredText(text, loc=emptiest_corner(ax, *_room_for(ax, text, fontsize)), frameon=True, borderpad=0.6,
                        prop={"fontsize": fontsize, "color": color})
    note.patch.set(facecolor="white", edgecolor=color, alpha=0.92, boxstyle="round,pad=0.3")
    note.set_zorder(8)
    ax.add_artist(note)
    return note


def _room_for(ax, text, fontsize):
    """About how much of the axes (width, height shares) a note of ``text`` takes, its margins included; at
    least a small corner."""
    lines = text.split("\n")
    box = ax.get_position()  # shares of the figure (the layout may move them a little later)
    figure = ax.figure.figure  # the whole figure, also for the axes of a subfigure
    width_points, height_points = box.width * figure.get_figwidth() * 72, box.height * figure.get_figheight() * 72
    width = (max(len(line) for line in lines) * 0.55 * fontsize + 3 * fontsize) / width_points
    height = (len(lines) * 1.25 * fontsize + 2.5 * fontsize) / height_points
    return min(max(width, 0.3), 1.0), min(max(height, 0.15), 1.0)


class FrameNote:
    """A note under an axes' title that an animation changes from frame to frame: which lines are left out,
    which lie on one another. It sits outside the axes, so it covers no data, and always takes LINES lines
    (blank ones when there is little or nothing to say), so that a layout made once holds for every frame.
    ``artist`` is the title to draw again for each frame."""

    LINES = 2
    WIDTH = 64  # characters on a line

    def __init__(self, ax, title, fontsize):
        self.title = title
        self.artist = ax.set_title(self._text([]), fontsize=fontsize)

    def _text(self, parts):
        words = " · ".join(part.replace("\n", " ") for part in parts if part)
        lines = textwrap.wrap(words, self.WIDTH, max_lines=self.LINES, placeholder=" …") if words else []
        return "\n".join([self.title, *lines, *[" "] * (self.LINES - len(lines))])

    def show(self, *parts):
        """Say ``parts`` (texts, or None for nothing) under the title, one after the other."""
        self.artist.set_text(self._text(parts))
