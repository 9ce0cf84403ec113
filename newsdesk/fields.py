"""The fields authors write at the top of an article (docs/authors.md), in one place."""

import difflib

# The documented fields, in the order `invoke new` writes them.
FIELDS = ("title", "date", "modified", "correction", "author", "category", "tags", "type",
          "source", "summary", "image", "caption", "credit", "alt", "slug", "lang",
          "translation", "status")
# Fields Pelican or the project also read, written by hand or by tools.
OTHER_FIELDS = ("authors", "key", "template", "save_as", "url")
CONTENT_TYPES = ("news", "analysis", "opinion", "interview", "sponsored", "press release")
UNSIGNED_TYPES = ("sponsored", "press release")  # bylines name the outlet, not a person


# Field names as a Serbian author might write them, for the hint.
SERBIAN_NAMES = {"naslov": "title", "datum": "date", "izmenjeno": "modified",
                 "ispravka": "correction", "autor": "author", "autori": "authors",
                 "kategorija": "category", "rubrika": "category", "teme": "tags",
                 "tagovi": "tags", "oznake": "tags", "vrsta": "type", "tip": "type",
                 "izvor": "source", "sazetak": "summary", "slika": "image", "foto": "image",
                 "fotografija": "image", "opis": "caption", "potpis": "caption",
                 "jezik": "lang", "prevod": "translation"}


def nearest_field(name):
    """The known field an unknown one was probably meant to be, or None."""
    name = name.lower()
    if name in SERBIAN_NAMES:
        return SERBIAN_NAMES[name]
    found = difflib.get_close_matches(name, FIELDS + OTHER_FIELDS, n=1, cutoff=0.6)
    return found[0] if found else None
