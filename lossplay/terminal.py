"""What a terminal can take: its encoding, its control sequences, and a reader that goes away.

- A terminal whose encoding lacks a character lossplay prints (σ, ², →, ‖, box
  lines) gets an ASCII spelling of it (sigma, ^2, ->, |, -) instead of an
  encoding error: ``plain_spellings`` sets this up for sys.stdout and sys.stderr,
  so rich's console and click's messages alike are covered. Characters outside
  the table lose their accents (é -> e) or become '?'.
- A name read from a file (a CSV header, a class label, a path) may hold control
  characters that would retitle or clear the terminal: ``printable`` shows them
  escaped (\\x1b) instead.
- When the reader of a pipe goes away (``lossplay train | head -1``), ``silence``
  points the stream at the null device, so nothing more is printed, the work goes
  on, and the interpreter's last flush at exit raises nothing.

Standard library only: the command line imports it before anything else.
"""

import codecs
import os
import unicodedata

ERRORS = "lossplay-ascii"

# the characters lossplay's own text uses, spelt in ASCII
ASCII_SPELLINGS = {
    "²": "^2", "ᵀ": "^T", "⁹": "^9", "₁": "1", "₂": "2", "½": "1/2", "\u0302": "^",
    "−": "-", "—": "-", "–": "-", "×": "x", "±": "+/-", "√": "sqrt", "∂": "d", "≈": "~", "≤": "<=", "≥": ">=",
    "‖": "|", "…": "...", "•": "*", "✗": "x", "✓": "v", "→": "->", "←": "<-", "↓": "v", "↑": "^",
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "eps", "θ": "theta", "λ": "lambda",
    "μ": "mu", "π": "pi", "ρ": "rho", "σ": "sigma", "Σ": "sum", "τ": "tau", "β₁": "beta1", "β₂": "beta2",
    "‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " ",
}
# a sample of them: a stream that can encode these needs no spelling out
_SAMPLE = "σ²→‖−━"

# invisible marks that reorder the text around them (escaped by printable, like the control characters)
_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def ascii_spelling(char):
    """One character in ASCII: its spelling from the table, a box line as -, | or +, a letter without its
    accent, else '?'."""
    if char in ASCII_SPELLINGS:
        return ASCII_SPELLINGS[char]
    if char == "·":
        return "*"
    name = unicodedata.name(char, "")
    if name.startswith("BOX DRAWINGS"):
        words = set(name.split())
        if "AND" not in words and words & {"HORIZONTAL", "LEFT", "RIGHT"}:
            return "-"
        if "AND" not in words and words & {"VERTICAL", "UP", "DOWN"}:
            return "|"
        return "+"
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    return plain or "?"


def _spell(error):
    """Codec error handler: the first character the encoding cannot take, spelt in ASCII.

    A spelling that is a word (sigma, sqrt, 1/2) is kept apart from a letter that follows it
    ('μb' becomes 'mu b', not 'mub'); a middle dot is a product between factors ('w·x': 'w*x')
    and a plain dot between words ('epoch 1 · lr 0.1': 'epoch 1 . lr 0.1').
    """
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text, start = error.object, error.start
    char = text[start]
    if 0xDC80 <= ord(char) <= 0xDCFF:  # a byte the locale could not decode (in a file name): shown as \xNN
        return f"\\x{ord(char) - 0xDC00:02x}", start + 1
    end = start + 1
    pair = text[start:start + 2]
    if len(pair) == 2 and pair in ASCII_SPELLINGS:
        end = start + 2
        spelling = ASCII_SPELLINGS[pair]
    elif char == "·":
        spaced = 0 < start and text[start - 1] == " " and text[end:end + 1] == " "
        spelling = "." if spaced else "*"
    else:
        spelling = ascii_spelling(char)
    if len(spelling) > 1 and spelling[-1].isalnum() and text[end:end + 1].isalnum():
        spelling += " "
    return spelling, end


codecs.register_error(ERRORS, _spell)


def needs_spelling(encoding):
    """True when text in ``encoding`` cannot hold the characters lossplay prints."""
    try:
        _SAMPLE.encode(encoding or "ascii")
    except UnicodeEncodeError:
        return True
    except LookupError:
        return False
    return False


def plain_spellings(*streams):
    """Let each text stream whose encoding lacks lossplay's characters write their ASCII spellings instead
    of failing; a stream that can take them (UTF-8) is left as it is."""
    for stream in streams:
        if needs_spelling(getattr(stream, "encoding", None)) and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors=ERRORS)
            except (AttributeError, OSError, ValueError):
                pass


def silence(stream):
    """Point the stream's file descriptor at the null device: its reader went away (a closed pipe).

    What is left in the stream's buffer, and anything printed later, goes nowhere, without an error;
    a stream without a file descriptor (a test's capture) is left alone.
    """
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def printable(text):
    """``text`` with its control characters escaped (\\x1b, \\n, \\u202e), the way to print a name read
    from a file: the terminal shows it and does not obey it."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(_escape(char) for char in text)


def _escape(char):
    code = ord(char)
    if code < 0x20 or 0x7F <= code < 0xA0 or code in _BIDI or unicodedata.category(char) in ("Zl", "Zp"):
        return char.encode("unicode_escape").decode("ascii")
    return char
