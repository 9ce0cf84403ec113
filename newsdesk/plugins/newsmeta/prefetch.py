"""Read the articles that are not kept from the last build on every core, before Pelican asks.

Pelican reads files one by one. Before the first article is read, the Markdown of every
article file that is new or changed since its kept copy (newsmeta.kept) is converted by forked
workers (newsdesk.parallel) and put in Pelican's reader cache, where its own reading finds it.
A file that fails is left out, so Pelican reads it again and reports it as usual; records
logged while reading the others are passed on once. Needs CACHE_CONTENT with
CONTENT_CACHING_LAYER "reader"; READ_WORKERS [number of cores]; below PREFETCH_MIN [200]
stale files it is not worth forking.
"""

import logging
import os
from typing import Any

from newsdesk.parallel import RecordCollector, Share, replay, run_shared, worker_count
from newsdesk.pelican_seams import without_discarded

from .metadata import url_wrappers

log = logging.getLogger(__name__)

_DONE: set[int] = set()


def prefetch_articles(generator: Any) -> None:
    """On the generator's first article: read every stale article file in parallel."""
    if id(generator) in _DONE:
        return
    _DONE.add(id(generator))
    settings = generator.settings
    if not (settings.get("CACHE_CONTENT") and settings.get("CONTENT_CACHING_LAYER") == "reader"):
        return
    readers = generator.readers
    reader = readers.readers.get("md")
    if reader is None:
        return
    files = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    kept = getattr(generator, "kept_articles", None)
    stale = [os.path.abspath(os.path.join(generator.path, f)) for f in files
             if f.endswith(tuple(reader.file_extensions)) and not (kept and kept.usable(f))]
    stale = [path for path in stale if readers.get_cached_data(path, None) is None]
    if len(stale) < settings.get("PREFETCH_MIN", 200):
        return

    def read_share(share: Share) -> tuple[list[tuple[str, Any]], list[logging.LogRecord]]:
        root = logging.getLogger()
        handlers, collect = root.handlers, RecordCollector()
        root.handlers = [collect]
        read = []
        try:
            for path in stale:
                if not share.take():
                    continue
                mark = len(collect.records)
                try:
                    content, metadata = reader.read(path)
                except Exception:  # Pelican reads it again and reports it
                    del collect.records[mark:]
                    continue
                read.append((path, (content, without_discarded(metadata))))
        finally:
            root.handlers = handlers
        return read, collect.records

    workers = worker_count(settings, "READ_WORKERS")
    for result in run_shared(read_share, workers):
        read, records = result
        replay(records)
        for path, (content, metadata) in read:
            readers.cache_data(path, (content, _with_settings(metadata, readers.settings)))
    log.info("%d article file(s) read on %d processes", len(stale), workers)


def _with_settings(metadata: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """Metadata from a worker, its categories, tags and authors given this process's settings
    (each came back with its own copy, which every cache would then store again)."""
    for wrapper in url_wrappers(metadata.values()):
        wrapper.settings = settings
    return metadata
