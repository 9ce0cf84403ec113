"""Search in every edition, fully static: Pagefind bundles per edition under `<prefix>pagefind/`,
made from that edition's article pages only once they are written.

An edition's index is split into SEARCH_SHARDS bundles (`<prefix>pagefind/<n>/`, listed in
`<prefix>pagefind/shards.json`); an article belongs to shard crc32(key) mod SEARCH_SHARDS for
good, and the search page merges the shards (Pagefind's mergeIndex). Shards are indexed in
parallel, and each Pagefind run needs memory for its shard only.

A rebuild keeps the shards as they were (linked from the previous build, newsdesk.pagecache)
and indexes the pages that changed since (edited, new) in the edition's recent bundle
(`<prefix>pagefind/recent/`): a few pages, where their shards hold thousands. The old versions
still in the shards, and the pages gone since, are listed by Pagefind's page id as
`superseded` in shards.json; the search page leaves them out. When the recent bundle would pass
SEARCH_RECENT_MAX pages, the shards with the most changes are indexed again instead.

Only article bodies and titles are indexed (data-pagefind-body on the article, navigation and
bylines ignored), and pages waiting for their translation not at all. Serbian has no stemmer in
Pagefind; the search page strips common Serbian endings from the query instead (budžetu, budžeta
→ budžet), and Pagefind's prefix matching finds every form. Settings (defaults in brackets):
- SEARCH_INDEX [True]: run Pagefind after the build.
- SEARCH_SHARDS [8]: bundles per edition; more make a shard's indexing cheaper and searches
  fetch more files.
- SEARCH_RECENT_MAX [100]: pages of an edition indexed in its recent bundle at most.
"""

import gzip
import hashlib
import json
import logging
import os
import shutil
import tempfile
import zlib
from collections import defaultdict
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pagefind_bin
from pelican import signals

from newsdesk import processes
from newsdesk.pagecache import PageCache
from newsdesk.parallel import cores
from newsdesk.plugins.editions.generator import EditionsGenerator
from newsdesk.plugins.editions.model import Edition
from newsdesk.progress import progress
from newsdesk.signals import editions_written
from newsdesk.transliterate import to_cyrillic

log = logging.getLogger(__name__)

PageKeys = dict[str, str | None]  # {page: its key (newsdesk.pagecache), None if it has none}

# Endings of Serbian nouns and adjectives, longest first; a query word keeps at least 3 letters.
SERBIAN_ENDINGS = ("ovima", "evima", "ijama", "ama", "ima", "oma", "ema", "ove", "eve", "ova",
                   "eva", "om", "em", "og", "eg", "oj", "ih", "im", "u", "a", "e", "i", "o")


def search_endings(edition: Edition) -> list[str]:
    """The endings the search page strips from a query in this edition."""
    if edition.language != "sr":
        return []
    if edition.code.endswith("Cyrl"):
        return [to_cyrillic(e) for e in SERBIAN_ENDINGS]
    return list(SERBIAN_ENDINGS)


def add_template_helpers(generator: Any) -> None:
    generator.env.globals["search_endings"] = search_endings


def shard_of(key: str, shards: int) -> int:
    """The shard of an article: by its key, so it stays in the same one for good."""
    return zlib.crc32(key.encode()) % shards


def build_index(generator: EditionsGenerator, cache: PageCache, keys: dict[str, Any]) -> None:
    """Index every edition's articles: each shard whose pages changed is indexed again, or,
    while few pages changed, kept as it is and those pages are indexed in the edition's recent
    bundle. A bundle the same as in the build before last is left in the staging folder
    (newsdesk.pagecache), one as in the last build is linked from it; Pagefind runs in
    parallel. The keys of the bundles describe them: {"key": ..., "pages": {page: [page key,
    Pagefind's page id]}}."""
    settings = generator.settings
    if not settings.get("SEARCH_INDEX", True):
        return
    output = Path(generator.output_path)
    count = max(1, settings.get("SEARCH_SHARDS", 8))
    plans = []
    for edition in generator.editions:
        shards: defaultdict[int, PageKeys] = defaultdict(dict)
        for article in generator.listings[edition.code].all_articles:
            if not getattr(article, "translation_pending", 0):
                shards[shard_of(article.key, count)][article.save_as] = keys.get(article.save_as)
        plans.append(EditionIndex(edition, shards, cache,
                                  settings.get("SEARCH_RECENT_MAX", 100)))
    bundles = [bundle for plan in plans for bundle in plan.bundles]
    to_index = [bundle for bundle in bundles if not _in_place(cache, output, bundle)]
    with ThreadPoolExecutor(max_workers=cores()) as pool:
        runs = pool.map(lambda bundle: _pagefind(output, bundle), to_index)
        failures = [f for f in progress(runs, "Indexing search shards", total=len(to_index),
                                        enabled=len(to_index) > 4) if f]
    for bundle, message in failures:
        log.error("search index of %s (%s): pagefind failed: %s", bundle.edition.code,
                  bundle.name, message)
    for bundle in bundles:
        if bundle.description and bundle.description["key"] is not None:
            keys[bundle.name] = bundle.description
    for plan in plans:
        plan.write_manifest(output)
    if bundles:
        log.info("search: %d of %d bundle(s) indexed", len(to_index), len(bundles))


@dataclass
class Bundle:
    """One Pagefind bundle: the pages to index, or the description of the bundle it is."""

    edition: Edition
    name: str  # its folder in the output, "<prefix>pagefind/<n>/"
    pages: PageKeys  # to index
    description: dict[str, Any] | None = None  # set when it is made, or when it is kept as it was

    @property
    def key(self) -> str | None:
        values = list(self.pages.values())
        return None if None in values else hashlib.sha1(
            repr(sorted(self.pages.items())).encode()).hexdigest()

    def same_as(self, before: dict[str, Any] | None) -> bool:
        """Take `before` (a previous bundle's description) if it was made from these pages."""
        if before and self.key is not None and before["key"] == self.key:
            self.description = before
        return self.description is not None


class EditionIndex:
    """The bundles of one edition: its shards, and the recent bundle with the pages that changed
    in the shards kept as they were."""

    def __init__(self, edition: Edition, shards: Mapping[int, PageKeys], cache: PageCache,
                 recent_max: int) -> None:
        self.edition = edition
        self.root = f"{edition.prefix}pagefind/"
        self.bundles: list[Bundle] = []
        candidates: list[tuple[Bundle, dict[str, Any], PageKeys, set[str]]] = []
        for number, pages in sorted(shards.items()):
            bundle = Bundle(edition, f"{self.root}{number}/", pages)
            before = cache.folder_key(bundle.name)
            if not bundle.same_as(before) and before:
                indexed = before["pages"]
                changed = {page: key for page, key in pages.items()
                           if key is None or indexed.get(page, [None])[0] != key[:16]}
                candidates.append((bundle, before, changed, indexed.keys() - pages.keys()))
            self.bundles.append(bundle)
        recent: PageKeys = {}
        self.superseded: dict[str, str] = {}
        taken = 0
        # Keep the shards with the fewest changes, as long as the recent bundle stays small.
        for bundle, before, changed, gone in sorted(candidates,
                                                    key=lambda c: len(c[2]) + len(c[3])):
            if taken + len(changed) + len(gone) > recent_max:
                continue
            taken += len(changed) + len(gone)
            bundle.description = before
            recent.update(changed)
            self.superseded.update({before["pages"][page][1]: _url(page)
                                    for page in (changed.keys() | gone)
                                    if page in before["pages"]})
        self.recent: Bundle | None = None
        if recent:
            self.recent = Bundle(edition, f"{self.root}recent/", recent)
            self.recent.same_as(cache.folder_key(self.recent.name))
            self.bundles.append(self.recent)

    def write_manifest(self, output: Path) -> None:
        """shards.json: the bundles, and the pages in kept shards that are no longer as indexed
        there ({Pagefind's id: URL}; the search page leaves them out, and lists each URL
        once: Pagefind's ids are short hashes, unique within one bundle only)."""
        names = [b.name[len(self.root):] for b in self.bundles]
        superseded = dict(self.superseded)
        if self.recent and self.recent.description:
            for page, (_, id_) in self.recent.description["pages"].items():
                if superseded.get(id_) == _url(page):  # the same text: in both bundles
                    del superseded[id_]
        manifest = output / self.root / "shards.json"
        manifest.parent.mkdir(parents=True, exist_ok=True)
        manifest.write_text(json.dumps({"bundles": names, "superseded": superseded},
                                       sort_keys=True), encoding="utf-8")


def _in_place(cache: PageCache, output: Path, bundle: Bundle) -> bool:
    """Put a bundle described as already made in place (newsdesk.pagecache: left in the
    staging folder, or linked from the previous build). False if it has to be made."""
    if cache.keep_folder(output, bundle.name, bundle.description):
        return True
    bundle.description = None
    return False


def _pagefind(output: Path, bundle: Bundle) -> tuple[Bundle, str] | None:
    """Run Pagefind on the bundle's pages and describe what it made; None, or (bundle,
    message) if it failed."""
    # Beside the output, so that its pages can be linked into it.
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=f".{output.name}.search-") as folder:
        # Pagefind walks its whole site folder: it gets one holding only these pages, at their
        # paths in the output (which make their URLs).
        site = Path(folder) / "site"
        made: set[str] = set()
        for page in bundle.pages:
            target = os.path.join(site, page)
            parent = os.path.dirname(target)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            _link_or_copy(os.path.join(output, page), target)
        # Pagefind reads its options from the folder it runs in.
        config = {"site": str(site), "output_path": str(output / bundle.name), "quiet": True}
        (Path(folder) / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        try:
            result = processes.run([str(pagefind_bin.get_executable())], cwd=folder,
                                   capture_output=True, text=True)
        except OSError as exc:
            return bundle, str(exc)
    if result.returncode:
        return bundle, (result.stderr or result.stdout).strip()
    # Pagefind writes JSON keys in hash-map order; sorted, two builds are byte-identical.
    entry = output / bundle.name / "pagefind-entry.json"
    data = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False,
                                separators=(",", ":")), encoding="utf-8")
    ids = page_ids(output / bundle.name)
    bundle.description = {"key": bundle.key, "pages": {
        page: [key and key[:16], ids.get(_url(page))] for page, key in bundle.pages.items()}}
    return None


def page_ids(folder: str | Path) -> dict[str, str]:
    """{URL: Pagefind's id} of the pages in a bundle (its fragments: gzipped JSON, named by id)."""
    ids: dict[str, str] = {}
    for fragment in Path(folder, "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        ids[json.loads(data)["url"]] = fragment.name.removesuffix(".pf_fragment")
    return ids


def _url(page: str) -> str:
    """The URL Pagefind gives a page of the output."""
    return "/" + page.removesuffix("index.html")


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copyfile(source, target)


def register() -> None:
    signals.generator_init.connect(add_template_helpers)
    editions_written.connect(build_index)
