"""Animated GIFs from a matplotlib figure whose artists change from frame to frame.

A figure is drawn once; each frame then changes some artists and the figure is
drawn again into the same pixel buffer, which becomes one GIF frame. All
frames share one palette taken from the first and the last frame (which hold
every colour of the picture between them), so that unchanged pixels stay the same from frame to
frame and the GIF stores only what changed.
"""

import io

import numpy as np

MAX_FRAMES = 60
FRAME_MS = 120
HOLD_MS = 2500  # the last frame stays up this long before the GIF starts again


def frame_positions(count, frames=MAX_FRAMES):
    """Which of ``count`` states (0 .. count-1) to show, at most ``frames`` of them, always the first and last.

    States are taken densely at first and more sparsely later (geometric
    spacing), because training changes most in its first steps.
    """
    if count <= frames:
        return list(range(count))
    positions = np.unique(np.round(np.geomspace(1, count, frames)).astype(int) - 1)
    while positions.size < frames:  # rounding merged early states: add evenly spaced ones until full
        extra = np.setdiff1d(np.linspace(0, count - 1, frames).round().astype(int), positions)
        positions = np.union1d(positions, extra[: frames - positions.size])
    return positions.tolist()


def gif_bytes(figure, draw_frame, frames, animated=(), colors=(), frame_ms=FRAME_MS, hold_ms=HOLD_MS):
    """Render ``draw_frame(frame)`` for each frame on ``figure`` and return the frames as a looping GIF.

    When ``draw_frame`` changes only the ``animated`` artists, the rest of the
    figure is drawn once and each frame draws those artists, in order, over a
    copy of it (blitting). ``draw_frame`` may instead return the list of artists
    to draw for its frame (the animated ones and any made for that frame alone),
    in the order they stack. Without ``animated`` the whole figure is drawn for
    every frame. ``colors`` (matplotlib colour names or hex codes) are kept
    exactly in the GIF's 256-colour palette: the colours that tell lines and
    markers apart, which a palette fitted to the pixels could merge.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    from lossplay.plots import printable_texts

    printable_texts(figure)
    canvas = FigureCanvasAgg(figure)
    draw_frame(frames[-1])  # the layout makes room for everything as it is at the end...
    for artist in animated:
        artist.set_animated(True)
    canvas.draw()
    figure.set_layout_engine("none")  # ...and then stays put: no frame pays for the layout again
    background = canvas.copy_from_bbox(figure.bbox) if animated else None
    images = []
    for frame in frames:
        drawn = draw_frame(frame)
        if background is None:
            canvas.draw()
        else:
            canvas.restore_region(background)
            for artist in animated if drawn is None else drawn:
                figure.draw_artist(artist)
        images.append(Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3].copy()))
    palette = _palette(images[0], images[-1], colors)
    frames_p = [image.quantize(palette=palette, dither=Image.Dither.NONE) for image in images]
    buffer = io.BytesIO()
    durations = [frame_ms] * (len(frames_p) - 1) + [hold_ms]
    frames_p[0].save(buffer, format="GIF", save_all=True, append_images=frames_p[1:], duration=durations,
                     loop=0, optimize=False, disposal=1)
    return buffer.getvalue()


def _palette(first, last, colors):
    """One palette for every frame: ``colors`` exactly, then the colours the first and last frames use most
    (between them they hold every colour of the picture)."""
    from matplotlib.colors import to_rgb
    from PIL import Image

    exact = list(dict.fromkeys(tuple(round(255 * c) for c in to_rgb(color)) for color in colors))[:64]
    both = Image.new("RGB", (first.width, 2 * first.height))
    both.paste(first, (0, 0))
    both.paste(last, (0, first.height))
    fitted = both.quantize(colors=256 - len(exact), method=Image.Quantize.MEDIANCUT).getpalette()
    entries = [value for rgb in exact for value in rgb] + fitted[: 3 * (256 - len(exact))]
    palette = Image.new("P", (1, 1))
    palette.putpalette(entries + [0] * (768 - len(entries)))
    return palette
