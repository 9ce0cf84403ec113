"""The values article URLs are made from."""

import copy
import datetime

from editions.generator import _url_values
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Category


def article(settings, slug, year, lang="sr"):
    meta = {"title": "Naslov", "slug": slug, "lang": lang,
            "date": datetime.datetime(year, 3, 1, 9, 30),
            "category": Category("Ekonomija", settings), "author": Author("Ana Anić", settings)}
    return Article("<p>Tekst.</p>", metadata=meta, settings=settings,
                   source_path=f"{settings['PATH']}/articles/{slug}.{lang}.md")


def test_url_values_are_pelicans(tmp_path):
    settings = dict(copy.deepcopy(DEFAULT_CONFIG), PATH=str(tmp_path))
    a = article(settings, "metro", 2024)
    assert _url_values(a) == a.url_format

