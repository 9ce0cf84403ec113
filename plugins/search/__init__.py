"""Search in every edition, fully static: Pagefind bundles per edition under `<prefix>pagefind/`,
made from that edition's article pages only once they are written.

An edition's index is split into SEARCH_SHARDS bundles (`<prefix>pagefind/<n>/`, listed in
`<prefix>pagefind/shards.json`); an article belongs to shard crc32(key) mod SEARCH_SHARDS for
good, and the search page merges the shards (Pagefind's mergeIndex). A rebuild indexes again
only the shards with a page that changed (newsdesk.pagecache); the others are linked from the
previous build. Shards are indexed in parallel, and each Pagefind run needs memory for its
shard only.

Only article bodies and titles are indexed (data-pagefind-body on the article, navigation and
bylines ignored), and pages waiting for their translation not at all. Serbian has no stemmer in
Pagefind; the search page strips common Serbian endings from the query instead (budžetu, budžeta
→ budžet), and Pagefind's prefix matching finds every form. Settings (defaults in brackets):
- SEARCH_INDEX [True]: run Pagefind after the build.
- SEARCH_SHARDS [8]: bundles per edition; more make rebuilds after an edit cheaper and
  searches fetch more files.
"""

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
import zlib
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pagefind_bin
from editions.generator import editions_written
from pelican import signals

from newsdesk.progress import progress
from newsdesk.transliterate import to_cyrillic

log = logging.getLogger(__name__)

# Endings of Serbian nouns and adjectives, longest first; a query word keeps at least 3 letters.
SERBIAN_ENDINGS = ("ovima", "evima", "ijama", "ama", "ima", "oma", "ema", "ove", "eve", "ova",
                   "eva", "om", "em", "og", "eg", "oj", "ih", "im", "u", "a", "e", "i", "o")


def search_endings(edition):
    """The endings the search page strips from a query in this edition."""
    if edition.language != "sr":
        return []
    if edition.code.endswith("Cyrl"):
        return [to_cyrillic(e) for e in SERBIAN_ENDINGS]
    return list(SERBIAN_ENDINGS)


def add_template_helpers(generator):
    generator.env.globals["search_endings"] = search_endings


def shard_of(key, shards):
    """The shard of an article: by its key, so it stays in the same one for good."""
    return zlib.crc32(key.encode()) % shards


def build_index(generator, cache, keys):
    """Index every edition's articles, shard by shard: a shard whose pages are all as in the
    build before last is left in the staging folder (newsdesk.pagecache), one as in the last
    build is linked from it, the others are indexed by Pagefind (in parallel)."""
    settings = generator.settings
    if not settings.get("SEARCH_INDEX", True):
        return
    output = Path(generator.output_path)
    count = max(1, settings.get("SEARCH_SHARDS", 8))
    jobs, manifests = [], {}
    for edition in generator.editions:
        shards = defaultdict(list)
        for article in generator.listings[edition.code].all_articles:
            if not getattr(article, "translation_pending", 0):
                shards[shard_of(article.key, count)].append(article.save_as)
        manifests[edition.prefix] = sorted(shards)
        for number, pages in sorted(shards.items()):
            bundle = f"{edition.prefix}pagefind/{number}/"
            page_keys = [keys.get(page) for page in sorted(pages)]
            key = None if None in page_keys else hashlib.sha1(
                repr((sorted(pages), page_keys)).encode()).hexdigest()
            jobs.append((edition, bundle, sorted(pages), key))
    to_index = []
    for edition, bundle, pages, key in jobs:
        if key is not None:
            keys[bundle] = key
        if key is not None and cache.staged.get(bundle) == key:
            continue  # still in the staging folder, from the build before last
        if bundle in cache.staged:
            shutil.rmtree(output / bundle)
        if not (key is not None and cache.previous and cache.known.get(bundle) == key
                and _link_tree(Path(cache.previous) / bundle, output / bundle)):
            to_index.append((edition, bundle, pages))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        runs = pool.map(lambda job: _pagefind(output, *job), to_index)
        failures = [f for f in progress(runs, "Indexing search shards", total=len(to_index),
                                        enabled=len(to_index) > 4) if f]
    for edition, bundle, message in failures:
        log.error("search index of %s (%s): pagefind failed: %s", edition.code, bundle, message)
        keys.pop(bundle, None)
    for prefix, numbers in manifests.items():
        manifest = output / f"{prefix}pagefind" / "shards.json"
        manifest.parent.mkdir(parents=True, exist_ok=True)
        manifest.write_text(json.dumps({"bundles": [f"{n}/" for n in numbers]}),
                            encoding="utf-8")
    if jobs:
        log.info("search: %d of %d shard(s) indexed", len(to_index), len(jobs))


def _pagefind(output, edition, bundle, pages):
    """Run Pagefind on these pages; None, or (edition, bundle, message) if it failed."""
    # Beside the output, so that its pages can be linked into it.
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=f".{output.name}.search-") as folder:
        # Pagefind walks its whole site folder: it gets one holding only these pages, at their
        # paths in the output (which make their URLs).
        site = Path(folder) / "site"
        made = set()
        for page in pages:
            target = os.path.join(site, page)
            parent = os.path.dirname(target)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            _link_or_copy(os.path.join(output, page), target)
        # Pagefind reads its options from the folder it runs in.
        config = {"site": str(site), "output_path": str(output / bundle), "quiet": True}
        (Path(folder) / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        try:
            result = subprocess.run([str(pagefind_bin.get_executable())], cwd=folder,
                                    capture_output=True, text=True)
        except OSError as exc:
            return edition, bundle, str(exc)
    if result.returncode:
        return edition, bundle, (result.stderr or result.stdout).strip()
    # Pagefind writes JSON keys in hash-map order; sorted, two builds are byte-identical.
    entry = output / bundle / "pagefind-entry.json"
    data = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False,
                                separators=(",", ":")), encoding="utf-8")
    return None


def _link_or_copy(source, target):
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copyfile(source, target)


def _link_tree(source, target):
    """Hard-link every file of a previous bundle into the new output; False if it is gone."""
    source, target = str(source), str(target)
    if not os.path.isdir(source):
        return False
    for folder, _, files in os.walk(source):
        destination = target + folder[len(source):]
        os.makedirs(destination, exist_ok=True)
        for name in files:
            os.link(os.path.join(folder, name), os.path.join(destination, name))
    return True


def register():
    signals.generator_init.connect(add_template_helpers)
    editions_written.connect(build_index)
