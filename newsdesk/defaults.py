"""Pregled's settings: a site's pelicanconf.py starts with `from newsdesk.defaults import *`.

Every setting a site can set, with its default and what it does, is in docs/settings.md
(tests/test_settings_doc.py checks it against the code). Relative paths (PATH, OUTPUT_PATH,
CACHE_PATH) are read from the folder of the site's settings file.
"""

import logging
from pathlib import Path

SITENAME = "Pregled"
SITEURL = ""  # root-relative links; publishconf.py sets the public address
# Absolute base for feeds and other machine-read links in local builds (the preview server).
FEED_DOMAIN = "http://127.0.0.1:8000"
TIMEZONE = "Europe/Belgrade"
DEFAULT_LANG = "sr"  # the language of an article that names none

PATH = "content"
OUTPUT_PATH = "output"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS: list[str] = []
READERS = {"rst": None}  # articles are Markdown
STATIC_PATHS = ["images"]  # published from there: STATIC_FILE_TYPES (newsdesk/plugins/newsmeta)
THEME = str(Path(__file__).resolve().parent / "theme")  # newsdesk/theme, installed with the package
# editions first: the others add versions to it (other script, machine translation).
PLUGINS = [f"newsdesk.plugins.{name}" for name in (
    "newsmeta", "editions", "serbian_scripts", "machine_translation", "figures", "search")]
CACHE_PATH = ".cache"  # the build cache, processed images included (IMAGE_*: docs/settings.md)
# Each article's Markdown is converted once and kept until the file changes; the build drops
# the whole cache when the code, theme, photos or settings change (newsdesk.fingerprint).
CACHE_CONTENT = True
CONTENT_CACHING_LAYER = "reader"
GZIP_CACHE = False
# Pelican's warning for a static file it cannot read the time of (a link that leads to no
# file) is left out: the build names the link and where it leads (newsmeta's gate).
LOG_FILTER = [(logging.WARNING, "Cannot get modification stamp for %s\n\t%s")]

# Articles are named <key>.<lang>.md; the key links the translations of one article. The
# plugins read both from the name (newsdesk/filenames.py): Pelican reads nothing from it.
FILENAME_METADATA = ""
ARTICLE_TRANSLATION_ID = None  # the editions plugin groups translations by key
WITH_FUTURE_DATES = False  # an article dated in the future waits for a later build
DEFAULT_PAGINATION = 5
SUMMARY_MAX_LENGTH = 40

# The editions plugin writes every listing and feed per edition (newsdesk/plugins/editions);
# Pelican's own single-language listings are switched off.
DIRECT_TEMPLATES: list[str] = []
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Editions: BCP 47 tag, the Babel locale for dates and plurals, URL prefix, the name shown in
# the switcher (in the edition's own language), and the words used in its URLs.
SERBIAN_PATHS = {"category": "kategorija", "tag": "tema", "author": "autor", "page": "strana",
                 "archives": "arhiva", "categories": "kategorije", "tags": "teme",
                 "authors": "autori", "search": "pretraga"}  # shared by both scripts: ASCII URLs
EDITIONS = [
    {
        "code": "sr-Latn",
        "locale": "sr_Latn",
        "prefix": "",
        "name": "Srpski",
        "paths": SERBIAN_PATHS,
    },
    {
        "code": "sr-Cyrl",
        "locale": "sr_Cyrl",
        "prefix": "sr-cyrl/",
        "name": "Српски",
        "paths": SERBIAN_PATHS,
    },
    {
        "code": "en",
        "locale": "en_150",
        "prefix": "en/",
        "name": "English",
        "paths": {"category": "category", "tag": "tag", "author": "author", "page": "page",
                  "archives": "archives", "categories": "categories", "tags": "tags",
                  "authors": "authors", "search": "search"},
    },
]

# Newsroom settings read by the theme and plugins.
SITE_SOURCE = None  # the outlet named in bylines when an article gives no Source (default: the
# edition's sitename; each edition writes it as it writes SITENAME; or give an edition its "source")
NEWSLETTER_ACTION = ""  # the newsletter form's address; "" hides the box
RELATED_ARTICLES = 4  # how many "Read more" links an article page shows
# Link previews (og:image) and NewsArticle data of an article without a photo: a file in the
# theme's static folder, at least 1200 px wide.
SHARE_IMAGE = "images/share.png"

# Article HTML (newsdesk/sanitize.py), in every version of an article (body and summary).
# Raw HTML in Markdown is published as written: embeds are part of the news. javascript:,
# vbscript: and data: URLs are removed either way, with a warning naming the file.
# SANITIZE_HTML = True keeps only an allow-list (text, links, lists, headings, quotes, code,
# tables, figures and pictures, <span translate="no">, iframes loaded over https from
# SANITIZE_IFRAME_HOSTS), for sites that publish less-trusted contributors; anything else
# (scripts, styles, forms, onclick and other event attributes, other embeds) is removed and
# reported, naming the file.
SANITIZE_HTML = False
SANITIZE_IFRAME_HOSTS = ["www.youtube-nocookie.com", "player.vimeo.com"]

JINJA_ENVIRONMENT = {
    "autoescape": True,  # author text, photo metadata and translations are escaped
    "extensions": ["jinja2.ext.i18n", "jinja2.ext.do"],
    "trim_blocks": True,
    "lstrip_blocks": True,
}
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.smarty": {},
    },
    "output_format": "html5",
}

# Machine translation (every MT_* setting: docs/settings.md).
# MT_PROVIDER, MT_URL and MT_API_KEY may be set in the environment; the key only there.
MT_PROVIDER = "google"
MT_TARGETS = ["sr-Latn", "en"]
TRANSLATION_MEMORY = "translations"  # inside the content folder, kept in git
MT_TIMEOUT = (5, 30)
MT_RETRIES = 2
MT_BACKOFF = 0.5
MT_BREAKER = 3
MT_CHAR_BUDGET = 200_000
