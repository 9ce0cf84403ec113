"""The one gate for paths: what a build reads from content stays inside the content folder, what
it writes stays inside the output, the build cache or the translation memory.

Content comes from many people; a path it names (a link, an image, a key, a template, the
target of a symbolic link) is resolved, symbolic links and `..` included, before it is used.
"""

import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsdesk.report import where

log = logging.getLogger(__name__)

# An article's key: letters and digits in words joined by hyphens (it names memory files).
KEY_RE = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")
RESERVED_KEYS = ("glossary",)  # memory files that belong to no article


class PathRefused(ValueError):
    """A path that leads outside the folder it must stay in."""


def within(root: Path | str, path: Path | str) -> Path:
    """`path` (absolute, or relative to `root`) resolved; PathRefused if it is outside `root`."""
    root = Path(os.path.realpath(root))
    resolved = Path(os.path.realpath(Path(root, path)))
    if resolved != root and root not in resolved.parents:
        raise PathRefused(f"'{path}' leads outside {root}")
    return resolved


def is_within(root: Path | str, path: Path | str) -> bool:
    try:
        within(root, path)
    except PathRefused:
        return False
    return True


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


def write_roots(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """Where a build with these settings may write (the translation memory only while it is
    inside the content folder)."""
    content = settings["PATH"]
    memory = os.path.join(content, settings.get("TRANSLATION_MEMORY", "translations"))
    return (settings["OUTPUT_PATH"], settings["CACHE_PATH"],
            *[memory] * is_within(content, memory))


def writable(settings: Mapping[str, Any], path: Path | str) -> Path:
    """`path`, if a build with these settings may write it: inside the output folder, the build
    cache or the translation memory. Every write and copy of the build asks here first."""
    for root in write_roots(settings):
        if is_within(root, path):
            return Path(path)
    raise PathRefused(f"refusing to write {path}: outside the output, the build cache and "
                      "the translation memory")
