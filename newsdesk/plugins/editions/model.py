"""An edition: one language (and script) of the site, with its own URLs and locale.

Settings read here (defaults in brackets):
- EDITIONS [required]: a list of dicts with `code` (BCP 47 tag), `locale` (Babel locale),
  `prefix` (URL prefix, "" or ending in "/"), `name` (shown in the switcher, in the edition's
  own language), `paths` (the words used in its URLs, see DEFAULT_PATHS) and, optionally,
  `sitename` (the site's name as this edition writes it; default SITENAME, in Cyrillic in a
  Cyrillic edition) and `source`
  (the outlet named in bylines of articles that give no Source; default SITE_SOURCE, the
  edition's `sitename` when that is SITENAME or unset, in Cyrillic in a Cyrillic edition).
- SITE_SOURCE [SITENAME]: the outlet named in bylines when an article gives no Source.
- EDITION_ARTICLE_URL ["{date:%Y}/{slug}/"]: an article's URL below the edition's prefix.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from gettext import NullTranslations
from typing import Any

from newsdesk.catalogs import load_translations
from newsdesk.transliterate import to_cyrillic

# Open Graph locales (language_TERRITORY) by language.
OG_LOCALES = {"sr": "sr_RS", "en": "en_GB"}

DEFAULT_PATHS = {
    "category": "category", "tag": "tag", "author": "author", "page": "page",
    "archives": "archives", "categories": "categories", "tags": "tags", "authors": "authors",
    "feeds": "feeds", "search": "search",
}


@dataclass
class Edition:
    code: str
    locale: str
    prefix: str
    name: str
    paths: dict[str, str]
    settings: dict[str, Any] = field(repr=False)
    translations: NullTranslations = field(repr=False)
    sitename: str = ""
    source: str = ""
    og_locale: str = ""

    def cache_key(self) -> str:
        """The edition in a page key: everything else about it is in the settings."""
        return f"edition|{self.code}"

    @property
    def language(self) -> str:
        """The language part of the tag: "sr" for both Serbian scripts."""
        return self.code.split("-")[0]

    @property
    def script_name(self) -> str:
        """The name of the edition's script, in that script, for the script switcher."""
        return {"Latn": "Latinica", "Cyrl": "Ћирилица"}.get(self.code.rpartition("-")[2], "")

    def url(self, page: str, **values: Any) -> str:
        """URL (below SITEURL) of one of the edition's pages: 'index', 'archives', 'feed', ..."""
        p = self.paths
        patterns = {
            "index": "",
            "archives": f"{p['archives']}/",
            "month": f"{p['archives']}/{{year}}/{{month:02d}}/",
            "categories": f"{p['categories']}/",
            "tags": f"{p['tags']}/",
            "authors": f"{p['authors']}/",
            "feed": f"{p['feeds']}/{{name}}.{{format}}.xml",
            "404": "404.html",
            "search": f"{p['search']}/",
        }
        return self.prefix + patterns[page].format(**values)

    def save_as(self, url: str) -> str:
        """The output file for a URL: folders get an index.html."""
        return url + "index.html" if url == "" or url.endswith("/") else url


ARTICLE_URL = "{date:%Y}/{slug}/"  # EDITION_ARTICLE_URL's default


def edition_settings(settings: Mapping[str, Any], prefix: str,
                     paths: Mapping[str, str]) -> dict[str, Any]:
    """A copy of the Pelican settings whose URL patterns point into the edition."""
    article_url = settings.get("EDITION_ARTICLE_URL", ARTICLE_URL)
    edition = dict(settings)
    edition["ARTICLE_URL"] = prefix + article_url
    edition["ARTICLE_SAVE_AS"] = prefix + article_url + "index.html"
    for kind in ("category", "tag", "author"):
        url = f"{prefix}{paths[kind]}/{{slug}}/"
        edition[f"{kind.upper()}_URL"] = url
        edition[f"{kind.upper()}_SAVE_AS"] = url + "index.html"
    return edition


def load_editions(settings: Mapping[str, Any]) -> list[Edition]:
    """The editions named in the settings, each with its settings and interface catalog."""
    translations_dir = os.path.join(settings["THEME"], "translations")
    editions = []
    for spec in settings["EDITIONS"]:
        paths = {**DEFAULT_PATHS, **spec.get("paths", {})}
        prefix = spec.get("prefix", "")
        edition_config = edition_settings(settings, prefix, paths)
        edition_config["DEFAULT_LANG"] = spec["code"]
        sitename = spec.get("sitename") or _in_script(spec, settings["SITENAME"])
        editions.append(Edition(
            code=spec["code"], locale=spec["locale"], prefix=prefix, name=spec["name"],
            paths=paths, settings=edition_config,
            translations=load_translations(translations_dir, spec["locale"]),
            sitename=sitename, source=spec.get("source") or _outlet(settings, spec, sitename),
            og_locale=spec.get("og_locale", OG_LOCALES.get(spec["code"].split("-")[0], "")),
        ))
    return editions


def _outlet(settings: Mapping[str, Any], spec: Mapping[str, Any], sitename: str) -> str:
    """The outlet named in an edition's bylines when an article gives no Source."""
    source = settings.get("SITE_SOURCE")
    if not source or source == settings["SITENAME"]:
        return sitename
    return _in_script(spec, source)


def _in_script(spec: Mapping[str, Any], name: str) -> str:
    """A name as an edition writes it: in Cyrillic in a Cyrillic edition."""
    return to_cyrillic(name) if spec["code"].endswith("-Cyrl") else name
