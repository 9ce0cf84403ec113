"""The fields authors write at the top of an article (docs/authors.md), in one place."""

import difflib
import re

# The documented fields, in the order `invoke new` writes them.
FIELDS = ("title", "date", "modified", "correction", "author", "category", "tags", "type",
          "source", "summary", "image", "caption", "credit", "alt", "slug", "lang",
          "translation", "status")
# Fields Pelican or the project also read, written by hand or by tools.
OTHER_FIELDS = ("authors", "key", "template", "save_as", "url")
CONTENT_TYPES = ("news", "analysis", "opinion", "interview", "sponsored", "press release")
UNSIGNED_TYPES = ("sponsored", "press release")  # bylines name the outlet, not a person
# A Type written as the Serbian site labels it (in Latin letters, with or without diacritics).
SERBIAN_TYPES = {"vest": "news", "vesti": "news", "analiza": "analysis",
                 "misljenje": "opinion", "mišljenje": "opinion", "intervju": "interview",
                 "sponzorisano": "sponsored", "saopstenje": "press release",
                 "saopštenje": "press release"}
# The placeholders of `invoke new`, in the article's language: section, byline, first paragraph.
NEW_ARTICLE_WORDS = {
    "sr-Latn": ("Vesti", "Redakcija", "Prvi pasus članka."),
    "sr-Cyrl": ("Вести", "Редакција", "Први пасус чланка."),
    "en": ("News", "Editorial staff", "The first paragraph."),
}
# A photo's credit may close its caption in brackets: `Caption: Sednica vlade [Foto: Tanjug]`.
CREDIT_IN_CAPTION_RE = re.compile(r"\s*\[([^\[\]]+)\]\s*$")


def caption_and_credit(caption: object, credit: object = "") -> tuple[str, str]:
    """A photo's caption and credit: a credit in brackets at the caption's end is taken out
    of it, and is the credit unless the Credit field gives one."""
    caption, credit = str(caption).strip(), str(credit).strip()
    match = CREDIT_IN_CAPTION_RE.search(caption)
    if match:
        caption = caption[: match.start()].strip()
        credit = credit or match.group(1).strip()
    return caption, credit


# Field names as a Serbian author might write them, for the hint.
SERBIAN_NAMES = {"naslov": "title", "datum": "date", "izmenjeno": "modified",
                 "ispravka": "correction", "autor": "author", "autori": "authors",
                 "kategorija": "category", "rubrika": "category", "teme": "tags",
                 "tagovi": "tags", "oznake": "tags", "vrsta": "type", "tip": "type",
                 "izvor": "source", "sazetak": "summary", "slika": "image", "foto": "image",
                 "fotografija": "image", "opis": "caption", "potpis": "caption",
                 "jezik": "lang", "prevod": "translation"}


def nearest_field(name: str) -> str | None:
    """The known field an unknown one was probably meant to be, or None."""
    name = name.lower()
    if name in SERBIAN_NAMES:
        return SERBIAN_NAMES[name]
    found = difflib.get_close_matches(name, FIELDS + OTHER_FIELDS, n=1, cutoff=0.6)
    return found[0] if found else None


def content_type(written: str) -> tuple[str | None, str | None]:
    """(the content type a Type field names, or None; the type it was probably meant to be
    when it names none). Cyrillic is read as its Latin letters (`to_latin`) by the caller."""
    value = written.strip().lower().replace("-", " ")
    value = SERBIAN_TYPES.get(value, value)
    if value in CONTENT_TYPES:
        return value, None
    found = difflib.get_close_matches(value, CONTENT_TYPES + tuple(SERBIAN_TYPES), n=1,
                                      cutoff=0.6)
    return None, SERBIAN_TYPES.get(found[0], found[0]) if found else None


def left_placeholder(html: str) -> str | None:
    """The first paragraph `invoke new` wrote, if an article's text still holds it."""
    return next((words[2] for words in NEW_ARTICLE_WORDS.values()
                 if f"<p>{words[2]}</p>" in html), None)
