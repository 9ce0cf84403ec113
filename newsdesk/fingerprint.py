"""Whether anything a build reads has changed since the last build of the same output folder.

The fingerprint covers the settings' values (but those of the upload targets), every file under
the content folder, the theme and the plugin and library code (by size, modification and change
time, as newsdesk.memo.file_stamp; the site key takes the code by what it holds), the versions
of Python and the libraries that render, and the MT_* environment. A build whose fingerprint
and output folder match the last good build (no warning, no error) has nothing to do.
Hand edits inside the output folder are not noticed: `invoke build --force` rebuilds anyway.

A build that changes nothing is found before Pelican is imported (`look_early`), by what the
last good build recorded under a hash of what decides its settings.
"""

import ast
import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import site
import stat
import sys
import sysconfig
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from newsdesk import buildstate, written
from newsdesk.buildstate import Store, Transaction
from newsdesk.memo import Stamp

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


@dataclass(frozen=True)
class _Look:
    """How files are taken into a hash: `skip`: file name endings left out; `by_content`: by
    what they hold, not by their stamps; `links`: links to folders by where they point too;
    `was`: files (by path) taken with this stamp instead of the one they have (None: as if
    they were not there)."""

    skip: tuple[str, ...] = ()
    by_content: bool = False
    links: bool = True
    was: Mapping[str, Stamp | None] = field(default_factory=dict)


def _tree(digest: "hashlib._Hash", folder: Path | str, look: _Look) -> None:
    """Each file under `folder` by its relative path, size, modification and change time
    (or what it holds), folders in name order; a symbolic link that leads nowhere by where it
    points (the build reports it). A link to a folder is followed when it leads to another
    place inside `folder` (as Pelican reads it), once per path: a link to a folder that holds
    it is not followed again."""
    folder = os.path.normpath(folder)
    if os.path.isdir(folder):
        _folder(digest, folder, "", look, os.path.realpath(folder), frozenset())
    elif os.path.isfile(folder):  # a module of the site's own code (`settings_code`)
        _folder(digest, os.path.dirname(folder), "", look, "", frozenset(),
                only=os.path.basename(folder))


def _folder(digest: "hashlib._Hash", folder: str, relative: str, look: _Look, root: str,
            above: frozenset[tuple[int, int]], only: str | None = None) -> None:
    """Files are looked at by name in their open folder (stat with dir_fd), not by path: the
    look at every file is most of the time of a build that has nothing to do. `above`: the
    folders (device, inode) this one is in; `only`: this file of the folder alone."""
    lines: list[str] = []
    folders: list[str] = []
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        here = os.fstat(handle)
        above = above | {(here.st_dev, here.st_ino)}
        for name in [only] if only else sorted(os.listdir(handle)):
            try:
                st = os.stat(name, dir_fd=handle, follow_symlinks=False)
                if stat.S_ISDIR(st.st_mode):
                    if name != "__pycache__":
                        folders.append(name)
                    continue
                if name.endswith(look.skip):
                    continue
                if stat.S_ISLNK(st.st_mode):
                    st = os.stat(name, dir_fd=handle)
                    if stat.S_ISDIR(st.st_mode):
                        if look.links:
                            lines.append(f"{relative}{name}\0-> {_link_target(name, handle)}\n")
                        real = os.path.realpath(os.path.join(folder, name))
                        if (real.startswith(root + os.sep)
                                and (st.st_dev, st.st_ino) not in above):
                            folders.append(name)
                        continue
                stamp: Stamp | None
                if look.was and (path := os.path.join(folder, name)) in look.was:
                    stamp = look.was[path]
                elif look.by_content:
                    with open(os.open(name, os.O_RDONLY, dir_fd=handle), "rb") as file:
                        held = hashlib.file_digest(file, "sha256").hexdigest()
                    lines.append(f"{relative}{name}\0{held}\n")
                    continue
                else:
                    stamp = st.st_size, st.st_mtime_ns, st.st_ctime_ns
                if stamp is not None:
                    lines.append(f"{relative}{name}\0{stamp[0]}\0{stamp[1]}\0{stamp[2]}\n")
            except OSError:
                lines.append(f"{relative}{name}\0-> {_link_target(name, handle)}\n")
    finally:
        os.close(handle)
    digest.update("".join(lines).encode())
    for name in folders:
        _folder(digest, os.path.join(folder, name), f"{relative}{name}/", look, root, above)


def _link_target(name: str, folder: int) -> str:
    try:
        return os.readlink(name, dir_fd=folder)
    except OSError:
        return "?"


def inputs(settings: Mapping[str, Any], articles: bool = True,
           files_digest: str | None = None, provider: bool = True) -> str:
    """One hash of everything the build of these settings reads.

    articles=False leaves out the articles, the translation memory and other text inputs, and
    takes the theme, plugins and code by what their files hold (a checkout that puts back the
    same code keeps it); provider=False leaves out the MT_* environment (which provider
    translates).
    """
    return with_files(settings, provider)(
        files_digest or files(settings, articles, code_by_content=not articles))


def with_files(settings: Mapping[str, Any], provider: bool = True) -> Callable[[str], str]:
    """`inputs(settings, files_digest=…)` for any hash of the files, with the settings, the
    versions and the environment as they are now (a build's readers change settings values
    in place: Pelican's Markdown reader adds its extensions)."""
    digest = hashlib.sha256()
    values = {k: v for k, v in settings.items()
              if k not in ("OUTPUT_PATH", "STRICT") and not k.startswith(UPLOAD_SETTINGS)}
    digest.update(json.dumps(values, sort_keys=True, default=_stable).encode())
    digest.update(sys.version.encode())
    # Imported here: looking up installed versions takes longer than an early look.
    from importlib import metadata

    for package in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{package}={metadata.version(package)}\n".encode())
    if provider:
        digest.update(json.dumps(sorted((k, v) for k, v in os.environ.items()
                                        if k.startswith("MT_"))).encode())

    def fingerprint(files_digest: str) -> str:
        whole = digest.copy()
        whole.update(files_digest.encode())
        return whole.hexdigest()

    return fingerprint


def site_key(settings: Mapping[str, Any]) -> str:
    """The key with which the build state's memos and page keys are made (their entries check
    their own files); a new one drops them (`site_key_valid`). The articles, the memory and
    other text inputs are not in it, nor the provider: it changes only translations still
    pending, which no memo keeps and whose pages show that they are."""
    return inputs(settings, articles=False, provider=False)


def folders(settings: Mapping[str, Any], content: bool = True) -> list[str]:
    """The folders whose files the build reads: content, theme, plugins, this package and the
    site's own code the settings name (content=False: all but the content)."""
    return [*([str(settings["PATH"])] if content else []), str(settings["THEME"]),
            *map(str, settings.get("PLUGIN_PATHS", [])), str(CODE), *settings_code(settings)]


def settings_code(settings: Mapping[str, Any]) -> list[str]:
    """The site's own code that the settings name, outside the installed libraries and this
    package: Markdown extensions, plugins, Jinja extensions, filters, globals and tests, given
    as objects or by module name, and the site's modules these import (read, not run); a
    module by its file, a package by its folder."""
    named: list[object] = []
    markdown = settings["MARKDOWN"]
    named += [*markdown.get("extensions", []), *markdown.get("extension_configs", {})]
    named += settings["PLUGINS"] or []
    named += settings["JINJA_ENVIRONMENT"].get("extensions", [])
    named += [*settings["JINJA_FILTERS"].values(), *settings["JINJA_GLOBALS"].values(),
              *settings["JINJA_TESTS"].values()]
    todo = [path for item in named for path in _code_files(item)]
    found: set[str] = set()
    while todo:
        path = todo.pop()
        if path not in found and _own_code(path):
            found.add(path)
            todo += [file for name in _imports(path) for file in _code_files(name)]
    return sorted(found)


def _code_files(item: object) -> list[str]:
    """The file, or a package's folders, of the top-level module that defines `item` or that
    a string names ("module.name" or "module.name:Attribute"); found, not imported."""
    if isinstance(item, str):
        name = item.partition(":")[0]
    elif isinstance(item, ModuleType):
        name = item.__name__
    else:
        name = getattr(item, "__module__", None) or type(item).__module__
    top = name.partition(".")[0]
    module = sys.modules.get(top)
    if module is not None:
        path, file = getattr(module, "__path__", None), getattr(module, "__file__", None)
    else:
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            return []
        if spec is None:
            return []
        path, file = spec.submodule_search_locations, spec.origin
    if path:
        return list(path)
    return [file] if file else []


def _imports(path: str) -> set[str]:
    """The names of the modules a module's file (a package: each of its files) imports by
    absolute name."""
    files = [path] if os.path.isfile(path) else [
        str(file) for file in sorted(Path(path).rglob("*.py"))]
    names: set[str] = set()
    for file in files:
        try:
            tree = ast.parse(Path(file).read_bytes())
        except (OSError, SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
    return names


def _own_code(path: str) -> bool:
    """Whether a module's file is the site's own: not Python's, an installed library's or
    this package's (those count by version and by the package's files)."""
    path = os.path.realpath(path)
    return os.path.exists(path) and not any(
        path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
        for folder in _library_folders())


@functools.cache
def _library_folders() -> list[str]:
    paths = sysconfig.get_paths()
    folders = {paths[kind] for kind in ("stdlib", "platstdlib", "purelib", "platlib")}
    folders |= {*site.getsitepackages(), site.getusersitepackages(), str(CODE)}
    return sorted(map(os.path.realpath, folders))


def files(settings: Mapping[str, Any], articles: bool = True, content: bool = True,
          code_by_content: bool = False, was: Mapping[str, Stamp | None] | None = None) -> str:
    """One hash of the files in `folders(settings, content)`; articles=False leaves out the
    content's text inputs; code_by_content: the folders but the content by what their files
    hold, not by their stamps; `was`: files taken with these stamps (`_Look`)."""
    return _files(folders(settings, content), () if articles else TEXT_INPUTS,
                  str(settings["PATH"]), code_by_content, was)


def _files(folders: list[str], text_skipped: tuple[str, ...] = (), content: str = "",
           code_by_content: bool = False, was: Mapping[str, Stamp | None] | None = None
           ) -> str:
    """The hash of `folders`; `text_skipped`: the content's text inputs left out, and where
    its links to folders point (what they lead to counts)."""
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(f"\n[{folder}]\n".encode())
        if folder == content:
            _tree(digest, folder, _Look(skip=text_skipped, links=not text_skipped,
                                        was=was or {}))
        else:
            _tree(digest, folder, _Look(by_content=code_by_content, was=was or {}))
    return digest.hexdigest()


def only_own_writes(settings: Mapping[str, Any], before: str,
                    writes: Mapping[str, written.Write]) -> bool:
    """Whether the files the build read (`files(settings)`, `before` when it began) changed only
    by its own writes (newsdesk.written: the translation memory): each written file still
    holds what the build wrote, and with the stamps they had before, the files hash as before."""
    if not writes:
        return False
    was: dict[str, Stamp | None] = {}
    for path, write in writes.items():
        if isinstance(write.before, str) or not written.own(path, {path: write.digest}):
            return False
        was[path] = write.before
    return files(settings, was=was) == before


def site_code(settings: Mapping[str, Any]) -> str:
    """One hash of what makes every page and checks it, the content left out: the settings,
    the theme, the plugins, this package and the library versions. The provider is left out:
    what it changes is in the pages, which the check compares one by one."""
    return inputs(settings, files_digest=files(settings, content=False, code_by_content=True),
                  provider=False)


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


def remember_early(writes: Transaction, output: Path | str, early: "EarlyLook",
                   files_read: tuple[list[str], str]) -> None:
    """Record the last good build of `output` under the early look's key, with the (folders,
    hash) of the files it read."""
    writes.put_early(output, early.key, json.dumps(files_read))


class EarlyLook(NamedTuple):
    """What a build can tell before it reads its settings with Pelican."""

    key: str  # `early_key`
    cache: str  # CACHE_PATH, as Pelican reads it
    output: str | None = None  # the last good build recorded under the key, if there is one
    files_read: tuple[list[str], str] | None = None  # its folders, and their files' hash now
    unchanged: bool = False  # whether that build is exactly what this one would make

    def files(self, settings: Mapping[str, Any]) -> str:
        """`files(settings)`, hashed by this look if it read the same folders."""
        if self.files_read and self.files_read[0] == folders(settings):
            return self.files_read[1]
        return files(settings)


def early_key(settings_file: Path, content: Path | None, output: Path | None
              ) -> tuple[str, dict[str, Any]]:
    """One hash of what decides a build's settings, taken without Pelican, and the settings
    file's values: the settings file (its stamp and the values it sets), the content and output
    asked for, the folder it runs in, Python, the installed libraries (by the stamps of the
    folders Python imports them from, sys.path but the folder it was started in, before the
    settings file adds any: an install, upgrade or removal changes them) and the MT_*
    environment."""
    libraries = [(folder, os.stat(folder).st_mtime_ns) for folder in sys.path[1:]
                 if os.path.isdir(folder)]
    st = settings_file.stat()
    values = settings_file_values(settings_file)
    return hashlib.sha256(json.dumps([
        str(settings_file), st.st_size, st.st_mtime_ns, str(content), str(output), os.getcwd(),
        sys.version, libraries, sorted((k, v) for k, v in os.environ.items()
                                       if k.startswith("MT_")),
        {k: _stable(v) for k, v in sorted(values.items())},
    ]).encode()).hexdigest(), values


def settings_file_values(settings_file: Path) -> dict[str, Any]:
    """The values the settings file sets (its UPPERCASE names), loaded as Pelican loads it
    (pelican.settings.get_settings_from_file)."""
    spec = importlib.util.spec_from_file_location(settings_file.stem, settings_file)
    if spec is None or spec.loader is None:
        raise ImportError(f"{settings_file}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[settings_file.stem] = module
    spec.loader.exec_module(module)
    return {name: getattr(module, name) for name in dir(module) if name.isupper()}


def look_early(settings_file: Path, content: Path | None, output: Path | None,
               strict: bool) -> EarlyLook | None:
    """Whether the last good build recorded under this build's `early_key` is exactly what
    this one would make: its output folder is as it left it and the files it read are
    unchanged. None if the settings file cannot be read so (the build reports why) or names
    no CACHE_PATH."""
    try:
        key, values = early_key(settings_file, content, output)
    except Exception:  # noqa: BLE001 - reading the settings with Pelican reports it
        return None
    cache = values.get("CACHE_PATH")
    if not isinstance(cache, (str, os.PathLike)):
        return None
    cache = os.path.abspath(settings_file.parent / cache)
    state = buildstate.store(cache)
    try:
        last = state.build_by_early_key(key) if state.path.is_file() else None
    finally:
        state.close()
    if last is None:
        return EarlyLook(key, cache)
    last_output, stamp, was_strict, read = last
    read_folders, read_hash = json.loads(read)
    now = _files(read_folders)
    return EarlyLook(key, cache, last_output, (read_folders, now), unchanged=(
        now == read_hash and (was_strict or not strict) and os.path.isdir(last_output)
        and stamp == output_stamp(last_output)))


def site_key_valid(state: Store, key: str) -> bool:
    """Whether the build state's memos were made by the code, theme and settings whose
    `site_key(settings)` is `key`; if not, they are dropped and `key` recorded."""
    if state.site_key() == key:
        return True
    with state.transaction() as writes:
        writes.new_site(key)
    return False
