"""Does a handout fit a phone? Open report.html pages in headless Chromium at a width and measure them.

    python scripts/handout_layout.py                  # every kind of folder, at 1280 and 400 px
    python scripts/handout_layout.py --out shots      # and keep the folders and full-page screenshots there
    python scripts/handout_layout.py --widths 360,1280

It makes a run, a run on a CSV file given by its absolute path, a comparison, a
landscape and a learning-rate search inside a teacher's nested folder
(``home/teacher/courses/2026-autumn/week-07-losses/lab/runs/...``), writes each one's
report.html and opens it at every width, with every ``<details>`` open. A page fits
when nothing but the inside of a table's scrolling box is wider than the window, no
command scrolls inside its box, and every table box that scrolls shows that it does
and can be reached with the keyboard. It prints one line per page and width, and
exits with 1 when a page does not fit, 2 when no Chromium is installed.

Chromium is driven over its DevTools pipe (``--remote-debugging-pipe``), which sets
the window's width exactly (``--window-size`` stops at 500 px) and emulates a phone
below 600 px. tests/test_report_layout.py runs the same checks.
"""

import argparse
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PHONE_WIDTH = 600  # narrower windows are emulated as a phone's screen (touch, the page's viewport tag)
TIMEOUT = 30.0  # seconds Chromium may take to answer one request

# the teacher's folder the example runs are made in, below a base folder
TEACHER_FOLDER = Path("home/teacher/courses/2026-autumn/week-07-losses/lab")
CSV_NAME = "house-prices-by-neighbourhood-2026-autumn-cleaned.csv"
KINDS = ("run", "csv run", "comparison", "landscape", "lr-find")  # the example folders, by what they hold

# measured in the page: its widths, what sticks out of the window, the table boxes, the commands that scroll
MEASURE = """
(async () => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  // a box's scroll state reaches its style a frame after layout: wait two frames
  for (let frame = 0; frame < 2; frame++) { await new Promise(done => requestAnimationFrame(done)); }
  const width = document.documentElement.clientWidth;
  const name = el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '');
  const sticksOut = [...document.body.querySelectorAll('*')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5) && !el.closest('.scroll');
  }).map(el => name(el) + ': ' + (el.textContent || '').trim().slice(0, 80));
  const boxes = [...document.querySelectorAll('.scroll')].map(box => {
    const hint = box.querySelector('.scroll-hint');
    return {label: box.getAttribute('aria-label'), role: box.getAttribute('role'),
            scrolls: box.scrollWidth > box.clientWidth + 1, focusable: box.tabIndex === 0,
            hint: hint !== null && getComputedStyle(hint).display !== 'none',
            shadow: getComputedStyle(box).backgroundImage.includes('gradient')};
  });
  const commands = [...document.querySelectorAll('pre, code')].filter(el => el.scrollWidth > el.clientWidth + 1)
    .map(el => el.textContent.trim().slice(0, 80));
  const pictures = [...document.images].map(img => ({alt: img.alt, width: img.getBoundingClientRect().width}));
  return JSON.stringify({scrollWidth: document.documentElement.scrollWidth, width, sticksOut, boxes, commands,
                         pictures});
})()
"""


def find_chromium():
    """The path of a Chromium (or Chrome) on this machine, or None."""
    return next((path for path in map(shutil.which, CHROMIUM_NAMES) if path), None)


class Browser:
    """One headless Chromium, driven over its DevTools pipe: open a page at a width, measure it, take a picture."""

    def __init__(self, binary=None):
        binary = binary or find_chromium()
        if binary is None:
            raise FileNotFoundError("no Chromium is installed (apt-get install chromium)")
        self.profile = tempfile.TemporaryDirectory(prefix="handout-chromium-")
        to_chromium, from_chromium = os.pipe(), os.pipe()
        # Chromium reads requests from its fd 3 and writes answers to its fd 4: move the pipe's ends above
        # both numbers first, so that placing them cannot overwrite each other
        reads = os.dup(to_chromium[0]) if to_chromium[0] < 5 else to_chromium[0]
        writes = os.dup(from_chromium[1]) if from_chromium[1] < 5 else from_chromium[1]
        while reads < 5:
            reads = os.dup(reads)
        while writes < 5:
            writes = os.dup(writes)

        def place_pipe():
            os.dup2(reads, 3)
            os.dup2(writes, 4)

        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
             "--remote-debugging-pipe", f"--user-data-dir={self.profile.name}", "about:blank"],
            pass_fds=(3, 4, reads, writes), preexec_fn=place_pipe,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for fd in {to_chromium[0], from_chromium[1], reads, writes}:
            os.close(fd)
        self.requests, self.answers = to_chromium[1], from_chromium[0]
        self.last_id, self.unread, self.events = 0, b"", []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Ask Chromium to quit; end it if it does not."""
        try:
            self.send("Browser.close")
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self.requests, self.answers):
            try:
                os.close(fd)
            except OSError:
                pass
        self.profile.cleanup()

    def send(self, method, session=None, **params):
        """Send one DevTools request and return its result (events that arrive meanwhile are kept)."""
        self.last_id += 1
        message = {"id": self.last_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.requests, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._receive()
            if answer.get("id") == self.last_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, event):
        """The next event of that name."""
        for i, seen in enumerate(self.events):
            if seen.get("method") == event:
                return self.events.pop(i)
        while True:
            answer = self._receive()
            if answer.get("method") == event:
                return answer
            self.events.append(answer)

    def _receive(self):
        while b"\0" not in self.unread:
            ready, _, _ = select.select([self.answers], [], [], TIMEOUT)
            if not ready:
                raise TimeoutError(f"Chromium did not answer within {TIMEOUT:g} s")
            chunk = os.read(self.answers, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed its pipe")
            self.unread += chunk
        message, _, self.unread = self.unread.partition(b"\0")
        return json.loads(message)

    def open(self, page, width, height=900):
        """Open a file in a new tab whose window is ``width`` CSS pixels wide; returns the tab's session."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Emulation.setDeviceMetricsOverride", session, width=width, height=height, deviceScaleFactor=1,
                  mobile=width < PHONE_WIDTH)
        self.send("Page.enable", session)
        self.send("Page.navigate", session, url=Path(page).resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        return session, target

    def measure(self, page, width, screenshot=None):
        """The layout facts of a page at ``width`` (see MEASURE), every ``<details>`` open; with
        ``screenshot``, a PNG of the whole page is written there."""
        session, target = self.open(page, width)
        try:
            result = self.send("Runtime.evaluate", session, expression=MEASURE, returnByValue=True,
                               awaitPromise=True)
            facts = json.loads(result["result"]["value"])
            if screenshot is not None:
                size = self.send("Page.getLayoutMetrics", session)["cssContentSize"]
                picture = self.send("Page.captureScreenshot", session, format="png", captureBeyondViewport=True,
                                    clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                                          "scale": 1})
                Path(screenshot).write_bytes(base64.b64decode(picture["data"]))
            return facts
        finally:
            self.send("Target.closeTarget", targetId=target)


def problems(facts):
    """What a student would find broken on the page measured: a list of sentences, empty when it fits."""
    found = []
    if facts["scrollWidth"] > facts["width"]:
        found.append(f"the page is {facts['scrollWidth']} px wide in a {facts['width']} px window")
    found += [f"sticks out of the window: {what}" for what in facts["sticksOut"]]
    found += [f"a command scrolls instead of wrapping: {text}" for text in facts["commands"]]
    for box in facts["boxes"]:
        if not (box["focusable"] and box["role"] == "region" and box["label"]):
            found.append(f"a table box is not a named region the keyboard can reach: {box['label']}")
        if box["scrolls"] and not (box["hint"] and box["shadow"]):
            found.append(f"a table scrolls sideways without showing it: {box['label']}")
    found += [f"a picture is wider than the window: {p['alt']}" for p in facts["pictures"]
              if p["width"] > facts["width"]]
    return found


def make_folders(base):
    """{kind: folder} of the example folders, made inside the teacher's nested folder below ``base``, each
    with its report.html: a run, a run on a CSV file given by its absolute path, a comparison, a landscape and
    a learning-rate search on that CSV file (whose suggested command names it)."""
    import numpy as np

    import lossplay

    lab = Path(base).resolve() / TEACHER_FOLDER
    (lab / "data").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1)
    area, rooms, distance = rng.uniform(40, 250, 300), rng.integers(1, 6, 300), rng.uniform(0, 30, 300)
    price = 2.1 * area + 15 * rooms - 1.2 * distance + 50 + rng.normal(0, 20, 300)
    csv = lab / "data" / CSV_NAME
    csv.write_text("living_area_square_metres,number_of_bedrooms,distance_to_city_centre_km,"
                   "price_thousands_of_euros\n"
                   + "".join(f"{a:.1f},{r},{d:.2f},{p:.1f}\n" for a, r, d, p in zip(area, rooms, distance, price)))
    runs = lab / "runs"
    folders = {
        "run": runs / "week07-huber-adam-outliers-session-2",
        "csv run": runs / "house-prices-sgd-momentum-step-schedule-early-stopping",
        "comparison": runs / "compare-mse-mae-huber-on-outliers-for-the-thursday-group",
        "landscape": runs / "landscape-mae-outliers-four-optimizers",
        "lr-find": runs / "lr-find-house-prices-adam-before-the-homework",
    }
    lossplay.train(loss="huber", optimizer="adam", outliers=True, epochs=40, out=str(folders["run"]), force=True)
    lossplay.train(dataset=str(csv), optimizer="sgd", momentum=0.9, lr_schedule="step", patience=10, epochs=60,
                   out=str(folders["csv run"]), force=True)
    lossplay.compare(losses=["mse", "mae", "huber"], outliers=True, epochs=30, out=str(folders["comparison"]),
                     force=True)
    lossplay.landscape(loss="mae", outliers=True, steps=30, grid=41).save(str(folders["landscape"]), force=True)
    lossplay.lr_find(dataset=str(csv), optimizer="adam", out=str(folders["lr-find"]), force=True)
    for folder in folders.values():
        lossplay.write_report(folder, force=True)
    return folders


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="keep the example folders and the screenshots in this folder")
    parser.add_argument("--widths", default="1280,400", help="window widths in CSS pixels (default: 1280,400)")
    args = parser.parse_args(argv)
    if find_chromium() is None:
        print("No Chromium is installed (apt-get install chromium): nothing was checked.", file=sys.stderr)
        return 2
    widths = [int(width) for width in args.widths.split(",")]
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(args.out) if args.out else Path(scratch)
        folders = make_folders(base)
        shots = base / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        failed = False
        with Browser() as browser:
            for kind, folder in folders.items():
                for width in widths:
                    picture = shots / f"{kind.replace(' ', '-')}-{width}.png" if args.out else None
                    found = problems(browser.measure(folder / "report.html", width, picture))
                    failed = failed or bool(found)
                    print(f"{kind:>10} at {width:>4} px: " + ("fits" if not found else "; ".join(found)))
        if args.out:
            print(f"Screenshots in {shots}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
