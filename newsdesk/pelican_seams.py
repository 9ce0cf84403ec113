"""Every touch of a Pelican 4.12 internal, in one place: Pelican offers no public way to do these.

Check each when Pelican is upgraded; the rest of the project calls these functions instead.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pelican.readers import _filter_discardable_metadata

if TYPE_CHECKING:
    from pelican.contents import Content
    from pelican.generators import Generator
    from pelican.readers import Readers


def without_discarded(metadata: dict[str, Any]) -> dict[str, Any]:
    """Reader metadata as Pelican's reader cache holds it: without the values Pelican's metadata
    processors mark to be dropped (an empty `Tags:`). The mark and its filter are private."""
    return _filter_discardable_metadata(metadata)


def replace_content_cache(generator: "Generator", get: Callable[..., Any],
                          put: Callable[..., None], save: Callable[[], None]) -> None:
    """Make `get`, `put` and `save` a generator's content cache (newsmeta.kept). Pelican lets a
    plugin add generators, not change the cache of the one it makes."""
    generator.get_cached_data = get
    generator.cache_data = put
    generator.save_cache = save


def empty_reader_cache(readers: "Readers") -> None:
    """Leave nothing in the reader cache Pelican saves next; it has no public way to clear it."""
    readers._cache = {}


def html_as_read(content: "Content") -> str:
    """A content object's HTML as its reader made it, before Pelican's links are resolved
    (the `content` property resolves them on every call)."""
    return content._content or ""


def set_html(content: "Content", html: str, summary: str | None = None) -> None:
    """Give a content object new HTML (and summary) as if its reader had made them."""
    content._content = html
    if summary is not None:
        content.metadata["summary"] = content._summary = summary


# Pelican makes the generators a plugin names (get_generators returns classes) with fixed
# arguments, and gives a generator no other generator: there is no public way to hand one an
# object. So the editions generator takes its articles from the ArticlesGenerator that sends
# article_generator_finalized with the same context (Pelican makes it first, and both before
# either reads), and newsdesk.build gives it the page cache's config on all_generators_finalized
# (pagecache.UsesPageCache), rather than through settings or context keys.
