"""ASCII slugs, as Serbian readers spell them in Latin script without diacritics."""

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

SERBIAN_ASCII = str.maketrans({"đ": "dj", "Đ": "Dj"})


def make_slug(text, settings=None):
    """'Nova vest o Đerdapu' -> 'nova-vest-o-djerdapu'."""
    subs = (settings or DEFAULT_CONFIG)["SLUG_REGEX_SUBSTITUTIONS"]
    return slugify(str(text).translate(SERBIAN_ASCII), regex_subs=subs)
