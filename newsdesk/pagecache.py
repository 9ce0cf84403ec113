"""Pages whose inputs did not change since the last build are taken from it, not rendered.

Each page the editions plugin writes gets a key: a hash of the template, the page's place and
what it shows (objects by their `cache_key()`, every article on it by its digest: text,
metadata, URLs, flags, and the title, URL and date of the articles it links to: versions,
original, related reading). An object of a kind not known here must declare its key
(`cache_key()`): the build stops otherwise, rather than take it by its repr. When the previous
build of the same output folder wrote that page with the same key, the file is hard-linked
from it into the new output instead of rendered again. Hand edits inside the output folder
are not noticed (`--force` renders every page).

The folder a build replaces is kept beside the output as the spare (`.<output>.spare`), with its
keys, and becomes the next build's staging folder (newsdesk.build): there, a page whose key is
the one it had two builds ago is left where it is, with no file-system work at all. Everything
else in it is deleted before anything is written (`take_spare`), and a page made again is
unlinked before it is written: the spare shares its files with the live site (hard links), so
no file of it is ever written through.

The site as a whole (code, theme, photos, settings, library versions) is not in the page keys:
newsdesk.build offers the previous build's keys only when those are the same
(`fingerprint.site_key`), so a change to any of them renders every page.

Contract with the theme: a listing page depends on the articles it lists (all of each but its
related reading: `PageCache.listed`), on its own place and label and its neighbours'
(newsdesk.plugins.editions.pagination), and only the first page on how many the whole listing
has (`articles|length`), not on the rest of the listing; the site-wide pages (archives, the
lists of sections, topics and authors, search, 404) are always rendered.

What newsdesk.build hands the editions generator for one build is a PageCacheConfig (without
one, every page is rendered and no key is kept): the keys of the previous build's pages and its
folder, if they may be reused; the keys of the pages still in the staging folder (the spare
taken by `take_spare`, known once it is cleared, before the generators write); and where this
build's keys go. The keys are kept in the build state (newsdesk.buildstate, table page_sets):
those of the output folder and those of the spare, each set in one row with the site key it was
made with and the stamp of the folder they describe, written by newsdesk.build in the
transaction that ends a build (`remember`).
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
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from newsdesk import fingerprint, processes
from newsdesk.buildstate import Store, Transaction
from newsdesk.parallel import Share
from newsdesk.paths import WriteGate
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

    known: Mapping[str, Any] = field(default_factory=dict)  # the keys of `previous`' pages
    previous: str | None = None
    staged: Mapping[str, Any] = field(default_factory=dict)
    written: "WrittenPages | None" = None  # takes this build's keys and counts


@dataclass
class WrittenPages:
    """What a build's pages came to: their keys ({save_as: key}), how many were rendered and
    how many kept from an earlier build."""

    keys: dict[str, Any] = field(default_factory=dict)
    rendered: int = 0
    unchanged: int = 0


class UsesPageCache:
    """A generator whose pages go through the page cache: newsdesk.build sets
    `page_cache_config` once, after every generator's context is made and before any writes."""

    page_cache_config: PageCacheConfig | None = None


class PageCache:
    """The previous build's page keys, and the keys of the pages written by this process."""

    def __init__(self, settings: dict[str, Any], config: PageCacheConfig | None = None):
        config = config or PageCacheConfig()
        self.settings = settings
        self.previous = config.previous
        self.known = config.known if self.previous else {}
        self.staged = config.staged if self.previous else {}
        self.written = config.written
        self.keys: dict[str, Any] = {}
        self.unkeyed: set[str] = set()  # pages written without a key
        self.linked = self.rendered = 0
        self._digests: dict[int, tuple[bytes, bytes]] = {}
        self._refs: dict[int, tuple] = {}
        self.warnings = WarningCounter()
        self._gate: WriteGate | None = None

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
        if self._gate is None:
            self._gate = WriteGate(self.settings)
        self._gate(os.path.join(output_path, save_as))
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

    def save(self, keys: dict[str, Any], rendered: int, unchanged: int) -> None:
        """Keep this build's keys ({save_as: key}) for newsdesk.build to put in place, with
        how many pages were rendered and kept."""
        if self.written is not None:
            self.written.keys.update(keys)
            self.written.rendered += rendered
            self.written.unchanged += unchanged

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
        """The value as plain data (str, numbers, lists, tuples), the same in every run; an
        object that is none of the kinds known here declares its key (`cache_key()`), or the
        build stops (its repr might not change when what a page shows of it does)."""
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
        if isinstance(value, tzinfo):
            return str(value)
        raise TypeError(f"a page shows a {kind.__module__}.{kind.__qualname__}, which the page "
                        "cache cannot tell apart: give its class a cache_key() method "
                        "(newsdesk.pagecache)")

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


def spare_folder(output: str | Path) -> Path:
    """Where the build before last is kept, to be the next build's staging folder."""
    output = Path(output)
    return output.with_name(f".{output.name}.spare")


def take_spare(state: Store, output: Path, site_key: str,
               staging: Path) -> "SpareClearing | None":
    """Move the spare to `staging`, if its keys describe it and the same site, and start
    clearing it for the build; return the SpareClearing, or None if there is no usable spare."""
    spare = spare_folder(output)
    if not _described(state, output, "spare", site_key, spare):
        drop_spare(output)
        return None
    pages = state.page_keys(output, "spare")
    os.rename(spare, staging)
    return SpareClearing(staging, pages)


class SpareClearing:
    """A staging folder taken from the spare, cleared (`_clear`) by a forked process while the
    build reads its content: one walk of the whole site, off the build's path. Nothing may be
    written into the folder before `wait` returns, with the keys of the pages left in it."""

    def __init__(self, staging: Path, pages: Mapping[str, Any]) -> None:
        self.staging = staging
        self.failure: str | None = None
        self.left: dict[str, Any] = {}
        read_end, write_end = os.pipe()
        self.pid: int | None = processes.fork()
        if self.pid == 0:  # the clearing process: never returns into the caller's code
            try:
                os.close(read_end)
                os.write(write_end, json.dumps(self._clear(pages)).encode())
            finally:
                os._exit(0)
        os.close(write_end)
        self.pipe = read_end

    def _clear(self, pages: Mapping[str, Any]) -> dict[str, Any]:
        """Clear the folder; {"pages": the keys of the pages left in it} or {"failure": what
        failed}."""
        try:
            return {"pages": _clear(self.staging, pages)}
        except Exception as exc:  # the build goes on in a new folder
            return {"failure": f"{type(exc).__name__}: {exc}"}

    def wait(self) -> dict[str, Any]:
        """The keys of the pages left in the staging folder (PageCacheConfig.staged), or none
        if it could not be cleared: the folder is then deleted, and the build makes a new
        one."""
        if self.pid is not None:
            with os.fdopen(self.pipe, "rb") as fp:
                sent = fp.read()
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            try:
                answer = json.loads(sent)
                self.left, self.failure = answer.get("pages", {}), answer.get("failure")
            except ValueError:
                self.failure = f"the clearing process ended with status {status}"
            if self.failure:
                log.info("%s: not reused, building in a new folder (%s)", self.staging,
                         self.failure)
                shutil.rmtree(self.staging, ignore_errors=True)
                self.left = {}
        return self.left


def retire(output: Path, retired: Path | None, reusable: bool) -> list[int] | None:
    """Keep `retired`, the folder the new build replaced, as the spare (`reusable`: the
    previous build's keys describe it), else delete it in the background; return the spare's
    stamp, for `remember`, or None if there is none."""
    drop_spare(output)
    if retired is None:
        return None
    if not reusable:
        delete_in_background(retired)
        return None
    spare = spare_folder(output)
    os.rename(retired, spare)
    return fingerprint.output_stamp(spare)


def drop_spare(output: Path) -> None:
    """Delete the spare (in the background); its keys are dropped by `remember`."""
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


def _clear(staging: Path, pages: Mapping[str, Any]) -> dict[str, Any]:
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


def _described(state: Store, output: Path, slot: str, site_key: str, folder: Path) -> bool:
    """Whether the keys of `output`'s slot describe `folder`, built from the site `site_key`."""
    described = state.page_set(output, slot)
    return (described is not None and described[0] == site_key and folder.is_dir()
            and described[1] == fingerprint.output_stamp(folder))


def previous_build(state: Store, output: Path, site_key: str) -> dict[str, Any] | None:
    """The keys of the pages in `output` if they may be reused: they describe the folder now
    there, built from the same code, theme, photos and settings; else None."""
    if not _described(state, output, "live", site_key, output):
        return None
    return state.page_keys(output, "live")


def remember(writes: Transaction, output: Path, site_key: str, keys: Mapping[str, Any],
             spare: list[int] | None) -> None:
    """Record the keys of the build now in `output`, and those of the spare (the previous
    build's, if `retire` kept its folder: `spare` is its stamp)."""
    if spare is None:
        writes.drop_pages(output, "spare")
    else:
        writes.move_pages(output, "live", "spare", spare)
    writes.put_pages(output, "live", site_key, fingerprint.output_stamp(output), keys)
