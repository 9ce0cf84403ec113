"""ASCII slugs, as Serbian readers spell them in Latin script without diacritics: the one rule
for the slugs of keys, articles, categories, tags and authors."""

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import URLWrapper
from pelican.utils import slugify

from newsdesk.transliterate import NAME_SYMBOLS, to_latin

SERBIAN_ASCII = str.maketrans({"đ": "dj", "Đ": "Dj"})
# A name ending in ++ or # (C++, C#, F#): the symbols as read aloud, so C++ and C# differ.
NAME_SYMBOLS_RE = re.compile(rf"(?<=\w){NAME_SYMBOLS}")
SPOKEN_SYMBOLS = {"++": " plus plus", "#": " sharp"}
Wrapper = TypeVar("Wrapper", bound=URLWrapper)


def make_slug(text: object, settings: Mapping[str, Any] | None = None) -> str:
    """'Nova vest o Đerdapu' -> 'nova-vest-o-djerdapu'; Cyrillic through our own table, as its
    Latin spelling: 'Милица Јовановић' -> 'milica-jovanovic' (not a Russian romanisation);
    'C++' -> 'c-plus-plus', 'C#' -> 'c-sharp', '#MeToo' -> 'metoo'."""
    subs = (settings or DEFAULT_CONFIG)["SLUG_REGEX_SUBSTITUTIONS"]
    spoken = NAME_SYMBOLS_RE.sub(lambda m: SPOKEN_SYMBOLS[m.group()], str(text))
    return slugify(to_latin(spoken).translate(SERBIAN_ASCII), regex_subs=subs)


def with_slug(wrapper: Wrapper) -> Wrapper:
    """A category, tag or author given its slug by make_slug (Pelican's own would romanise
    Cyrillic the Russian way)."""
    wrapper.slug = make_slug(wrapper.name, wrapper.settings)
    return wrapper
