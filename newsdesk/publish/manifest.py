"""What a built site contains: every file with its size and content hashes."""

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from ..progress import human_bytes


@dataclass(frozen=True)
class Entry:
    size: int
    sha256: str
    md5: str  # S3 reports it as the ETag of objects uploaded in one piece


@dataclass(frozen=True)
class Changes:
    added: list[str]
    changed: list[str]
    removed: list[str]
    unchanged: int

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        return (f"{len(self.added)} new, {len(self.changed)} changed, {len(self.removed)} removed, "
                f"{self.unchanged} unchanged")

    def uploaded_bytes(self, manifest: "Manifest") -> int:
        return sum(manifest[path].size for path in self.added + self.changed)

    def report(self, manifest: "Manifest", seconds: float) -> str:
        """The closing line of a publish: what went up, what stayed, what went, how long."""
        size = self.uploaded_bytes(manifest)
        return (f"uploaded {len(self.added) + len(self.changed)} file(s) ({size:,} bytes, "
                f"{human_bytes(size)}), {self.unchanged} unchanged, {len(self.removed)} deleted "
                f"in {seconds:.1f} s")

    def lines(self) -> Iterator[str]:
        """One line per path: `+ new`, `~ changed`, `- removed`."""
        yield from (f"+ {path}" for path in self.added)
        yield from (f"~ {path}" for path in self.changed)
        yield from (f"- {path}" for path in self.removed)


def _files(folder: Path | str, prefix: str = "") -> Iterator[tuple[os.DirEntry[str], str]]:
    """(DirEntry, site path) of every file under `folder`, symbolic links followed, in order."""
    with os.scandir(folder) as found:
        entries = sorted(found, key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_dir():
            yield from _files(entry.path, f"{prefix}{entry.name}/")
        elif entry.is_file():
            yield entry, prefix + entry.name


StatKey = tuple[int, int, int]  # size, modification time in ns, inode


class Manifest(dict[str, Entry]):
    """Site path (POSIX, relative) to Entry."""

    stat_keys: dict[str, StatKey]

    @classmethod
    def of_folder(cls, folder: Path | str,
                  known: Mapping[str, tuple[StatKey, Entry]] | None = None) -> Self:
        """The manifest of a folder. `known` maps site paths to (stat key, Entry) of an earlier
        look: a file with the same stat key (size, modification time, inode) is not read again,
        as make trusts times. The stat keys of this look are in `.stat_keys`."""
        manifest = cls()
        manifest.stat_keys = {}
        known = known or {}
        for entry, name in _files(folder):
            st = entry.stat()
            key = manifest.stat_keys[name] = (st.st_size, st.st_mtime_ns, st.st_ino)
            if name in known and known[name][0] == key:
                manifest[name] = known[name][1]
                continue
            with open(entry.path, "rb") as fp:
                data = fp.read()
            manifest[name] = Entry(len(data), hashlib.sha256(data).hexdigest(),
                                   hashlib.md5(data).hexdigest())
        return manifest

    @classmethod
    def loads(cls, text: str) -> Self:
        return cls({path: Entry(**entry) for path, entry in json.loads(text).items()})

    def dumps(self) -> str:
        return json.dumps({path: vars(entry) for path, entry in sorted(self.items())},
                          indent=0, sort_keys=True)

    def digest(self) -> str:
        """One hash for the whole site: equal digests mean byte-identical sites."""
        lines = "".join(f"{path}\0{entry.sha256}\n" for path, entry in sorted(self.items()))
        return hashlib.sha256(lines.encode()).hexdigest()

    def compare(self, remote: Mapping[str, Any],
                same: Callable[[Entry, Any], bool] | None = None) -> Changes:
        """What changes if this site replaces `remote` (a mapping of path to anything).

        `same(entry, remote_value)` decides whether a file is unchanged (default: equal entries).
        """
        same = same or (lambda entry, other: entry == other)
        added = sorted(path for path in self if path not in remote)
        changed = sorted(path for path in self if path in remote and not same(self[path],
                                                                             remote[path]))
        removed = sorted(path for path in remote if path not in self)
        return Changes(added, changed, removed, len(self) - len(added) - len(changed))
