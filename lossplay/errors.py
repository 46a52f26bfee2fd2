"""The two ways a lossplay command can fail on purpose.

``LossplayError`` is a problem with what the user asked for (an option out of
range, a file that cannot be read, a loss that does not fit the data). The
command line prints its message as one ``Error: ...`` line and exits with
code 2. Messages say what was expected, what arrived and how to fix it.
"""


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
