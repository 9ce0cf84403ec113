"""Whether anything a build reads has changed since the last build of the same output folder.

The fingerprint covers the settings' values (but those of the upload targets), every file
under the content folder, the theme and the plugin and library code (by size and modification
time, as make does), the versions of Python and the libraries that render, and the MT_*
environment. A build whose fingerprint and output folder match the last good build (no
warning, no error) has nothing to do.
Hand edits inside the output folder are not noticed: `invoke build --force` rebuilds anyway.
"""

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Mapping
from importlib import metadata
from operator import attrgetter
from pathlib import Path
from typing import Any

from newsdesk.buildstate import Store, Transaction

PACKAGES = ("pelican", "Markdown", "Jinja2", "Babel", "Pillow", "pagefind-bin", "feedgenerator",
            "nh3")
CODE = Path(__file__).resolve().parent
# Settings no page depends on: where and how `invoke publish` uploads (publishconf.py).
UPLOAD_SETTINGS = ("SSH_", "RSYNC_", "S3_", "CLOUDFRONT_", "GITHUB_PAGES_", "PUBLISH_")
# Content files that cannot change what the Markdown reader makes of an article.
TEXT_INPUTS = (".md", ".po", ".txt", ".toml")


def _stable(value: object) -> str | list[str]:
    """A setting's value as text that is the same in every run (no memory addresses)."""
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    text = repr(value)
    if " at 0x" not in text:
        return text
    kind = value if callable(value) else type(value)
    return f"{getattr(kind, '__module__', '')}.{getattr(kind, '__qualname__', kind)}"


def _tree(digest: "hashlib._Hash", folder: Path | str, skip: tuple[str, ...] = ()) -> None:
    """Each file under `folder` by its relative path, size and modification time, folders in
    name order; a symbolic link that leads nowhere by where it points (the build reports it).
    Links to folders are not followed."""
    folder = os.path.normpath(folder)
    if os.path.isdir(folder):
        _folder(digest, folder, len(folder) + 1, skip)


def _folder(digest: "hashlib._Hash", folder: str, start: int, skip: tuple[str, ...]) -> None:
    files: list[os.DirEntry[str]] = []
    folders: list[os.DirEntry[str]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir():
                if entry.name != "__pycache__" and not entry.is_symlink():
                    folders.append(entry)
            elif not entry.name.endswith(skip):
                files.append(entry)
    lines = []
    for entry in sorted(files, key=attrgetter("name")):
        try:
            st = entry.stat()
            lines.append(f"{entry.path[start:]}\0{st.st_size}\0{st.st_mtime_ns}\n")
        except OSError:
            lines.append(f"{entry.path[start:]}\0-> {_link_target(entry.path)}\n")
    digest.update("".join(lines).encode())
    for entry in sorted(folders, key=attrgetter("name")):
        _folder(digest, entry.path, start, skip)


def _link_target(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def inputs(settings: Mapping[str, Any], articles: bool = True,
           files_digest: str | None = None, provider: bool = True) -> str:
    """One hash of everything the build of these settings reads.

    articles=False leaves out the articles, the translation memory and other text inputs:
    the site key, with which the build state's memos and page keys are made (their entries
    check their own files); a new one drops them (`site_key_valid`).
    provider=False leaves out the MT_* environment (which provider translates).
    """
    digest = hashlib.sha256()
    values = {k: v for k, v in settings.items()
              if k not in ("OUTPUT_PATH", "STRICT") and not k.startswith(UPLOAD_SETTINGS)}
    digest.update(json.dumps(values, sort_keys=True, default=_stable).encode())
    digest.update(sys.version.encode())
    for package in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{package}={metadata.version(package)}\n".encode())
    if provider:
        digest.update(json.dumps(sorted((k, v) for k, v in os.environ.items()
                                        if k.startswith("MT_"))).encode())
    digest.update((files_digest or files(settings, articles)).encode())
    return digest.hexdigest()


def files(settings: Mapping[str, Any], articles: bool = True, content: bool = True) -> str:
    """One hash of the files the build reads: content, theme, plugins and this package
    (content=False: all but the content)."""
    digest = hashlib.sha256()
    folders = [settings["PATH"]] if content else []
    for folder in (*folders, settings["THEME"], *settings.get("PLUGIN_PATHS", []), CODE):
        digest.update(f"\n[{folder}]\n".encode())
        _tree(digest, folder, skip=() if articles or folder != settings["PATH"] else TEXT_INPUTS)
    return digest.hexdigest()


def site_code(settings: Mapping[str, Any]) -> str:
    """One hash of what makes every page and checks it, the content left out: the settings,
    the theme, the plugins, this package and the library versions. The provider is left out:
    what it changes is in the pages, which the check compares one by one."""
    return inputs(settings, files_digest=files(settings, content=False), provider=False)


def output_stamp(output: Path | str) -> list[int]:
    """Which folder is at `output` now (a swapped-in build is another)."""
    st = os.stat(output)
    return [st.st_ino, st.st_mtime_ns]


def unchanged(state: Store, output: Path | str, fingerprint: str, strict: bool = False
              ) -> bool:
    """True if `output` is the good build of exactly these inputs (for a strict build: a
    strict one, since a preview passes what strict fails, such as pending translations)."""
    last = state.build(output)
    if last is None or last[0] != fingerprint or not Path(output).is_dir():
        return False
    if strict and not last[2]:
        return False
    return last[1] == output_stamp(output)


def remember(writes: Transaction, output: Path | str, fingerprint: str, strict: bool = False
             ) -> None:
    """Record a good build of `output`."""
    writes.put_build(output, fingerprint, output_stamp(output), strict)


def site_key_valid(state: Store, key: str) -> bool:
    """Whether the build state's memos were made by the code, theme and settings whose
    `inputs(settings, articles=False)` is `key`; if not, they are dropped and `key` recorded."""
    if state.site_key() == key:
        return True
    with state.transaction() as writes:
        writes.new_site(key)
    return False
