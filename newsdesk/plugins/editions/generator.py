"""Groups articles into editions and writes each edition's pages, listings and feeds.

Settings read here (defaults in brackets):
- RELATIVE_URLS [False]: passed on to Pelican's writer.
- RELATED_ARTICLES [4]: how many "Read more" links an article page gets.
- FEED_MAX_ITEMS [None]: Pelican's cap on feed entries, per feed.
"""

import contextlib
import logging
import os
import re
import string
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from typing import Any

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator, Generator
from pelican.urlwrappers import Author, Category, Tag, URLWrapper
from pelican.writers import Writer

from newsdesk.memo import Memo
from newsdesk.pagecache import PageCache, UsesPageCache
from newsdesk.parallel import Share, run_shared, worker_count
from newsdesk.paths import readable_content_file
from newsdesk.progress import progress
from newsdesk.report import where
from newsdesk.signals import (
    Groups,
    editions_grouped,
    editions_translate,
    editions_translated,
    editions_written,
)
from newsdesk.slugs import with_slug
from newsdesk.transliterate import cyrillic_order, has_cyrillic, to_cyrillic, to_latin
from newsdesk.versions import marked_translation, original_language, paired_terms

from .model import ARTICLE_URL, Edition, load_editions
from .related import remembered_related
from .sitemaps import write_sitemaps
from .templating import keep_compiled_templates
from .writer import EditionWriter

log = logging.getLogger(__name__)


def take_articles(generator: ArticlesGenerator) -> list[Article]:
    """Take the articles Pelican read away from its own single-language generator; return
    them (published and hidden)."""
    taken = generator.articles + generator.hidden_articles
    for draft in generator.drafts + generator.drafts_translations:
        log.info("%s: not published yet (draft or dated in the future)", draft.source_path)
    generator.articles, generator.translations = [], []
    generator.hidden_articles, generator.hidden_translations = [], []
    generator.drafts, generator.drafts_translations = [], []
    generator.dates, generator.tags, generator.categories, generator.authors = [], {}, [], []
    generator.period_archives = {}
    for name in ("articles", "dates", "tags", "categories", "authors", "drafts",
                 "hidden_articles"):
        generator.context[name] = []
    return taken


class EditionListing:
    """One edition's articles and the listings made from them."""

    def __init__(self, edition: Edition, articles: Iterable[Article]) -> None:
        self.edition = edition
        self.all_articles = sorted(articles, key=attrgetter("date"), reverse=True)
        # Pages still waiting for their translation are written but not listed.
        self.articles = [a for a in self.all_articles
                         if a.status == "published" and not getattr(a, "translation_pending", 0)]
        self.categories = self._group(lambda a: [a.category])
        self.tags = self._group(lambda a: getattr(a, "tags", []))
        self.authors = self._group(lambda a: a.authors)
        self.months = [
            (period, list(items))
            for period, items in groupby(self.articles, key=lambda a: (a.date.year, a.date.month))
        ]

    def _group(self, keys: Callable[[Article], Iterable[URLWrapper]]
               ) -> list[tuple[URLWrapper, list[Article]]]:
        groups: defaultdict[URLWrapper, list[Article]] = defaultdict(list)
        for article in self.articles:
            for key in keys(article):
                groups[key].append(article)
        if self.edition.code.endswith("Cyrl"):  # the slug is Latin: its order is not Cyrillic
            return sorted(groups.items(), key=lambda item: (cyrillic_order(item[0].name),
                                                            item[0].slug))
        return sorted(groups.items(), key=lambda item: item[0].slug)


class EditionsGenerator(UsesPageCache, Generator):
    """Writes every edition of the site from the articles Pelican read.

    `articles_read`: every article Pelican read (published and hidden), taken from its
    ArticlesGenerator when that has read them (newsdesk.pelican_seams: how it is found).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep_compiled_templates(self.env, self.settings)
        self.editions = load_editions(self.settings)
        self.listings: dict[str, EditionListing] = {}
        self.bios = load_bios(self.settings)
        self._wrappers: dict[tuple, Any] = {}
        # (edition, kind, slug): (the first name's wrapper, its article)
        self._slug_owners: dict[tuple, tuple] = {}
        self._slugs_reported: set[tuple] = set()
        self._article_path = ArticlePaths(self.settings.get("EDITION_ARTICLE_URL", ARTICLE_URL))
        self.articles_read: list[Article] = []
        self._articles_generator: ArticlesGenerator | None = None
        signals.article_generator_finalized.connect(self._take_articles)

    def _take_articles(self, generator: ArticlesGenerator) -> None:
        if generator.context is self.context:  # this run's, not another's
            self._articles_generator = generator
            self.articles_read = take_articles(generator)

    # -- context -------------------------------------------------------------------------------

    def generate_context(self) -> None:
        articles = [a for a in self.articles_read if not a.invalid]
        groups = self._group_by_key(articles)
        for step in (editions_grouped, editions_translate, editions_translated):
            step.send(self, groups=groups)
        # Oldest first: a category, tag or author is named as its first article names it, and a
        # newer article that spells it otherwise is the one reported, whatever its key.
        by_age = [group for _, group in sorted(groups.items(), key=_first_published)]
        for edition in self.editions:
            for group in by_age:
                if edition.code in group:
                    self._place(group[edition.code], edition)
        for key in self._address_clashes(groups):
            del groups[key]
        for edition in self.editions:
            members = [group[edition.code] for group in groups.values() if edition.code in group]
            self.listings[edition.code] = EditionListing(edition, members)
        for group in groups.values():
            original_lang = original_language({
                lang: a.metadata for lang, a in group.items() if not _derived(a)})
            original = None if original_lang is None else group.get(original_lang)
            for article in group.values():
                article.versions = group
                if (original is not None and article is not original
                        and marked_translation(article.metadata)):
                    article.translation_of = original
        self.counterparts = self._taxonomy_counterparts(groups)
        limit = self.settings.get("RELATED_ARTICLES", 4)
        memo = Memo(self.settings, "related-reading")
        for listing in self.listings.values():
            related = remembered_related(listing.articles, limit, memo)
            for article in listing.all_articles:
                article.related = related.get(id(article), [])
        memo.save()
        self.context["editions"] = self.editions

    def _group_by_key(self, articles: list[Article]) -> Groups:
        """key -> {edition code: article}; two files for one key and language is an error."""
        groups: defaultdict[str, dict[str, Article]] = defaultdict(dict)
        for article in sorted(articles, key=attrgetter("source_path")):
            group = groups[article.key]
            if article.lang in group:
                log.error("%s: article '%s' in %s is also written in %s; keep one of them",
                          where(article), article.key, article.lang,
                          where(group[article.lang]))
                continue
            group[article.lang] = article
        return dict(sorted(groups.items()))

    @staticmethod
    def _address_clashes(groups: Mapping[str, Mapping[str, Article]]) -> list[str]:
        """Keys whose articles would be written where another key's are (two keys that give
        one slug, `ključ` and `kljuc`, or one Slug given twice), each reported once naming both
        files; of two keys, the one that sorts later is left out."""
        owners: dict[str, str] = {}
        clashes: dict[str, tuple[Article, str]] = {}
        for key, group in groups.items():
            for article in group.values():
                owner = owners.setdefault(article.save_as, key)
                if owner != key and key not in clashes:
                    clashes[key] = (article, owner)
        for article, owner in clashes.values():
            other = next(a for a in groups[owner].values() if a.save_as == article.save_as)
            log.error("%s: its address /%s is also that of %s (key '%s'); give one of them "
                      "another key or Slug; left out", where(article), article.url,
                      where(other), owner)
        return list(clashes)

    def _place(self, article: Article, edition: Edition) -> None:
        """Give the article its edition's URL and the edition's categories, tags and authors."""
        article.edition = edition
        article.settings = edition.settings
        article.override_url = edition.prefix + self._article_path(article)
        article.override_save_as = article.override_url + "index.html"  # as edition_settings
        article.category = self._rewrap(Category, article.category, edition, article)
        if hasattr(article, "tags"):
            article.tags = [tag for tag in (self._rewrap(Tag, tag, edition, article)
                                            for tag in article.tags) if tag is not None]
        authors = (self._rewrap(Author, author, edition, article) for author in article.authors)
        article.authors = [author for author in authors if author is not None]
        if article.authors:
            article.author = article.authors[0]

    def _rewrap(self, kind: type[URLWrapper], wrapper: URLWrapper, edition: Edition,
                article: Article) -> URLWrapper | None:
        """The same category, tag or author in the edition (one object for all its articles),
        keeping its slug, named in Latin letters outside the Cyrillic edition; one name in
        either script is one. A name whose slug is empty or another name's has no page of its own:
        it is reported once per article, a tag or author left off, a category taken as the
        one that has the address."""
        if edition.code != "sr-Cyrl" and has_cyrillic(wrapper.name):
            latin = kind(to_latin(wrapper.name), edition.settings)  # as this edition spells it
            latin.slug = wrapper.slug
            wrapper = latin
        owner = self._slug_owners.setdefault((edition.code, kind, wrapper.slug),
                                             (wrapper, article))
        first = owner[0].name
        if wrapper.slug and (first == wrapper.name or to_latin(first) == to_latin(wrapper.name)):
            return self._in_edition(kind, owner[0], edition)  # one name, in either script
        self._report_slug(kind, wrapper, article, owner if wrapper.slug else None)
        if kind is not Category:
            return None
        fallback = owner[0] if wrapper.slug else with_slug(
            Category(self.settings["DEFAULT_CATEGORY"], edition.settings))
        return self._in_edition(kind, fallback, edition)

    def _in_edition(self, kind: type[URLWrapper], wrapper: URLWrapper,
                    edition: Edition) -> URLWrapper:
        key = (edition.code, kind, wrapper.name, wrapper.slug)
        new = self._wrappers.get(key)
        if new is None:
            new = self._wrappers[key] = kind(wrapper.name, edition.settings)
            new.slug = wrapper.slug
        return new

    def _report_slug(self, kind: type[URLWrapper], wrapper: URLWrapper, article: Article,
                     owner: tuple[URLWrapper, Article] | None) -> None:
        what = kind.__name__.lower()
        if (what, wrapper.slug, article.source_path) in self._slugs_reported:
            return
        self._slugs_reported.add((what, wrapper.slug, article.source_path))
        if owner is None:
            log.error("%s: %s '%s' has no letters or digits to make its address from; "
                      "rename it", where(article), what, wrapper.name)
            return
        other, first = owner
        log.error("%s: %s '%s' would have the address of %s '%s' (%s), '%s'; rename one of "
                  "them", where(article), what, wrapper.name, what, other.name,
                  where(first), wrapper.slug)

    @staticmethod
    def _taxonomy_counterparts(groups: Mapping[str, Mapping[str, Article]]
                               ) -> dict[tuple[str, str, str, str], str]:
        """For each edition pair, which category and tag (slug) of one is which of the other
        (newsdesk.versions.paired_terms)."""
        return paired_terms({a.edition.code: (a.category.slug, [t.slug for t in getattr(
            a, "tags", [])]) for a in group.values()} for group in groups.values())

    # -- output --------------------------------------------------------------------------------

    def generate_output(self, writer: Writer) -> None:
        workers = worker_count(self.settings, "WRITE_WORKERS")
        cache = PageCache(self.settings, self.page_cache_config)
        # Every page's key is made of the digests of the articles it shows: each process
        # works out its share of them first, or each would work out nearly all of them (an
        # article is on pages of every share: listings, related reading).
        articles = [a for listing in self.listings.values() for a in listing.all_articles]
        for digests in run_shared(lambda share: cache.digest_share(articles, share), workers):
            cache.add_digests(digests)
        results = run_shared(lambda share: self._write_editions(cache, share), workers)
        keys: dict[str, Any] = {}
        unkeyed: set[str] = set()
        for worker_keys, _, worker_unkeyed in results:
            keys.update(worker_keys)
            unkeyed |= worker_unkeyed
        linked = sum(counts[0] for _, counts, _ in results)
        rendered = sum(counts[1] for _, counts, _ in results)
        editions_written.send(self, cache=cache, keys=keys)
        cache.remove_stale(self.output_path, keys.keys() | unkeyed)
        cache.save(keys, rendered, linked)
        # Give Pelican's generator back what was written, so its closing summary counts it.
        pelican_articles = self._articles_generator
        if pelican_articles is not None:
            for listing in self.listings.values():
                pelican_articles.articles += listing.articles
                pelican_articles.hidden_articles += [
                    a for a in listing.all_articles if a.status == "hidden"]

    def _write_editions(self, cache: PageCache, share: Share
                        ) -> tuple[dict[str, Any], tuple[int, int], set[str]]:
        """Write this process's share of every edition; return the page keys, how many pages
        were linked and rendered, and the pages written without a key."""
        with cache:
            for edition in self.editions:
                self.env.install_gettext_translations(edition.translations, newstyle=True)
                EditionOutput(self, edition, cache, share).write()
            self.env.uninstall_gettext_translations(None)
            if share.take():  # while the other processes write their last pages
                write_sitemaps(self.output_path,
                               self.settings["SITEURL"] or self.settings["FEED_DOMAIN"],
                               self.editions, self.listings, self.settings["SITENAME"],
                               self.settings)
        return cache.keys, (cache.linked, cache.rendered), cache.unkeyed


# A page's address in another edition, and whether it is the same page there.
UrlIn = Callable[[Edition], tuple[str, bool]]


class EditionOutput:
    """Writes one edition (the pages of it that `share` gives this process)."""

    def __init__(self, generator: EditionsGenerator, edition: Edition, cache: PageCache,
                 share: Share) -> None:
        self.generator = generator
        self.share = share
        self.edition = edition
        self.listing = generator.listings[edition.code]
        self.others = [e for e in generator.editions if e is not edition]
        self.context = dict(generator.context, edition=edition, DEFAULT_LANG=edition.code,
                            SITENAME=edition.sitename, editions=generator.editions,
                            SITE_ORIGIN=edition.settings["SITEURL"] or edition.settings[
                                "FEED_DOMAIN"],
                            categories=self.listing.categories, tags=self.listing.tags,
                            authors=self.listing.authors, months=self.listing.months,
                            fragments={},
                            listed_urls={w.url for groups in (self.listing.categories,
                                                              self.listing.tags,
                                                              self.listing.authors)
                                         for w, _ in groups})
        # What every page of the edition shows: the switchers, the sections (and which of them
        # a kicker links to). Which tags and authors have a page is in the keys of the article
        # pages that name them: a new one does not make every page again.
        edition_key = cache.key(edition, generator.editions, edition.sitename,
                                self.context["SITE_ORIGIN"],
                                [category for category, _ in self.listing.categories])
        self.writer = EditionWriter(generator.output_path, edition, cache, edition_key, share)

    def write(self) -> None:
        self._articles()
        self._paginated("index", self.edition.url("index"), self.listing.articles,
                        lambda e: (e.url("index"), True))
        self._simple("archives", self.edition.url("archives"),
                     lambda e: (e.url("archives"), True))
        for kind in ("categories", "tags", "authors"):

            def url_in(e: Edition, kind: str = kind) -> tuple[str, bool]:
                return e.url(kind), True

            self._simple(kind, self.edition.url(kind), url_in)
        self._taxonomy("category", self.listing.categories)
        self._taxonomy("tag", self.listing.tags)
        self._taxonomy("author", self.listing.authors)
        self._months()
        self._feeds()
        self._simple("404", self.edition.url("404"), lambda e: (e.url("404"), False))
        self._simple("search", self.edition.url("search"), lambda e: (e.url("search"), False))

    def _write(self, save_as: str, template: str, alternates: list["Alternate"], url: str,
               depends_on: object = (), taken: bool = False, **kwargs: Any) -> None:
        """Write a page (if it is this process's; `taken`: the caller has counted it as this
        process's); `depends_on`: what it shows besides the listed articles and the switcher,
        None for a page rendered every time."""
        self.writer.write_page(
            save_as, self.generator.get_template(template), self.context, template_name=template,
            url=url, depends_on=None if depends_on is None else (alternates, depends_on),
            taken=taken, alternates=alternates, page_url=url, **kwargs,
        )

    def _alternates(self, url_in: UrlIn) -> list["Alternate"]:
        """The switcher's targets: this page in every other edition."""
        return [Alternate(other, *url_in(other)) for other in self.others]

    def _articles(self) -> None:
        articles = self.listing.all_articles
        listed_urls = self.context["listed_urls"]
        term_urls: dict[int, str] = {}  # a URL wrapper works its URL out on every look
        for article in progress(articles, f"Writing {self.edition.code}",
                                enabled=len(articles) > 500 and self.share.main):
            if not self.share.take():  # another process's page: nothing to work out
                continue
            alternates = []
            for other in self.others:
                version = article.versions.get(other.code)
                if version is None:
                    alternates.append(Alternate(other, other.url("index"), False))
                else:
                    same = not getattr(version, "translation_pending", 0)
                    alternates.append(Alternate(other, version.url, same))
            terms = [*getattr(article, "tags", []), *article.authors]
            for term in terms:
                if id(term) not in term_urls:
                    term_urls[id(term)] = term.url
            linked = [term_urls[id(term)] for term in terms
                      if term_urls[id(term)] in listed_urls]
            self._write(article.save_as, article.template, alternates, article.url,
                        depends_on=(article, linked), taken=True, article=article,
                        category=article.category, page_kind="article")

    def _paginated(self, template: str, url: str, articles: list[Article], url_in: UrlIn,
                   **kwargs: Any) -> None:
        self._write(self.edition.save_as(url), template, self._alternates(url_in), url,
                    depends_on=sorted(kwargs.items()), articles=articles, page_kind=template,
                    **kwargs)

    def _simple(self, template: str, url: str, url_in: UrlIn) -> None:
        """A site-wide page (archives, lists of terms, search, 404): rendered every time."""
        self._write(self.edition.save_as(url), template, self._alternates(url_in), url,
                    depends_on=None, page_kind=template)

    def _taxonomy(self, kind: str, groups: list[tuple[URLWrapper, list[Article]]]) -> None:
        counterparts = self.generator.counterparts
        listings = self.generator.listings
        for wrapper, articles in groups:

            def url_in(other: Edition, wrapper: URLWrapper = wrapper) -> tuple[str, bool]:
                slug = wrapper.slug if kind == "author" else counterparts.get(
                    (kind, self.edition.code, other.code, wrapper.slug))
                for candidate, _ in getattr(listings[other.code], _PLURAL[kind]):
                    if candidate.slug == slug:
                        return candidate.url, True
                return other.url(_PLURAL[kind]), False

            extra = {"bio": self._bio(wrapper)} if kind == "author" else {}
            self._paginated(kind, wrapper.url, articles, url_in, **{kind: wrapper}, **extra)

    def _bio(self, author: URLWrapper) -> str:
        """The author's short bio in this edition's language (Cyrillic made from Latin)."""
        bios = self.generator.bios.get(author.slug, {})
        bio = bios.get(self.edition.code) or bios.get(self.edition.language, "")
        if bio and self.edition.code.endswith("Cyrl") and not bios.get(self.edition.code):
            bio = to_cyrillic(bio)
        return bio

    def _months(self) -> None:
        months = {code: {period for period, _ in listing.months}
                  for code, listing in self.generator.listings.items()}
        for (year, month), articles in self.listing.months:

            def url_in(e: Edition, y: int = year, m: int = month) -> tuple[str, bool]:
                if (y, m) in months[e.code]:
                    return e.url("month", year=y, month=m), True
                return e.url("archives"), False

            url = self.edition.url("month", year=year, month=month)
            listed = [self.writer.cache.listed(article) for article in articles]
            self._write(
                self.edition.save_as(url), "period_archives", self._alternates(url_in),
                url, depends_on=listed, articles=articles, period=articles[0].date,
                page_kind="month",
            )

    def _feeds(self) -> None:
        edition, settings = self.edition, self.edition.settings
        feeds: list[tuple[str, str | None, list[Article]]] = [
            ("all", None, self.listing.articles)]
        feeds += [(f"{edition.paths['category']}-{c.slug}", c.name, arts)
                  for c, arts in self.listing.categories]
        # Feeds are read by machines elsewhere: their links are always absolute.
        context = dict(self.context, SITEURL=settings["SITEURL"] or settings["FEED_DOMAIN"])
        for name, title, articles in feeds:
            for kind in ("atom", "rss"):
                url = edition.url("feed", name=name, format=kind)
                self.writer.write_feed_cached(articles, context, url, kind, title)


_PLURAL = {"category": "categories", "tag": "tags", "author": "authors"}


class ArticlePaths:
    """EDITION_ARTICLE_URL for each article, below any edition's prefix: worked out once for
    the versions of an article that have the same values for the fields it names."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.fields = sorted({re.split(r"[.\[]", name)[0] for _, name, _, _
                              in string.Formatter().parse(pattern) if name})
        # Only fields every article has as attributes: no need to gather all its values.
        self.simple = set(self.fields) <= {"date", "slug", "lang"}
        self.known: dict[tuple[Any, ...], str] = {}

    def __call__(self, article: Article) -> str:
        if self.simple:  # the values url_format gives them, without working out the rest
            values = {"date": article.date, "slug": getattr(article, "slug", ""),
                      "lang": getattr(article, "lang", "en")}
        else:
            values = article.url_format
        key = tuple(values.get(name) for name in self.fields)
        try:
            path = self.known.get(key)
        except TypeError:  # a list among the values
            path = None
        if path is None:
            path = self.pattern.format(**values)
            with contextlib.suppress(TypeError):
                self.known[key] = path
        return path


@dataclass
class Alternate:
    """This page in another edition: `same` when it is the same page, not a fallback."""

    edition: Edition
    url: str
    same: bool

    def cache_key(self) -> str:
        return f"{self.edition.code}|{self.url}|{self.same}"


def load_bios(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Authors' short bios: AUTHOR_BIOS ["authors.toml" in the content folder], a table per
    author slug with one text per language (sr, en) or edition (sr-Cyrl)."""
    path = os.path.join(settings["PATH"], settings.get("AUTHOR_BIOS", "authors.toml"))
    if not readable_content_file(settings["PATH"], path):
        return {}
    try:
        with open(path, "rb") as fp:
            return tomllib.load(fp)
    except tomllib.TOMLDecodeError as exc:
        log.error("%s: %s", where(path), exc)
        return {}


def _first_published(item: tuple[str, Mapping[str, Article]]) -> tuple[Any, str]:
    """When a group's first version was published, and its key (for a tie)."""
    key, group = item
    return min(article.date for article in group.values()), key


def _derived(article: Article) -> bool:
    """A version the build made: in the other script, or by machine translation."""
    return hasattr(article, "script_of") or bool(article.metadata.get("derived"))


