"""The one gate for paths: what a build reads from content stays inside the content folder, what
it writes stays inside the output, the build cache or the translation memory.

Content comes from many people; a path it names (a link, an image, a key, a template, the
target of a symbolic link) is resolved, symbolic links and `..` included, before it is used.
"""

import logging
import os
import re
from collections.abc import Iterator, Mapping
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
