"""The one gate for paths: what a build reads from content stays inside the content folder, what
it writes stays inside the output, the build cache or the translation memory.

Content comes from many people; a path it names (a link, an image, a key, a template, the
target of a symbolic link) is resolved, symbolic links and `..` included, before it is used.
"""

import logging
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from newsdesk.report import where

log = logging.getLogger(__name__)

# An article's key: letters and digits in words joined by hyphens (it names memory files).
KEY_RE = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")
RESERVED_KEYS = ("glossary",)  # memory files that belong to no article


class PathRefused(ValueError):
    """A path that leads outside the folder it must stay in."""


def _resolve(root: Path | str, path: Path | str) -> tuple[str, str, bool]:
    """(root resolved, `path` resolved against it, whether the second is inside the first)."""
    real_root = os.path.realpath(root)
    resolved = os.path.realpath(os.path.join(real_root, path))
    return real_root, resolved, _inside(resolved, real_root)


def _inside(resolved: str, real_root: str) -> bool:
    """Whether a resolved path is a resolved root or inside it."""
    return resolved == real_root or resolved.startswith(real_root.rstrip(os.sep) + os.sep)


def within(root: Path | str, path: Path | str) -> Path:
    """`path` (absolute, or relative to `root`) resolved; PathRefused if it is outside `root`."""
    real_root, resolved, inside = _resolve(root, path)
    if not inside:
        raise PathRefused(f"'{path}' leads outside {real_root}")
    return Path(resolved)


def is_within(root: Path | str, path: Path | str) -> bool:
    return _resolve(root, path)[2]


def readable_content_file(content_root: Path | str, path: Path | str) -> bool:
    """Whether a file the build reads by name from the content folder (a term list, the
    authors' bios) is there and inside it; a link out of it is reported and not read."""
    if not os.path.lexists(path):
        return False
    if not is_within(content_root, path):
        log.error("%s: a link to a file outside the content folder; not read", where(path))
        return False
    return os.path.isfile(path)


def link_leading_out(content_root: Path | str, relative: Path | str) -> str | None:
    """The first symbolic link on a content-relative path whose target is outside the content
    folder (content-relative), or None."""
    root = os.path.realpath(content_root)
    current = root
    for part in Path(relative).parts:
        current = os.path.join(current, part)
        if os.path.islink(current) and not is_within(root, current):
            return os.path.relpath(current, root)
    return None


def folder_links_left_out(content_root: Path | str, folders: Iterable[str]
                          ) -> list[tuple[str, str]]:
    """The symbolic links to folders under these content folders that the build must not
    follow, each as (content-relative path, why): one that leads outside the content folder,
    and one that leads to a folder it is in (followed, it would be read over and over)."""
    root = os.path.realpath(content_root)
    found: dict[str, str] = {}

    def walk(folder: str, relative: str, above: frozenset[tuple[int, int]]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            return
        for entry in entries:
            try:
                if not entry.is_dir():
                    continue
                path = f"{relative}/{entry.name}" if relative else entry.name
                st = os.stat(entry.path)
                if entry.is_symlink():
                    if not _inside(os.path.realpath(entry.path), root):
                        found[path] = "a link to a folder outside the content folder"
                        continue
                    if (st.st_dev, st.st_ino) in above:
                        found[path] = ("a link to a folder it is in, which would be read over "
                                       "and over")
                        continue
            except OSError:
                continue
            walk(entry.path, path, above | {(st.st_dev, st.st_ino)})

    for start in folders:
        folder = os.path.join(root, start)
        if not os.path.isdir(folder):
            continue
        above = {(st.st_dev, st.st_ino) for st in map(os.stat, _parents(folder, root))}
        walk(folder, start.strip("/"), frozenset(above))
    return list(found.items())


def report_links_left_out(content_root: Path | str, left_out: Iterable[tuple[str, str]]
                          ) -> None:
    """One error for each link `folder_links_left_out` found."""
    for link, why in left_out:
        log.error("%s: %s; not read", where(os.path.join(content_root, link)), why)


def content_files(content_root: Path | str, folder: str, suffix: str) -> list[Path]:
    """The files ending in `suffix` under a content folder, as the build finds them: through
    links to folders inside the content, but those `folder_links_left_out` names (reported)."""
    left_out = folder_links_left_out(content_root, [folder])
    report_links_left_out(content_root, left_out)
    skipped = {os.path.join(content_root, link) for link, _ in left_out}
    found = []
    for dirpath, dirs, files in os.walk(os.path.join(content_root, folder), followlinks=True):
        dirs[:] = [name for name in dirs if os.path.join(dirpath, name) not in skipped]
        found += [Path(dirpath, name) for name in files if name.endswith(suffix)]
    return sorted(found)


def _parents(folder: str, root: str) -> Iterator[str]:
    """`folder` and the folders it is in, up to `root`."""
    yield root
    for part in Path(os.path.relpath(folder, root)).parts:
        root = os.path.join(root, part)
        yield root


def key_problem(key: str) -> str | None:
    """Why a key cannot name an article (None if it can)."""
    if not KEY_RE.match(key or ""):
        return f"key '{key}' must be letters, digits and hyphens only"
    if key.lower() in RESERVED_KEYS:
        return f"key '{key}' is reserved for the translation memory's {key}"
    return None


def write_roots(settings: Mapping[str, Any]) -> Iterator[str]:
    """Where a build with these settings may write, most used first (the translation memory
    only while it is inside the content folder)."""
    yield settings["OUTPUT_PATH"]
    yield settings["CACHE_PATH"]
    memory = os.path.join(settings["PATH"], settings.get("TRANSLATION_MEMORY", "translations"))
    if is_within(settings["PATH"], memory):
        yield memory


def writable(settings: Mapping[str, Any], path: Path | str) -> Path:
    """`path`, if a build with these settings may write it: inside the output folder, the build
    cache or the translation memory. Every write and copy of the build asks here, or a
    WriteGate, first."""
    return WriteGate(settings)(path)


class Folder:
    """A folder whose path is resolved once, for the many paths asked of it."""

    def __init__(self, root: Path | str) -> None:
        self.real = os.path.realpath(root)

    def holds(self, path: Path | str) -> bool:
        """`is_within(root, path)`."""
        return _inside(os.path.realpath(os.path.join(self.real, path)), self.real)


class WriteGate:
    """`writable` for the many paths of one stage: the roots are resolved once, when it is
    made."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.roots = [Folder(root) for root in write_roots(settings)]

    def __call__(self, path: Path | str) -> Path:
        if any(root.holds(path) for root in self.roots):
            return Path(path)
        raise PathRefused(f"refusing to write {path}: outside the output, the build cache and "
                          "the translation memory")
