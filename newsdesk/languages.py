"""Language tags the site knows, and how author-written codes map to them."""

from newsdesk.transliterate import serbian_script

# What an author may write in `Lang:` or a file name, lower-cased, and the BCP 47 tag it means.
LANGUAGE_TAGS = {
    "sr": "sr-Latn",
    "sr-latn": "sr-Latn",
    "sr-cyrl": "sr-Cyrl",
    "en": "en",
}


def normalize_language(code: object) -> str | None:
    """Return the BCP 47 tag for an author-written language code, or None if unknown."""
    return LANGUAGE_TAGS.get(str(code).strip().lower())


def known_codes() -> str:
    """The codes an author may use, for error messages."""
    return ", ".join(["sr", *sorted(set(LANGUAGE_TAGS.values()))])


def names_no_script(code: object) -> bool:
    """Whether a code says Serbian without saying the script (`sr`)."""
    return str(code).strip().lower() == "sr"


def article_language(code: object, text: str) -> str | None:
    """The BCP 47 tag of an article written with this code: for plain `sr`, the script its
    prose is in (newsdesk.transliterate.serbian_script); None if the code is unknown."""
    tag = normalize_language(code)
    if tag is not None and names_no_script(code):
        return serbian_script(text)[0]
    return tag
