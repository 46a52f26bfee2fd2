"""Reading the files a user hands lossplay (a dataset, a config): once, in full, within a size limit.

What can be read: a regular file, a pipe (``<(...)``, ``/dev/stdin``, a named
pipe) or ``-`` for standard input. Anything else is refused at once with an
error that says what it is: a folder, a device (``/dev/zero``, ``/dev/urandom``,
a terminal), a socket. Nothing is read past its limit: a larger input is
refused, so ``/dev/zero`` given as standard input stops at the limit too.

A named pipe is opened without waiting for a writer: one that no program is
writing to reads as empty at once (and is refused as such) instead of waiting
for ever. A pipe with a writer is read until the writer closes it, as ``cat``
would: that is a program still producing the data.

A pipe can only be read once, and a command may need its content more than
once (each run of a comparison loads its data): the bytes read from a pipe are
kept for the life of the process, so every later read of the same pipe gives
the same bytes. Regular files are read afresh each time.
"""

import os
import stat
import sys

from lossplay.errors import LossplayError

MB = 1000 * 1000
STDIN = "-"
CHUNK = 1 << 20
NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # not on Windows, which has no named pipes in the file system

# bytes read from pipes, by the pipe's identity: {key: (what, bytes)}
_PIPES: dict[object, tuple[str, bytes]] = {}


def read_bytes(path, *, what, kind, limit, smaller):
    """The whole content of ``path`` (or standard input for '-') as bytes; at most ``limit`` bytes.

    ``what`` names the input in messages ("Dataset file", "Config file"); ``kind`` is the kind
    of file it should be ("CSV", "TOML"); ``smaller`` says what to do about one over the limit.
    """
    path = str(path)
    limits = (limit, smaller)
    if path == STDIN:
        return _read_stdin(what, kind, limits)
    name = f"{what} '{path}'"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise LossplayError(f"{name} does not exist.") from None
    except OSError as e:
        raise LossplayError(f"{name} cannot be read: {e.strerror}.") from None
    _check_mode(mode, name, kind, allow_socket=False)
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer (it is cleared before reading)
        f = open(path, "rb", buffering=0, opener=lambda p, flags: os.open(p, flags | NONBLOCK))
    except FileNotFoundError:
        raise LossplayError(f"{name} does not exist.") from None
    except IsADirectoryError:
        raise LossplayError(f"{name} is a folder; give the path of a {kind} file.") from None
    except OSError as e:
        raise LossplayError(f"{name} cannot be read: {e.strerror}.") from None
    with f:
        fd = f.fileno()
        info = os.fstat(fd)
        _check_mode(info.st_mode, name, kind, allow_socket=False)  # it may have changed since the stat
        if NONBLOCK:
            os.set_blocking(fd, True)
        if not stat.S_ISFIFO(info.st_mode):
            if info.st_size > limit:
                raise _too_large(name, limits)
            return _read_limited(f, name, limits)
        return _read_pipe((info.st_dev, info.st_ino), f, name, what, kind, limits)


def _read_stdin(what, kind, limits):
    name = f"{what} '-' (standard input)"
    stream = sys.stdin
    if stream is None:
        raise LossplayError(f"{name}: there is no standard input to read.")
    if stream.isatty():
        raise LossplayError(f"{name} is a terminal: pipe the {kind} in (program | lossplay ... -) "
                            f"or give the path of a {kind} file.")
    raw = getattr(stream, "buffer", stream)
    try:
        info = os.fstat(raw.fileno())
    except (AttributeError, OSError, ValueError):  # an in-memory stream, as in tests
        key = raw
    else:
        _check_mode(info.st_mode, name, kind, allow_socket=True)
        if stat.S_ISREG(info.st_mode):
            return _read_limited(raw, name, limits)
        key = (info.st_dev, info.st_ino)
    return _read_pipe(key, raw, name, what, kind, limits)


def _check_mode(mode, name, kind, allow_socket):
    if stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or (allow_socket and stat.S_ISSOCK(mode)):
        return
    if stat.S_ISDIR(mode):
        raise LossplayError(f"{name} is a folder; give the path of a {kind} file.")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        thing = "a device"
    elif stat.S_ISSOCK(mode):
        thing = "a socket"
    else:
        thing = "a special file"
    raise LossplayError(f"{name} is {thing}, not a file: lossplay reads {kind} files and pipes. "
                        f"Give the path of a {kind} file.")


def _read_pipe(key, stream, name, what, kind, limits):
    """A pipe's bytes: read to its end the first time, then kept for the life of the process."""
    if key in _PIPES:
        first_what, data = _PIPES[key]
        if first_what != what:
            raise LossplayError(f"{name} is the pipe already read as the {first_what.lower()}: "
                                "one pipe cannot be both. Give one of them as a file.")
        return data
    data = _read_limited(stream, name, limits)
    if not data:
        raise LossplayError(f"{name} is a pipe that gave nothing to read (no program was writing to it, "
                            f"or it wrote nothing): start the program that writes the {kind} first, "
                            "or give a file.")
    _PIPES[key] = (what, data)
    return data


def _read_limited(stream, name, limits):
    """Read to the end, refusing more than the limit without reading more than one byte past it."""
    limit = limits[0]
    chunks, total = [], 0
    try:
        while True:
            chunk = stream.read(min(CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise _too_large(name, limits)
    except OSError as e:
        raise LossplayError(f"{name} cannot be read: {e.strerror}.") from None
    return b"".join(chunks)


def _too_large(name, limits):
    limit, smaller = limits
    return LossplayError(f"{name} is larger than {limit / MB:g} MB, the most lossplay reads: {smaller}")
