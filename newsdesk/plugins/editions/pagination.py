"""Listing pages cut into fixed chunks counted from the oldest article: what an archive page
shows never changes when newer articles are published, so a new article makes only the first
page of each listing it is in again (and, when a chunk is cut, that chunk and its older
neighbour).

With n articles and P per page there are m = max(0, n // P - 1) archive pages. Archive page
k (1 … m) holds the oldest-first articles [(k-1)·P, k·P), shown newest first, at the
listing's URL followed by the edition's word for a page and k (`/strana/1/` holds the
oldest); the first page, at the listing's own URL, holds the newest n − m·P (P to 2P−1 once
n ≥ P). A page links to its newer and older neighbour; an archive page is labelled by the
dates it covers, never by its place among a count of pages that changes with every article.
"""

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from babel.dates import format_interval

# CLDR's Serbian date intervals pad the day ("01.–05. mar"); the site's dates never do.
PADDED_DAY_RE = re.compile(r"(?<!\d)0(\d\.)")


@dataclass(frozen=True)
class PageLink:
    """A page of a listing as its neighbours link to it: its URL and the dates it covers
    (oldest, newest; None for the first page), labelled in Babel's `locale` when shown."""

    url: str
    dates: tuple[dt.date, dt.date] | None
    locale: str

    @property
    def label(self) -> str:
        return "" if self.dates is None else dates_label(*self.dates, self.locale)


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing; `number` 0 is the first page, k archive page k."""

    number: int
    link: PageLink
    object_list: Sequence[Any]
    newer: PageLink | None
    older: PageLink | None

    @property
    def first(self) -> bool:
        return self.number == 0

    @property
    def url(self) -> str:
        return self.link.url

    @property
    def label(self) -> str:
        return self.link.label

    def cache_key(self) -> str:
        """What the page shows of itself and its neighbours (its articles apart)."""
        return repr((self.number, self.link, self.newer, self.older))


def archive_page_count(count: int, per_page: int) -> int:
    """How many archive pages a listing of `count` articles has (`per_page` 0: none)."""
    return max(0, count // per_page - 1) if per_page > 0 else 0


def listing_pages(articles: Sequence[Any], per_page: int, url: str, page_word: str,
                  locale: str) -> list[ListingPage]:
    """The pages of a listing of `articles` (newest first) at `url`: the first page, then the
    archive pages from the newest to the oldest."""
    count = len(articles)
    archived = archive_page_count(count, per_page)
    chunks = [(0, articles[:count - archived * per_page])]
    # archive page k holds the oldest-first articles [(k-1)·P, k·P): newest first, those are
    # articles[n - k·P : n - (k-1)·P]
    chunks += [(k, articles[count - k * per_page:count - (k - 1) * per_page])
               for k in range(archived, 0, -1)]
    links = [PageLink(url if k == 0 else f"{url}{page_word}/{k}/",
                      None if k == 0 else (chunk[-1].date.date(), chunk[0].date.date()), locale)
             for k, chunk in chunks]
    return [ListingPage(k, links[i], chunk, newer=links[i - 1] if i else None,
                        older=links[i + 1] if i + 1 < len(links) else None)
            for i, (k, chunk) in enumerate(chunks)]


@functools.lru_cache(maxsize=4096)
def dates_label(oldest: dt.date, newest: dt.date, locale: str) -> str:
    """The dates a page covers: "28. nov – 2. dec 2026.", or one date (a page shows its own
    and its neighbours' labels, each several times: formatted once)."""
    return PADDED_DAY_RE.sub(r"\1", format_interval(oldest, newest, "yMMMd", locale=locale))
