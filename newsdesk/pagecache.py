"""Pages whose inputs did not change since the last build are taken from it, not rendered.

Each page the editions plugin writes gets a key: a hash of the template, the page's place and
what it shows (objects by their `cache_key()`, every article on it by its digest: text,
metadata, URLs, flags, and the title, URL and date of the articles it links to: versions,
original, related reading). When the previous build of the same output folder wrote that page
with the same key, the file is hard-linked from it into the new output instead of rendered
again. Hand edits inside the output folder are not noticed (`--force` renders every page).

The folder a build replaces is kept beside the output as the spare (`.<output>.spare`), with its
keys, and becomes the next build's staging folder (newsdesk.build): there, a page whose key is
the one it had two builds ago is left where it is, with no file-system work at all. Everything
else in it is deleted before anything is written (`take_spare`), and a page made again is
unlinked before it is written: the spare shares its files with the live site (hard links), so
no file of it is ever written through.

The site as a whole (code, theme, photos, settings, library versions) is not in the page keys:
newsdesk.build offers the previous build's keys only when those are the same
(`fingerprint.inputs(..., articles=False)`), so a change to any of them renders every page.

Contract with the theme: a listing page depends on the articles it lists (all of each but its
related reading: `PageCache.listed`), on its own place and label and its neighbours'
(newsdesk.plugins.editions.pagination), and only the first page on how many the whole listing
has (`articles|length`), not on the rest of the listing; the site-wide pages (archives, the
lists of sections, topics and authors, search, 404) are always rendered.

What newsdesk.build hands the editions generator for one build is a PageCacheConfig (without
one, every page is rendered and no key is kept):
- keys_file: the keys file of the output folder, CACHE_PATH/pages-<hash>.json; this build's
  keys are written beside it (`.new-<pid>`) and take its place once the new output does.
  Which build a keys file describes is in a small file beside it (`pages-<hash>.state.json`),
  so that a keys file is moved on by rename, never read and written again.
- previous: the output folder whose pages the keys file describes, if they may be reused.
- staged: the keys file of the pages still in the staging folder (the spare taken by
  `take_spare`), if it is one. Known once the spare is cleared, before the generators write.
"""

import contextlib
import hashlib
import json
import logging
import marshal
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from newsdesk import fingerprint, processes
from newsdesk.atomic import write_atomic
from newsdesk.memo import file_stamp
from newsdesk.parallel import Share
from newsdesk.paths import writable
from newsdesk.pelican_seams import html_as_read

log = logging.getLogger(__name__)

# Article attributes that are not what the article shows, or that point at other articles
# (_LINKS: those count by what a page shows of them, see PageCache._ref).
_SKIP = frozenset({"settings", "_context", "metadata", "edition", "versions", "related",
                   "translation_of", "script_of", "get_content", "_content"})
_CROSS_LINK_WORDS = ("filename", "attach", "index", "category", "tag", "author")
_CROSS_LINK = re.compile(rf"[{{|](?:{'|'.join(_CROSS_LINK_WORDS)})[}}|]")
_LINKS = frozenset({"versions", "translation_of", "script_of"})  # and "related", apart


class WarningCounter(logging.Handler):
    """Counts the warnings and errors logged: what logged them while being made (a page, a
    kept article) is not kept for the next build, so it warns again (a strict build must see
    it)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass(frozen=True)
class PageCacheConfig:
    """Where this build's page keys go and which earlier pages it may reuse (see above)."""

    keys_file: Path | None = None
    previous: str | None = None
    staged: str | None = None


class UsesPageCache:
    """A generator whose pages go through the page cache: newsdesk.build sets
    `page_cache_config` once, after every generator's context is made and before any writes."""

    page_cache_config: PageCacheConfig | None = None


class PageCache:
    """The previous build's page keys, and the keys of the pages written by this process."""

    def __init__(self, settings: dict[str, Any], config: PageCacheConfig | None = None):
        config = config or PageCacheConfig()
        self.settings = settings
        self.file = config.keys_file
        self.previous = config.previous
        self.known: dict[str, Any] = {}
        if self.previous and self.file:
            try:
                self.known = json.loads(Path(self.file).read_text(encoding="utf-8"))["pages"]
            except (OSError, ValueError, KeyError):
                self.previous = None
        self.staged: dict[str, Any] = {}
        if self.previous and config.staged:
            try:
                self.staged = json.loads(Path(config.staged).read_text(
                    encoding="utf-8"))["pages"]
            except (OSError, ValueError, KeyError):
                self.staged = {}
        self.keys: dict[str, Any] = {}
        self.unkeyed: set[str] = set()  # pages written without a key
        self.linked = self.rendered = 0
        self._digests: dict[int, tuple[bytes, bytes]] = {}
        self._refs: dict[int, tuple] = {}
        self.warnings = WarningCounter()

    def __enter__(self) -> "PageCache":
        logging.getLogger().addHandler(self.warnings)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self.warnings)

    def write(self, output_path: str, save_as: str, key: str | None,
              render: Callable[[], object]) -> None:
        """Link the page from the previous output if its key is the same, else render(); the
        key is kept for the next build unless rendering logged a warning. A page still in
        the staging folder with the same key is left there."""
        if key is not None and self.staged.get(save_as) == key:  # nothing to write
            self.keys[save_as] = key
            self.linked += 1
            return
        writable(self.settings, os.path.join(output_path, save_as))
        if save_as in self.staged:  # never written through: the live site may share the file
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(output_path, save_as))
        if key is not None and self.known.get(save_as) == key and self._link(output_path,
                                                                             save_as):
            self.keys[save_as] = key
            self.linked += 1
            return
        before = self.warnings.count
        render()
        self.rendered += 1
        if key is not None and self.warnings.count == before:
            self.keys[save_as] = key
        else:
            self.unkeyed.add(save_as)

    def remove_stale(self, output_path: str, written: Collection[str]) -> None:
        """Delete what is left in the staging folder of the spare's pages and search bundles
        (keys ending in "/") that this build did not write."""
        for path in self.staged:
            if path in written:
                continue
            target = os.path.join(output_path, path)
            if path.endswith("/"):
                shutil.rmtree(target, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(target)
            _remove_empty_parents(os.path.dirname(target.rstrip("/")), output_path)

    def folder_key(self, name: str) -> dict | None:
        """The key a folder of the output (`name` ends in "/", e.g. a search bundle) had in the
        last build, if it is still there, or else in the build before last (the staging
        folder); None if neither is known."""
        if self.previous is not None:
            known = self.known.get(name)
            if isinstance(known, dict) and os.path.isdir(os.path.join(self.previous, name)):
                return known
        staged = self.staged.get(name)
        return staged if isinstance(staged, dict) else None

    def keep_folder(self, output_path: str | Path, name: str, key: dict | None) -> bool:
        """Put the folder `name` as made with `key` in place: left in the staging folder, or
        linked from the previous build. False if it has to be made (what the staging folder
        had of it is then gone)."""
        if key is not None and self.staged.get(name) == key:
            return True
        if name in self.staged:
            shutil.rmtree(Path(output_path) / name)
        return (key is not None and self.previous is not None and self.known.get(name) == key
                and _link_tree(Path(self.previous) / name, Path(output_path) / name))

    def _link(self, output_path: str, save_as: str) -> bool:
        if self.previous is None:
            return False
        source = os.path.join(self.previous, save_as)
        target = os.path.join(output_path, save_as)
        try:
            os.link(source, target)
            return True
        except FileNotFoundError:  # mostly: the page's own folder is not made yet
            pass
        except OSError:
            return False
        folder = os.path.dirname(target)
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        try:
            os.link(source, target)  # fails if the page is not in the previous build
        except OSError:
            return False
        return True

    # -- keys ----------------------------------------------------------------------------------

    def key(self, *parts: object) -> str:
        """The key of a page made from these parts (articles, URL wrappers, lists, values)."""
        return hashlib.blake2b(_dump(self._plain(parts)), digest_size=16).hexdigest()

    def save(self, keys: dict[str, Any]) -> None:
        """Keep this build's keys ({save_as: key}) for newsdesk.build to put in place."""
        if self.file:
            _write_json(_pending(self.file), {"pages": keys})

    def digest_share(self, articles: Iterable[Content], share: Share
                     ) -> dict[int, tuple[bytes, bytes]]:
        """The digests of this process's share of the articles ({id: (digest, as listed)},
        to send back to the process that forked it, whose objects have the same ids)."""
        return {id(article): self._digest(article) for article in articles if share.take()}

    def add_digests(self, digests: dict[int, tuple[bytes, bytes]]) -> None:
        self._digests.update(digests)

    def article(self, article: Content) -> bytes:
        """An article's digest: everything about it a page can show (memoised per build)."""
        return self._digest(article)[0]

    def listed(self, article: Content) -> bytes:
        """The digest of an article as a listing shows it: all but its related reading (which
        a newer article changes), shown on its own page only."""
        return self._digest(article)[1]

    def _digest(self, article: Content) -> tuple[bytes, bytes]:
        known = self._digests.get(id(article))
        if known is not None:
            return known
        content = html_as_read(article)
        # Links to other content are resolved on output: their targets' URLs are part of the
        # text ({static} links depend on the settings alone).
        digest = hashlib.blake2b(
            (article.content if _links_to_content(content) else content).encode(),
            digest_size=16)
        # The metadata are attributes too; templates ask only which of them were given.
        state: list[Any] = [sorted(article.metadata)]
        state += [(name, value if type(value) in _PLAIN else self._plain(value))
                  for name, value in sorted(vars(article).items()) if name not in _SKIP]
        for name in sorted(_LINKS):
            value = getattr(article, name, None)
            if isinstance(value, dict):
                value = sorted(value.items())
            state.append((name, self._plain(value, follow=False)))
        digest.update(_dump(state))
        listed = digest.copy()
        digest.update(_dump(self._plain(getattr(article, "related", None), follow=False)))
        self._digests[id(article)] = result = (digest.digest(), listed.digest())
        return result

    def _plain(self, value: Any, follow: bool = True) -> Any:
        """The value as plain data (str, numbers, lists, tuples), the same in every run."""
        kind = type(value)
        if kind in _PLAIN:
            return value
        if kind in (list, tuple):
            return [item if type(item) in _PLAIN else self._plain(item, follow)
                    for item in value]
        if isinstance(value, Content):
            return self.article(value) if follow else self._ref(value)
        if isinstance(value, URLWrapper):
            # its URL follows from the slug and the edition's settings
            return kind.__name__, value.name, value.slug
        if isinstance(value, dict):
            return sorted((str(k), self._plain(v, follow)) for k, v in value.items())
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if hasattr(value, "cache_key"):
            return value.cache_key()
        return repr(value)

    def _ref(self, article: Content) -> tuple[Any, ...]:
        """What a page shows of an article it links to."""
        known = self._refs.get(id(article))
        if known is None:
            known = self._refs[id(article)] = (
                article.url, article.title, article.date.isoformat(),
                getattr(article, "translation_pending", 0),
                getattr(getattr(article, "edition", None), "code", ""))
        return known


def _link_tree(source: str | Path, target: str | Path) -> bool:
    """Hard-link every file of a previous build's folder into the new output; False if it is
    gone."""
    source, target = str(source), str(target)
    if not os.path.isdir(source):
        return False
    for folder, _, files in os.walk(source):
        destination = target + folder[len(source):]
        os.makedirs(destination, exist_ok=True)
        for name in files:
            os.link(os.path.join(folder, name), os.path.join(destination, name))
    return True


_PLAIN = frozenset({str, int, float, bool, type(None), bytes})


def _links_to_content(html: str) -> bool:
    """Whether the text links to other content ({filename}, |tag| …): the pattern is searched
    for only in a text where one of its words ends at a closing mark (a search that starts
    with a character class is slow on long texts, and every article has {static} links).
    The closing marks are few, and found fast; one search per word took eight times as long."""
    for mark in "}|":
        end = html.find(mark)
        while end != -1:
            if html.endswith(_CROSS_LINK_WORDS, 0, end):
                return _CROSS_LINK.search(html) is not None
            end = html.find(mark, end + 1)
    return False


def _dump(value: Any) -> bytes:
    """Bytes of plain data, the same in every run (marshal format 2 has no back-references)."""
    return marshal.dumps(value, 2)


def keys_file(cache: str | Path, output: str | Path) -> Path:
    """The file that keeps the page keys of the build in `output`."""
    name = hashlib.sha1(str(output).encode()).hexdigest()[:16]
    return Path(cache) / f"pages-{name}.json"


def spare_folder(output: str | Path) -> Path:
    """Where the build before last is kept, to be the next build's staging folder."""
    output = Path(output)
    return output.with_name(f".{output.name}.spare")


def _spare_keys_file(cache: str | Path, output: Path) -> Path:
    path = keys_file(cache, output)
    return path.with_name(f"{path.stem}.spare.json")


def _state_file(keys: Path) -> Path:
    """Beside a keys file, which build it describes: {"site": site key, "output": the output
    folder's stamp, "keys": the keys file's stamp}. Small, so that deciding whether the keys
    may be used, and moving them on, never reads the keys themselves."""
    return keys.with_name(f"{keys.stem}.state.json")


def _described(keys: Path, site_key: str, folder: str | Path) -> bool:
    """Whether the keys file describes `folder`, built from the site `site_key`."""
    try:
        state = json.loads(_state_file(keys).read_text(encoding="utf-8"))
        return (state["site"] == site_key and Path(folder).is_dir()
                and state["output"] == fingerprint.output_stamp(folder)
                and state["keys"] == list(file_stamp(keys) or ()))
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _describe(keys: Path, site_key: str, folder: str | Path) -> None:
    _write_json(_state_file(keys), {"site": site_key, "keys": file_stamp(keys),
                                     "output": fingerprint.output_stamp(folder)})


def take_spare(cache: str | Path, output: Path, site_key: str,
               staging: Path) -> "SpareClearing | None":
    """Move the spare to `staging`, if its keys describe it and the same site, and start
    clearing it for the build; return the SpareClearing, or None if there is no usable spare."""
    spare, spare_keys = spare_folder(output), _spare_keys_file(cache, output)
    if not _described(spare_keys, site_key, spare):
        drop_spare(cache, output)
        return None
    _state_file(spare_keys).unlink()
    os.rename(spare, staging)
    return SpareClearing(staging, spare_keys)


class SpareClearing:
    """A staging folder taken from the spare, cleared (`_clear`) by a forked process while the
    build reads its content: one walk of the whole site, off the build's path. Nothing may be
    written into the folder before `wait` returns. The keys file gives the keys of the pages
    in the folder, and is replaced by those of the pages left in it."""

    def __init__(self, staging: Path, keys_file: Path) -> None:
        self.staging, self.keys_file = staging, keys_file
        self.failure: str | None = None
        read_end, write_end = os.pipe()
        self.pid: int | None = processes.fork()
        if self.pid == 0:  # the clearing process: never returns into the caller's code
            try:
                os.close(read_end)
                os.write(write_end, (self._clear() or "").encode())
            finally:
                os._exit(0)
        os.close(write_end)
        self.pipe = read_end

    def _clear(self) -> str | None:
        """Clear the folder and keep the keys of the pages left in it; None, or what failed."""
        try:
            pages = json.loads(self.keys_file.read_text(encoding="utf-8"))["pages"]
            _write_json(self.keys_file, {"pages": _clear(self.staging, pages)})
        except Exception as exc:  # the build goes on in a new folder
            return f"{type(exc).__name__}: {exc}"
        return None

    def wait(self) -> str | None:
        """The keys file of the pages left in the staging folder (PageCacheConfig.staged), or
        None if it could not be cleared: the folder is then deleted, and the build makes a new
        one."""
        if self.pid is not None:
            with os.fdopen(self.pipe, "rb") as fp:
                self.failure = fp.read().decode() or None
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            if status and not self.failure:
                self.failure = f"the clearing process ended with status {status}"
            if self.failure:
                log.info("%s: not reused, building in a new folder (%s)", self.staging,
                         self.failure)
                shutil.rmtree(self.staging, ignore_errors=True)
        return None if self.failure else str(self.keys_file)


def retire(cache: str | Path, output: Path, retired: Path | None, reusable: bool) -> None:
    """Keep `retired`, the folder the new build replaced, as the spare with the keys that
    describe it (`reusable`: the keys file does), else delete it in the background. Call
    before `remember`, which replaces those keys."""
    drop_spare(cache, output)
    if retired is None:
        return
    keys = keys_file(cache, output)
    try:
        site = json.loads(_state_file(keys).read_text(encoding="utf-8"))["site"]
    except (OSError, ValueError, KeyError):
        site = None
    if not (reusable and site):
        delete_in_background(retired)
        return
    spare, spare_keys = spare_folder(output), _spare_keys_file(cache, output)
    try:
        os.replace(keys, spare_keys)
    except OSError:
        delete_in_background(retired)
        return
    os.rename(retired, spare)
    _describe(spare_keys, site, spare)


def drop_spare(cache: str | Path, output: Path) -> None:
    """Forget the spare and delete it (in the background)."""
    _state_file(_spare_keys_file(cache, output)).unlink(missing_ok=True)
    _spare_keys_file(cache, output).unlink(missing_ok=True)
    spare = spare_folder(output)
    if spare.exists():
        doomed = retired_folder(output)
        os.rename(spare, doomed)
        delete_in_background(doomed)


def retired_folder(output: str | Path) -> Path:
    """A new, empty folder beside the output to move a site into before it is deleted (a
    folder replaces an empty one by rename). Its name is unique: the background delete of an
    earlier one, by a process with the same ID, may still be running."""
    output = Path(output)
    return Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.old-"))


def delete_in_background(folder: str | Path) -> None:
    """`rm -rf` the folder in the background: thousands of files take seconds."""
    try:
        processes.detached(["rm", "-rf", str(folder)])
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def _clear(staging: Path, pages: dict[str, Any]) -> dict[str, Any]:
    """Delete from a staging folder every file but the pages and search bundles with a key,
    which the writers keep or unlink; return the keys of those still there."""
    root = str(staging)
    bundles = {path.rstrip("/") for path in pages if path.endswith("/")}
    present: dict[str, Any] = {}
    emptied: set[str] = set()
    for folder, folders, files in os.walk(root):
        relative = "" if folder == root else folder[len(root) + 1:] + "/"
        if relative and relative[:-1] in bundles:  # a search bundle, left whole
            present[relative] = pages[relative]
            folders[:] = []
            continue
        for name in files:
            path = relative + name
            if path in pages:
                present[path] = pages[path]
            else:
                os.unlink(os.path.join(folder, name))
                emptied.add(folder)
    for folder in sorted(emptied, key=len, reverse=True):
        _remove_empty_parents(folder, root)
    return present


def _remove_empty_parents(folder: str, root: str) -> None:
    """Remove `folder` and its parents up to `root` (kept) while they are empty."""
    root = os.path.normpath(root)
    folder = os.path.normpath(folder)
    while folder != root and folder.startswith(root + os.sep):
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = os.path.dirname(folder)


def _pending(path: Path) -> Path:
    return Path(f"{path}.new-{os.getpid()}")


def previous_build(cache: str | Path, output: Path, site_key: str) -> str | None:
    """`output` if its pages may be reused: the keys file describes the folder now there,
    built from the same code, theme, photos and settings; else None."""
    return str(output) if _described(keys_file(cache, output), site_key, output) else None


def remember(cache: str | Path, output: Path, site_key: str) -> None:
    """Put the keys of the build now in `output` in place (written whole or not at all)."""
    keys = keys_file(cache, output)
    _state_file(keys).unlink(missing_ok=True)
    try:
        os.replace(_pending(keys), keys)
    except FileNotFoundError:  # nothing was written with a key
        _write_json(keys, {"pages": {}})
    _describe(keys, site_key, output)
    discard(cache, output)


def discard(cache: str | Path, output: Path, every_build: bool = False) -> None:
    """Drop the keys of a build that was not put in place (`every_build`: also those left by
    killed builds of the same output)."""
    path = keys_file(cache, output)
    pending = path.parent.glob(f"{path.name}.new-*") if every_build else [_pending(path)]
    for leftover in pending:
        leftover.unlink(missing_ok=True)


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(data, sort_keys=True).encode())
