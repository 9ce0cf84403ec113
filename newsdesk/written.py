"""What a run wrote among the files it reads (the translation memory), so that the preview's
watcher can tell the build's own writes from an author's edits.

A run whose environment names a journal (NEWSDESK_WRITTEN, set by newsdesk.preview, or by
newsdesk.build for its own run) appends one line per file it writes: the SHA-256 of the bytes
it wrote, the file's stamp before it wrote them (newsdesk.memo.file_stamp: "-" when there was
no file, "?" when not known) and the file's real path. Forked workers inherit it. A change to
such a file is the run's own while the file still holds exactly those bytes.
"""

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from newsdesk.memo import Stamp

JOURNAL = "NEWSDESK_WRITTEN"


class Write(NamedTuple):
    """What a run last wrote to a file (`digest`), and what the file was before its first
    write (`before`: a stamp, None when there was no file, UNKNOWN)."""

    digest: str
    before: Stamp | None | str


UNKNOWN = "?"


def record(path: Path | str, data: bytes, journal: Path | str | None = None,
           before: Stamp | None | str = UNKNOWN) -> None:
    """Note that this run wrote `data` to `path`, which had the stamp `before` (when a journal
    is kept: `journal`, or the environment's)."""
    journal = journal or os.environ.get(JOURNAL)
    if not journal:
        return
    was = before if isinstance(before, str) else "-" if before is None else ",".join(
        map(str, before))
    line = f"{hashlib.sha256(data).hexdigest()} {was} {os.path.realpath(path)}\n".encode()
    fd = os.open(journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)  # one write: lines of several processes never mix
    finally:
        os.close(fd)


def read(journal: Path | str) -> dict[str, str]:
    """{real path: digest of the last bytes written there} from a journal."""
    return {path: write.digest for path, write in writes(journal).items()}


def writes(journal: Path | str, offset: int = 0) -> dict[str, Write]:
    """{real path: Write} from a journal's lines after the first `offset` bytes."""
    try:
        with open(journal, "rb") as fp:
            fp.seek(offset)
            text = fp.read().decode("utf-8")
    except FileNotFoundError:
        return {}
    entries: dict[str, Write] = {}
    for line in text.splitlines():
        fields = line.split(" ", 2)
        if len(fields) != 3:
            continue
        digest, was, path = fields
        before: Stamp | None | str = was if was == UNKNOWN else None if was == "-" else \
            _stamp(was)
        first = entries.get(path)
        entries[path] = Write(digest, before if first is None else first.before)
    return entries


def _stamp(text: str) -> Stamp | str:
    try:
        size, modified, changed = map(int, text.split(","))
    except ValueError:
        return UNKNOWN
    return size, modified, changed


def own(path: Path | str, entries: Mapping[str, str]) -> bool:
    """Whether `path` holds exactly what the run last wrote there."""
    digest = entries.get(os.path.realpath(path))
    try:
        return digest is not None and hashlib.sha256(Path(path).read_bytes()).hexdigest() == digest
    except OSError:
        return False
