"""schema.org NewsArticle data for an article page (JSON-LD)."""

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from .model import Edition


def news_article_data(article: Any, edition: Edition, origin: str, sitename: str,
                      image: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON-LD object describing an article; `image` as made by the figures plugin
    (share_image)."""
    url = f"{origin}/{article.url}"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "mainEntityOfPage": url,
        "url": url,
        "headline": " ".join(article.title.split())[:110],  # text, as the page shows it
        "description": _text(article.summary),
        "inLanguage": edition.code,
        "datePublished": article.date.isoformat(timespec="seconds"),
        "dateModified": getattr(article, "modified", article.date).isoformat(timespec="seconds"),
        "articleSection": article.category.name,
        "keywords": [tag.name for tag in getattr(article, "tags", [])],
        "author": [{"@type": "Person", "name": author.name, "url": f"{origin}/{author.url}"}
                   for author in article.authors],
        "publisher": {"@type": "NewsMediaOrganization", "name": sitename,
                      "url": f"{origin}/{edition.url('index')}"},
        "isAccessibleForFree": True,
    }
    if not article.authors:
        data["author"] = [{"@type": "Organization", "name": article.source or edition.source}]
    if image:  # the lead photo, or the theme's image: the outlet's own
        data["image"] = [{"@type": "ImageObject", "url": image["url"], "width": image["width"],
                          "height": image["height"], "caption": image.get("caption", ""),
                          "creditText": image.get("credit", sitename)}]
    original = getattr(article, "translation_of", None)
    if original is not None:
        data["translationOfWork"] = {"@type": "NewsArticle", "@id": f"{origin}/{original.url}",
                                     "inLanguage": original.edition.code}
        if getattr(article, "machine_translation", False):
            data["translator"] = {"@type": "Organization", "name": "Machine translation"}
    return data


def _text(html: str | None) -> str:
    """The text of an HTML fragment (a summary)."""
    return " ".join(Markup(html or "").striptags().split())
