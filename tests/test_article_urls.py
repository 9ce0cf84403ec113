"""The values article URLs are made from."""

import copy
import datetime

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Category, Tag

from newsdesk.plugins.editions.generator import ArticlePaths


def article(settings, slug, year, lang="sr"):
    meta = {"title": "Naslov", "slug": slug, "lang": lang,
            "date": datetime.datetime(year, 3, 1, 9, 30),
            "category": Category("Ekonomija", settings), "author": Author("Ana Anić", settings)}
    return Article("<p>Tekst.</p>", metadata=meta, settings=settings,
                   source_path=f"{settings['PATH']}/articles/{slug}.{lang}.md")


def test_article_paths_are_pelicans_formatting(tmp_path):
    settings = dict(copy.deepcopy(DEFAULT_CONFIG), PATH=str(tmp_path))
    latin, cyrillic = article(settings, "metro", 2024), article(settings, "metro", 2024, "sr-Cyrl")
    older, english = article(settings, "metro", 2023), article(settings, "metro-en", 2024, "en")
    for a in (latin, cyrillic, older, english):
        a.tags = a.metadata["tags"] = [Tag("Beograd", settings)]
    for pattern in ("{date:%Y}/{slug}/", "{date:%Y}/{category}/{slug}/", "{lang}/{slug}/",
                    "{date:%Y/%m}/{slug}-{author}/", "{slug}/{tags}/"):
        paths = ArticlePaths(pattern)
        for a in (latin, cyrillic, older, english, latin):
            assert paths(a) == pattern.format(**a.url_format), (pattern, a.lang, a.date)
