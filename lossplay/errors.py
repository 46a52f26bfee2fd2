"""The two ways a lossplay command can fail on purpose, and how a message names an option.

``LossplayError`` is a problem with what the user asked for (an option out of
range, a file that cannot be read, a loss that does not fit the data). The
command line prints its message as one ``Error: ...`` line and exits with
code 2. Messages say what was expected, what arrived and how to fix it.

A message names an option the way its reader gave it: ``lr``, ``batch_size``
and ``outliers=True`` for the Python API, ``--lr``, ``--batch-size`` and
``--outliers`` on the command line. Every message spells its options with
``spell``; the command line asks for its flags while it runs a command
(``flags_spelled``), and each API function puts its own name in front of the
messages it raises (``called_as``): ``lossplay.train: lr must be > 0, got -1.``
"""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar


class LossplayError(ValueError):
    """Bad input: the command line shows ``Error: <message>`` and exits with 2. A ``ValueError``, so that a loss
    or an optimizer built by hand with an option out of range raises what numerical code expects."""


class TrainingDiverged(Exception):
    """Raised by callers that treat a diverged run as a failure (exit code 3)."""


def did_you_mean(name, choices):
    """' Did you mean 'x'?' naming the closest of ``choices``, or '' when none is close."""
    import difflib

    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1, cutoff=0.5)
    return f" Did you mean '{close[0]}'?" if close else ""


def flag_name(name: str) -> str:
    """The command-line spelling of an option: batch_size -> --batch-size."""
    return "--" + name.replace("_", "-")


# True while the command line runs a command: messages then name its flags
_FLAGS: ContextVar[bool] = ContextVar("lossplay_flags", default=False)
_NO_VALUE = object()


def spell(name: str, value: object = _NO_VALUE, text: str | None = None) -> str:
    """An option as the reader of a message gave it: ``lr`` from Python, ``--lr`` on the command line.

    With a value, the setting: ``lr=0.1``, ``loss='cce'``, ``outliers=True`` from Python; ``--lr 0.1``,
    ``--loss cce``, ``--outliers`` (``--no-shuffle`` for False) on the command line. ``text`` writes the
    value another way than Python does (``f"{lr:g}"``), for both.
    """
    if getattr(value, "shape", None) == () and hasattr(value, "item"):
        value = value.item()  # a numpy number: the Python number it holds
    if value is _NO_VALUE:
        return flag_name(name) if _FLAGS.get() else name
    if not _FLAGS.get():
        return f"{name}={repr(value) if text is None else text}"
    if isinstance(value, bool):
        return flag_name(name) if value else flag_name(f"no_{name}")
    return f"{flag_name(name)} {value if text is None else text}"


def spell_settings(**values: object) -> str:
    """Several settings as the reader would write them: ``--loss bce --dataset blobs`` on the command line,
    ``loss='bce', dataset='blobs'`` from Python (see ``spell``)."""
    return (" " if _FLAGS.get() else ", ").join(spell(name, value) for name, value in values.items())


def spelling_flags() -> bool:
    """True when messages name the command line's flags (see ``flags_spelled``)."""
    return _FLAGS.get()


@contextlib.contextmanager
def flags_spelled() -> Iterator[None]:
    """Within it, messages name options as the command line's flags (``--batch-size``)."""
    token = _FLAGS.set(True)
    try:
        yield
    finally:
        _FLAGS.reset(token)


@contextlib.contextmanager
def called_as(origin: str) -> Iterator[None]:
    """A ``LossplayError`` raised within it begins with ``origin``, the API function that was called
    ('lossplay.train: lr must be > 0, got -1.'), unless it names it already. On the command line, whose
    messages name its flags, it stays as it is."""
    try:
        yield
    except LossplayError as error:
        text = str(error)
        if not _FLAGS.get() and not text.startswith(origin):
            error.args = (f"{origin}: {text}", *error.args[1:])
        raise
