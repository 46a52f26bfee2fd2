"""Ctrl-C during training: finish the current step, keep what was recorded, then stop.

The first Ctrl-C only sets a flag that the loop checks after every step, so
the run ends cleanly with status ``interrupted``; a second Ctrl-C raises
``KeyboardInterrupt`` at once, for when even that is too slow. Saving a run
folder uses the same guard, so a late Ctrl-C does not throw away a finished run.
"""

import signal
import threading
from contextlib import contextmanager

from lossplay.loop import StopSignal


@contextmanager
def graceful_interrupt():
    """Yield a ``StopSignal`` that a first Ctrl-C sets (main thread only; elsewhere it stays unset)."""
    stop = StopSignal()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum, frame):
        if stop.requested:
            raise KeyboardInterrupt
        stop.requested = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)
