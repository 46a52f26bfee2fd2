"""The page's building blocks: escaped elements, tables, sections, embedded pictures, the page and its style."""

import base64
import html
from pathlib import Path

from lossplay import __version__
from lossplay.report.reading import cell_number
from lossplay.runs import GENERATOR_META

PICTURE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"GIF87a": "image/gif", b"GIF89a": "image/gif",
                 b"\xff\xd8\xff": "image/jpeg"}


class Html(str):
    """Markup that is already safe: the page's helpers pass it through and escape any other text."""


def escape(value):
    """``value`` as safe markup: Html as it is, anything else as escaped text."""
    if isinstance(value, Html):
        return value
    return Html(html.escape(str(value), quote=True))


def join(parts, separator=""):
    """Several pieces of markup (or texts, escaped) as one."""
    return Html(escape(separator).join(escape(part) for part in parts))


def element(name, *children, **attributes):
    """``<name attributes>children</name>``; attribute values are escaped, and ``class_`` gives class."""
    names = "".join(f' {key.rstrip("_").replace("_", "-")}="{html.escape(str(value), quote=True)}"'
                    for key, value in attributes.items() if value is not None)
    return Html(f"<{name}{names}>{join(children)}</{name}>")


class Pictures:
    """Embeds a folder's pictures as data: URIs, and remembers those that could not be embedded."""

    def __init__(self, folder, listed_in):
        self.folder = Path(folder)
        self.listed_in = listed_in
        self.missing = []

    def data_uri(self, name):
        """(data: URI, None) for a picture of the folder, or (None, why it cannot be shown)."""
        path = self.folder / name
        try:
            path.resolve().relative_to(self.folder.resolve())
        except (ValueError, OSError):
            return None, f"{name} is not inside the folder"
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            return None, f"{name} is listed in {self.listed_in} but is not in the folder"
        except OSError as error:
            return None, f"{name} cannot be read ({error.strerror})"
        kind = next((mime for magic, mime in PICTURE_TYPES.items() if content.startswith(magic)), None)
        if kind is None:
            return None, f"{name} is not a PNG, GIF or JPEG picture"
        return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}", None

    def figure(self, name, title, text=None, compact=False):
        """A picture with its title and, unless compact, what it shows and what to look for."""
        uri, problem = self.data_uri(str(name))
        if uri is None:
            self.missing.append(f"{problem}; it is left out of the report.")
            return element("div", element("strong", title), f": {problem}.", class_="missing")
        caption = [element("strong", title)]
        if text is not None and not compact:
            shows, look_for = text
            caption = [element("p", element("strong", "What it shows: "), shows),
                       element("p", element("strong", "Look for: "), look_for)]
        image = Html(f'<img src="{uri}" alt="{escape(title)}">')
        if compact:  # in a grid, the name goes above its picture, so that it cannot be read as the next one's
            return element("figure", element("figcaption", *caption), image, class_="compact")
        # on paper a GIF shows only its first frame: animations are left out of the printed page
        animated = uri.startswith("data:image/gif")
        return element("figure", image, element("figcaption", *caption), class_="animation" if animated else None)


def table(header, rows, *, class_=None, caption=None):
    """A table; cells that are numbers (or '—') are right-aligned."""
    head = element("tr", *(element("th", cell) for cell in header))
    body = []
    for row in rows:
        cells = []
        for cell in row:
            text = cell if isinstance(cell, Html) else escape(cell)
            numeric = _looks_numeric(cell)
            cells.append(element("td", text, class_="num" if numeric else None))
        body.append(element("tr", *cells))
    parts = ([element("caption", caption)] if caption else []) + [element("thead", head), element("tbody", *body)]
    return element("div", element("table", *parts, class_=class_), class_="scroll")


def _looks_numeric(cell):
    text = str(cell)
    if isinstance(cell, Html):
        text = html.unescape(text.replace("<strong>", "").replace("</strong>", ""))
    return text == "—" or cell_number(text.replace("%", "")) is not None


def key_values(rows):
    """A two-column table of (label, value) rows, leaving out rows whose value is None."""
    shown = [(label, value) for label, value in rows if value is not None]
    body = [element("tr", element("th", label, scope="row"), element("td", value)) for label, value in shown]
    return element("table", element("tbody", *body), class_="keys")


def section(title, *content, id_=None):
    return element("section", element("h2", title), *content, id_=id_)


def paragraph(*content, class_=None):
    return element("p", *content, class_=class_)


def page(title, kind, body, folder, recorded_by=None, extra_style=""):
    """The whole HTML document; ``extra_style`` is CSS added after the page's own."""
    made = f"Made by lossplay {__version__} from the folder {Path(folder).resolve()}"
    if recorded_by and recorded_by != __version__:
        made += f"; the folder was written by lossplay {recorded_by}"
    return Html(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"{GENERATOR_META}\n"
        f"{element('title', f'lossplay {kind}: {title}')}\n<style>{STYLE}{extra_style}</style>\n</head>\n"
        "<body>\n<main>\n"
        f"{element('p', f'lossplay · {kind}', class_='kind')}\n{element('h1', title)}\n{body}\n</main>\n"
        f"{element('footer', made + '.')}\n</body>\n</html>\n")


STYLE = """
:root { color-scheme: light; --ink: #1d2329; --muted: #56606b; --line: #d5dbe1; --soft: #f3f5f7;
  --good: #1e7b34; --bad: #b3261e; --warn: #8a5a00; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main, footer { max-width: 50rem; margin: 0 auto; padding: 0 1rem; }
main { padding-top: 1.5rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0.1rem 0 0.8rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
p { margin: 0.5rem 0; }
.kind { margin: 0; color: var(--muted); font-size: 0.85rem; text-transform: uppercase; letter-spacing: 0.06em; }
.lead { font-size: 1.05rem; }
.note, .files { color: var(--muted); font-size: 0.92rem; }
.status { border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 4px;
  padding: 0.4rem 0.9rem; margin: 1rem 0; background: var(--soft); }
.status p:first-child strong { font-size: 1.1rem; }
.status-completed, .status-early_stopped { border-left-color: var(--good); }
.status-diverged { border-left-color: var(--bad); }
.status-diverged p:first-child strong { color: var(--bad); }
.status-interrupted { border-left-color: var(--warn); }
.scroll { overflow-x: auto; margin: 0.6rem 0; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 0.3rem 0.7rem 0.3rem 0; text-align: left; vertical-align: top; }
thead th { border-bottom: 1.5px solid var(--ink); white-space: nowrap; }
tbody tr + tr td, tbody tr + tr th { border-top: 1px solid var(--line); }
td.num { text-align: right; white-space: nowrap; }
td:last-child, th:last-child { padding-right: 0; }
table.metrics td:last-child { color: var(--muted); font-size: 0.92rem; padding-left: 0.6rem; }
table.comparison td strong { color: var(--good); }
table.comparison td { white-space: nowrap; }
.word-diverged { color: var(--bad); font-weight: 600; }
.warning { border-left: 4px solid var(--warn); padding-left: 0.7rem; }
table.keys { width: 100%; margin: 0.4rem 0; }
table.keys th { font-weight: 600; width: 10.5rem; padding-right: 1rem; }
figure { margin: 1rem 0 1.5rem; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
@media screen and (min-width: 62rem) {
  /* a wide screen shows the pictures wider than the text, so their small print can be read */
  section > figure:not(.compact) { width: min(72rem, 100vw - 3rem); position: relative; left: 50%;
                                   transform: translateX(-50%); }
}
figcaption { font-size: 0.95rem; margin-top: 0.4rem; }
figcaption p { margin: 0.25rem 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1.2rem 0.8rem; }
@media (max-width: 30rem) { .grid { grid-template-columns: 1fr; } }
.grid figure { margin: 0; }
.grid figcaption { margin: 0 0 0.3rem; }
.missing { border: 1px dashed var(--bad); color: var(--bad); padding: 0.5rem 0.8rem; margin: 0.8rem 0;
  border-radius: 4px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 0.6rem 0.8rem;
  white-space: pre-wrap; font-size: 0.9rem; }
pre span { white-space: nowrap; }
td code { white-space: nowrap; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; }
.options { columns: 2 16rem; column-gap: 2rem; font-size: 0.88rem; }
.options table { width: 100%; margin: 0 0 0.8rem; break-inside: avoid; page-break-inside: avoid; }
.options caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
.options th { font-weight: normal; font-family: ui-monospace, Menlo, Consolas, monospace; }
.options td { text-align: right; overflow-wrap: anywhere; }
.options th, .options td { padding: 0.1rem 0.4rem 0.1rem 0; }
footer { margin-top: 2.5rem; padding-top: 0.6rem; padding-bottom: 2rem; border-top: 1px solid var(--line);
  color: var(--muted); font-size: 0.85rem; overflow-wrap: anywhere; }
@media (max-width: 30rem) {
  body { font-size: 15px; }
  h1 { font-size: 1.45rem; }
  table.keys th { width: 35%; }
}
@media print {
  body { font-size: 10.5pt; }
  main, footer { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .status { background: none; }
  .scroll { overflow: visible; }
  figure img { width: auto; max-width: 100%; max-height: 10cm; margin: 0 auto; }
  figure.animation, section.animations { display: none; }
  a { color: inherit; text-decoration: none; }
}
"""
