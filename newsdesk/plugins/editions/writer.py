"""Pelican's writer, for one edition: its feeds link to the edition, carry its language and keep
titles as written; pages whose inputs did not change are linked from the previous build
(newsdesk.pagecache)."""

from collections.abc import Sequence
from typing import Any

from jinja2 import Template
from pelican.writers import Writer

from newsdesk.pagecache import PageCache
from newsdesk.parallel import Share

from .model import Edition
from .pagination import listing_pages

# The site's tagline, translated by the theme's catalog (the templates use the same string).
TAGLINE = "News and analysis from Serbia and Europe"


class EditionWriter(Writer):
    """Writes one edition's files, each page through the page cache."""

    def __init__(self, output_path: str, edition: Edition, cache: PageCache, edition_key: str,
                 share: Share) -> None:
        super().__init__(output_path, settings=edition.settings)
        self.edition = edition
        self.share = share  # which pages this process writes (newsdesk.parallel)
        self.cache = cache
        self.edition_key = edition_key

    def write_page(self, name: str, template: Template, context: dict[str, Any], *,
                   template_name: str, url: str, depends_on: object, taken: bool = False,
                   **kwargs: Any) -> None:
        """Write a page (one per listing page for a paginated template). `depends_on` is what
        the page shows besides the articles listed on it; None: always rendered. `taken`: a
        page that is not paginated, already counted as this process's (Share.take)."""
        articles = kwargs.get("articles")
        paginated = self.settings["PAGINATED_TEMPLATES"]
        if articles is None or template_name not in paginated:
            if not taken and not self.share.take():
                return
            key = None if depends_on is None else self.cache.key(
                self.edition_key, template_name, name, url, depends_on)
            self._write(name, key, template, context, template_name, url, kwargs)
            return
        per_page = paginated[template_name] or self.settings["DEFAULT_PAGINATION"] or 0
        for page in listing_pages(articles, per_page, url, self.edition.paths["page"],
                                  self.edition.locale):
            if not self.share.take():
                continue
            save_as = name if page.first else self.edition.save_as(page.url)
            # A page shows its own articles and neighbours; only the first, the listing's
            # length.
            key = None if depends_on is None else self.cache.key(
                self.edition_key, template_name, save_as, depends_on,
                [self.cache.listed(article) for article in page.object_list], page,
                len(articles) if page.first else None)
            self._write(save_as, key, template, context, template_name, url,
                        dict(kwargs, articles_page=page))

    def _write(self, name: str, key: str | None, template: Template, context: dict[str, Any],
               template_name: str, url: str, kwargs: dict[str, Any]) -> None:
        relative = self.settings["RELATIVE_URLS"]
        self.cache.write(self.output_path, name, key, lambda: self.write_file(
            name, template, context, relative, paginated={}, template_name=template_name,
            url=url, **kwargs))

    def write_feed_cached(self, elements: Sequence[Any], context: dict[str, Any], path: str,
                          feed_type: str, feed_title: str | None) -> None:
        """A feed, linked from the previous build when its entries did not change."""
        if not self.share.take():
            return
        limit = self.settings["FEED_MAX_ITEMS"]
        key = self.cache.key(self.edition_key, "feed", path, feed_type, feed_title,
                             elements[:limit] if limit else elements)
        self.cache.write(self.output_path, path, key, lambda: self.write_feed(
            elements, context, path, path, feed_type=feed_type, feed_title=feed_title))

    def _create_new_feed(self, feed_type: str, feed_title: str | None,
                         context: dict[str, Any]) -> Any:
        feed = super()._create_new_feed(feed_type, feed_title, context)
        # Names and titles are text: Pelican would strip what looks like a tag from them.
        feed.feed["title"] = " - ".join(filter(None, (context["SITENAME"], feed_title)))
        feed.feed["link"] = self.urljoiner(self.site_url, self.edition.url("index"))
        feed.feed["language"] = self.edition.code
        tagline = self.edition.translations.gettext(TAGLINE)
        feed.feed["description"] = feed.feed["subtitle"] = tagline
        return feed

    def _add_item_to_the_feed(self, feed: Any, item: Any) -> None:
        super()._add_item_to_the_feed(feed, item)
        feed.items[-1]["title"] = item.title
