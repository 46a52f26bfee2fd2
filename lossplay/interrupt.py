"""Ctrl-C and SIGTERM: finish the current step, keep what was recorded, then stop.

The first Ctrl-C (SIGINT) or SIGTERM only sets a flag that the training loop
checks after every step, so the run ends cleanly with status ``interrupted``;
a second one raises ``KeyboardInterrupt`` (``Terminated`` for SIGTERM) at
once, for when even that is too slow. Writing a folder uses the same guard, so
a late signal does not throw away a finished run, and holds both signals off
while the folder's files are swapped, so that a folder is never left half old,
half new. The module imports nothing of lossplay: the loop and the run folder
both build on it.
"""

import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Terminated(KeyboardInterrupt):
    """What SIGTERM raises where Ctrl-C raises ``KeyboardInterrupt``."""


@dataclass
class StopSignal:
    """A flag set from outside (a Ctrl-C or SIGTERM handler) and checked by the loop after every step;
    ``signum`` is the signal that set it."""

    requested: bool = False
    signum: int | None = None


def _in_main_thread():
    return threading.current_thread() is threading.main_thread()


def _raise_for(signum):
    raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


@contextmanager
def _handling(handler, signals=SIGNALS):
    """Install ``handler`` for ``signals``, and the previous handlers again afterwards."""
    previous = {signum: signal.signal(signum, handler) for signum in signals}
    try:
        yield
    finally:
        for signum, old in previous.items():
            if old is not None:  # None: a handler installed outside Python, which cannot be put back
                signal.signal(signum, old)


@contextmanager
def graceful_interrupt():
    """Yield a ``StopSignal`` that a first Ctrl-C or SIGTERM sets; a second one raises at once
    (main thread only; elsewhere the flag stays unset and the signals act as before)."""
    stop = StopSignal()
    if not _in_main_thread():
        yield stop
        return

    def handler(signum, frame):
        if stop.requested:
            _raise_for(signum)
        stop.requested = True
        stop.signum = signum

    with _handling(handler):
        yield stop


@contextmanager
def held_signals():
    """Hold Ctrl-C and SIGTERM off for the block: those that arrive are delivered, in order, to the
    handlers in place once it ends (main thread only)."""
    if not _in_main_thread():
        yield
        return
    held = []
    try:
        with _handling(lambda signum, frame: held.append(signum)):
            yield
    finally:
        for signum in held:
            signal.raise_signal(signum)


@contextmanager
def sigterm_as_interrupt():
    """For the block, SIGTERM raises ``Terminated`` wherever no guard catches it, as Ctrl-C raises
    ``KeyboardInterrupt``, so that the command line can clean up and exit with its own code."""
    if not _in_main_thread():
        yield
        return
    with _handling(lambda signum, frame: _raise_for(signum), signals=(signal.SIGTERM,)):
        yield
