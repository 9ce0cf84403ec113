"""Files written whole or not at all: a reader sees the old file or the new one, never half.

Each is written to a temporary file beside it (`.<name>.<pid>.<n>.tmp`) and put in place with
one rename. What a killed process left is removed by `remove_orphans`.
"""

import contextlib
import glob
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

_COUNTER = itertools.count()


def write_atomic(path: Path | str, data: bytes | Callable[[BinaryIO], object], *,
                 durable: bool = False, mode: int | None = None) -> None:
    """Replace `path` with `data` (bytes, or a function writing to a binary file).

    `durable`: on disk before it replaces the old file (files that hold people's work, such as
    the translation memory). `mode`: the file's permissions; by default as any new file's
    (the umask's)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{next(_COUNTER)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fp:
            data(fp) if callable(data) else fp.write(data)
            if durable:
                fp.flush()
                os.fsync(fp.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def leftovers(path: Path | str) -> Iterator[Path]:
    """The temporary files of `path`, of any process."""
    path = Path(path)
    return path.parent.glob(f".{glob.escape(path.name)}.*.tmp")


def remove_orphans(folder: Path | str) -> None:
    """Delete the temporary files in `folder` of processes that no longer run (killed
    mid-write)."""
    for tmp in Path(folder).glob(".*.tmp"):
        pid = tmp.name.rsplit(".", 3)[-3] if tmp.name.count(".") >= 4 else ""
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        pass
    return True

