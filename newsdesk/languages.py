"""Language tags the site knows, and how author-written codes map to them."""

# What an author may write in `Lang:` or a file name, lower-cased, and the BCP 47 tag it means.
LANGUAGE_TAGS = {
    "sr": "sr-Latn",
    "sr-latn": "sr-Latn",
    "sr-cyrl": "sr-Cyrl",
    "en": "en",
}


def normalize_language(code):
    """Return the BCP 47 tag for an author-written language code, or None if unknown."""
    return LANGUAGE_TAGS.get(str(code).strip().lower())


def known_codes():
    """The codes an author may use, for error messages."""
    return ", ".join(["sr", *sorted(set(LANGUAGE_TAGS.values()))])
