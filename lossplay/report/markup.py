"""The page's building blocks: escaped elements, tables, sections, embedded pictures, the page and its style."""

import base64
import html
import shlex
from pathlib import Path

from lossplay.report.paths import file_name
from lossplay.report.reading import cell_number
from lossplay.report.style import STYLE
from lossplay.runs import GENERATOR_META
from lossplay.version import __version__

PICTURE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"GIF87a": "image/gif", b"GIF89a": "image/gif",
                 b"\xff\xd8\xff": "image/jpeg"}


class Html(str):
    """Markup that is already safe: the page's helpers pass it through and escape any other text."""


def escape(value):
    """``value`` as safe markup: Html as it is, anything else as escaped text."""
    if isinstance(value, Html):
        return value
    return Html(html.escape(str(value), quote=True))


def breakable(text):
    """Text as markup that a narrow column may break after each underscore (``living_area_square_metres``),
    where a browser would otherwise find no place to break it."""
    return Html(escape(text).replace("_", "_<wbr>"))


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
        if compact:  # one of several: the name goes above its picture, so that it cannot be read as the next one's
            return element("figure", element("figcaption", *caption), image, class_="compact")
        # on paper a GIF shows only its first frame: animations are left out of the printed page
        animated = uri.startswith("data:image/gif")
        return element("figure", image, element("figcaption", *caption), class_="animation" if animated else None)


def table(header, rows, *, label, class_=None, caption=None):
    """A table; cells that are numbers (or '—') are right-aligned.

    It sits in a box that scrolls sideways when the table is wider than the page (a phone), with a shadow
    at the side that has more to show and, where the browser can tell, the words "scroll sideways". The
    box is a region named ``label`` that the keyboard can reach and scroll.
    """
    head = element("tr", *(element("th", cell, scope="col") for cell in header))
    body = []
    for row in rows:
        cells = []
        for cell in row:
            text = cell if isinstance(cell, Html) else escape(cell)
            numeric = _looks_numeric(cell)
            cells.append(element("td", text, class_="num" if numeric else None))
        body.append(element("tr", *cells))
    parts = ([element("caption", caption)] if caption else []) + [element("thead", head), element("tbody", *body)]
    hint = element("p", "scroll sideways →", class_="scroll-hint", aria_hidden="true")
    return element("div", hint, element("table", *parts, class_=class_), class_="scroll", role="region",
                   aria_label=label, tabindex="0")


def _looks_numeric(cell):
    text = str(cell)
    if isinstance(cell, Html):
        text = html.unescape(text.replace("<strong>", "").replace("</strong>", ""))
    return text == "—" or cell_number(text.replace("%", "")) is not None


def command(words: list[str]) -> Html:
    """A command line as markup: the program's words, then each option with its values, in spans of class
    ``word`` that a narrow page moves to the next line whole and breaks only when one is wider than a line."""
    groups: list[list[str]] = []
    for word in words:
        if groups and not word.startswith("--"):
            groups[-1].append(word)
        else:
            groups.append([word])
    return join([element("span", shlex.join(group), class_="word") for group in groups], " ")


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
    # the folder by its own name: the folders above it are the teacher's machine's, not the reader's
    made = f"Made by lossplay {__version__} from the folder {file_name(Path(folder).resolve())}"
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
