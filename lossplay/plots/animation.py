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


def gif_bytes(figure, draw_frame, frames, animated=(), frame_ms=FRAME_MS, hold_ms=HOLD_MS):
    """Render ``draw_frame(frame)`` for each frame on ``figure`` and return the frames as a looping GIF.

    When ``draw_frame`` changes only the ``animated`` artists (and any artists
    it returns, made for that frame), the rest of the figure is drawn once and
    each frame draws those artists over a copy of it (blitting); without
    ``animated`` the whole figure is drawn for every frame.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = FigureCanvasAgg(figure)
    draw_frame(frames[-1])  # the layout makes room for everything as it is at the end...
    for artist in animated:
        artist.set_animated(True)
    canvas.draw()
    figure.set_layout_engine("none")  # ...and then stays put: no frame pays for the layout again
    background = canvas.copy_from_bbox(figure.bbox) if animated else None
    images = []
    for frame in frames:
        made = draw_frame(frame) or ()
        if background is None:
            canvas.draw()
        else:
            canvas.restore_region(background)
            for artist in (*animated, *made):
                figure.draw_artist(artist)
        images.append(Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3].copy()))
    # one palette for every frame, from the first and the last (between them they hold every colour)
    both = Image.new("RGB", (images[0].width, 2 * images[0].height))
    both.paste(images[0], (0, 0))
    both.paste(images[-1], (0, images[0].height))
    palette = both.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    frames_p = [image.quantize(palette=palette, dither=Image.Dither.NONE) for image in images]
    buffer = io.BytesIO()
    durations = [frame_ms] * (len(frames_p) - 1) + [hold_ms]
    frames_p[0].save(buffer, format="GIF", save_all=True, append_images=frames_p[1:], duration=durations,
                     loop=0, optimize=False, disposal=1)
    return buffer.getvalue()
