"""XML sitemaps with language alternates, a Google News sitemap, and robots.txt.

Settings (defaults in brackets):
- SITEMAP_NEWS_HOURS [48]: how recent an article must be for the news sitemap (at most 1,000).
- SOURCE_DATE_EPOCH [environment; now]: the time the news sitemap counts from, for builds
  that must be reproducible.
"""

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from newsdesk.paths import writable

from .model import Edition

if TYPE_CHECKING:
    from .generator import EditionListing

SITEMAP_LIMIT = 50_000
NEWS_LIMIT = 1_000
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def write_sitemaps(output_path: str, origin: str, editions: Sequence[Edition],
                   listings: Mapping[str, "EditionListing"], sitename: str,
                   settings: Mapping[str, Any]) -> None:
    """Write sitemap.xml (an index), one sitemap per edition, news-sitemap.xml, robots.txt."""
    output = Path(output_path)

    def _write(path: Path, text: str) -> None:
        writable(settings, path).write_text(text, encoding="utf-8")

    names = []
    # the language alternates of each group of versions, shared by its versions
    links: dict[int, str] = {}
    for edition in editions:
        entries = [_home_entry(edition, editions, origin)]
        entries += [_article_entry(a, origin, editions, links)
                    for a in listings[edition.code].articles]
        for n, start in enumerate(range(0, len(entries), SITEMAP_LIMIT)):
            name = f"sitemap-{edition.code.lower()}{'-' + str(n + 1) if n else ''}.xml"
            _write(output / name, HEAD + '<urlset xmlns="http://www.sitemaps.org/schemas/'
                   'sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
                   + "".join(entries[start: start + SITEMAP_LIMIT]) + "</urlset>\n")
            names.append(name)
    _write(output / "sitemap.xml", HEAD + '<sitemapindex xmlns="http://www.sitemaps.org/'
           'schemas/sitemap/0.9">\n' + "".join(
               f"<sitemap><loc>{escape(origin)}/{name}</loc></sitemap>\n" for name in names)
           + "</sitemapindex>\n")
    _write(output / "news-sitemap.xml", _news_sitemap(editions, listings, origin, sitename,
                                                       settings))
    _write(output / "robots.txt", "User-agent: *\nAllow: /\n\n"
           f"Sitemap: {origin}/sitemap.xml\nSitemap: {origin}/news-sitemap.xml\n")


def _alternates(pairs: Iterable[tuple[str, str]]) -> str:
    links = "".join(f'<xhtml:link rel="alternate" hreflang="{code}" href={quoteattr(url)}/>'
                    for code, url in pairs)
    return links


def _home_entry(edition: Edition, editions: Sequence[Edition], origin: str) -> str:
    pairs = [(e.code, f"{origin}/{e.url('index')}") for e in editions]
    pairs.append(("x-default", f"{origin}/{editions[0].url('index')}"))
    return (f"<url><loc>{escape(origin)}/{escape(edition.url('index'))}</loc>"
            f"{_alternates(pairs)}</url>\n")


def _article_entry(article: Any, origin: str, editions: Sequence[Edition],
                   links: dict[int, str]) -> str:
    """An article's <url>; `links` keeps the alternates of its versions (worked out once for
    all of them, the versions being one dict shared by the group)."""
    alternates = links.get(id(article.versions))
    if alternates is None:
        versions = [article.versions[e.code] for e in editions if e.code in article.versions
                    and not getattr(article.versions[e.code], "translation_pending", 0)]
        pairs = [(v.edition.code, f"{origin}/{v.url}") for v in versions]
        pairs.append(("x-default", pairs[0][1]))
        alternates = links[id(article.versions)] = _alternates(pairs) if len(pairs) > 2 else ""
    modified = getattr(article, "modified", article.date)
    return (f"<url><loc>{escape(origin)}/{escape(article.url)}</loc>"
            f"<lastmod>{modified.isoformat(timespec='seconds')}</lastmod>{alternates}</url>\n")


def _news_sitemap(editions: Sequence[Edition], listings: Mapping[str, "EditionListing"],
                  origin: str, sitename: str, settings: Mapping[str, Any]) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC))
    since = now - dt.timedelta(hours=settings.get("SITEMAP_NEWS_HOURS", 48))
    recent = sorted((a for e in editions for a in listings[e.code].articles
                     if since <= a.date <= now), key=lambda a: a.date, reverse=True)
    entries = "".join(
        f"<url><loc>{escape(origin)}/{escape(a.url)}</loc><news:news><news:publication>"
        f"<news:name>{escape(a.edition.sitename or sitename)}</news:name>"
        f"<news:language>{a.edition.language}</news:language></news:publication>"
        f"<news:publication_date>{a.date.isoformat(timespec='seconds')}"
        f"</news:publication_date><news:title>{escape(a.title)}</news:title></news:news></url>\n"
        for a in recent[:NEWS_LIMIT])
    return (HEAD + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + entries
            + "</urlset>\n")

