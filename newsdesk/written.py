"""What a run wrote among the files it reads (the translation memory), so that the preview's
watcher can tell the build's own writes from an author's edits.

A run whose environment names a journal (NEWSDESK_WRITTEN, set by newsdesk.preview) appends one
line per file it writes: the SHA-256 of the bytes it wrote and the file's real path. Forked
workers inherit it. A change to such a file is the run's own while the file still holds exactly
those bytes.
"""

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

JOURNAL = "NEWSDESK_WRITTEN"


def record(path: Path | str, data: bytes, journal: Path | str | None = None) -> None:
    """Note that this run wrote `data` to `path` (when a journal is kept: `journal`, or the
    environment's)."""
    journal = journal or os.environ.get(JOURNAL)
    if not journal:
        return
    line = f"{hashlib.sha256(data).hexdigest()} {os.path.realpath(path)}\n".encode()
    fd = os.open(journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)  # one write: lines of several processes never mix
    finally:
        os.close(fd)


def read(journal: Path | str) -> dict[str, str]:
    """{real path: digest of the last bytes written there} from a journal."""
    try:
        text = Path(journal).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    entries: dict[str, str] = {}
    for line in text.splitlines():
        digest, sep, path = line.partition(" ")
        if sep:
            entries[path] = digest
    return entries


def own(path: Path | str, entries: Mapping[str, str]) -> bool:
    """Whether `path` holds exactly what the run last wrote there."""
    digest = entries.get(os.path.realpath(path))
    try:
        return digest is not None and hashlib.sha256(Path(path).read_bytes()).hexdigest() == digest
    except OSError:
        return False
