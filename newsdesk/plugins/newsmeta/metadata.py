"""Checks and normalises an article's metadata as soon as Pelican has read it.

Settings read here (defaults in brackets):
- DEFAULT_LANG ["sr"]: the language of an article that names none.

Problems are logged naming the file; an article that cannot be placed in any edition is
marked ``invalid`` and left out of the site, the rest of the site still builds.
"""

import functools
import logging
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pelican.contents import Article
from pelican.readers import ensure_metadata_list
from pelican.urlwrappers import Author, URLWrapper
from PIL import Image

from newsdesk.fields import (
    CONTENT_TYPES,
    UNSIGNED_TYPES,
    caption_and_credit,
    content_type,
    left_placeholder,
)
from newsdesk.filenames import article_key, language_code, name_parts, names_disagree
from newsdesk.languages import known_codes, names_no_script, normalize_language
from newsdesk.paths import is_within, key_problem
from newsdesk.pelican_seams import html_as_read
from newsdesk.report import where
from newsdesk.slugs import make_slug, with_slug
from newsdesk.transliterate import serbian_script, to_latin

log = logging.getLogger(__name__)
# {static} links reported missing, and the warning Pelican logs for each when it renders.
REPORTED_LINKS: set[str] = set()
PELICAN_UNRESOLVED = "Unable to find '%s', skipping url replacement."

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PLAIN_IMG_RE = re.compile(r"""<img\b[^>]*?\bsrc=["']([^"'{][^"']*)["']""")
EXTERNAL_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
LINKED_FILE_RE = re.compile(r"""\{(?:static|attach)\}([^"')\s>]+)""")
ARTICLE_TEMPLATE_RE = re.compile(r"^article(?:-[a-z0-9]+)*$")


def content_file(article: Any, link: str) -> str:
    """The content-relative path a {static} link or Image value points to."""
    link = link.split("#")[0].split("?")[0]
    link = re.sub(r"^\{(static|attach)\}", "", link)
    if link.startswith("/"):
        return link.lstrip("/")
    return os.path.normpath(os.path.join(article.relative_dir, link))


@functools.lru_cache(maxsize=4096)
def _image_size(path: str, _mtime: int) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def image_size(path: str) -> tuple[int, int] | tuple[None, None]:
    """(width, height) of an image file, read from its header; (None, None) if unreadable."""
    try:
        return _image_size(path, os.stat(path).st_mtime_ns)
    except (OSError, Image.DecompressionBombError) as exc:
        log.error("%s: cannot read image: %s", path, exc)
        return None, None


def normalise_article(content: Any) -> None:
    if not isinstance(content, Article):
        return
    settings = content.settings
    _language(content)
    _key_and_slug(content)
    _template(content, settings)
    _content_type(content)
    _authors(content, settings)
    content.correction = str(content.metadata.get("correction", "")).strip()
    # the outlet an article names; bylines name the edition's own (Edition.source) otherwise
    content.source = str(content.metadata.get("source", "")).strip()
    _lead_image(content, settings)
    if not content.metadata.get("derived"):  # a version made by the build: its original's
        _linked_files(content, settings)  # files were checked
        placeholder = left_placeholder(html_as_read(content))
        if placeholder:
            log.warning("%s: the text still holds the placeholder of `invoke new` ('%s'); "
                        "write the article", where(content), placeholder)


def _language(article: Any) -> None:
    article.invalid = False
    code: str | None
    if article.metadata.get("derived"):  # named as its original: its Lang is its own
        code = str(article.metadata.get("lang", article.lang))
    else:
        code = language_code(article.source_path, article.metadata, article.lang)
        if names_disagree(article.source_path, article.metadata):
            log.error("%s: the file name says language '%s' but Lang says '%s'; make them "
                      "agree", where(article), name_parts(article.source_path)[1],
                      article.metadata["lang"])
    tag = normalize_language(code)
    if tag is None:
        log.error("%s: unknown language '%s'; use one of %s", where(article), code,
                  known_codes())
        article.invalid = True
        return
    if names_no_script(code):
        tag, mixed = serbian_script("\n".join((getattr(article, "title", ""), str(
            article.metadata.get("summary", "")), html_as_read(article))))
        if mixed:
            log.warning("%s: the text mixes Latin and Cyrillic script; write it in one "
                        "(names and quotes may keep theirs)", where(article))
    article.lang = tag


def _key_and_slug(article: Any) -> None:
    article.key = article_key(article.source_path or "", article.metadata)
    problem = key_problem(article.key)
    if problem:
        log.error("%s: %s; left out", where(article), problem)
        article.invalid = True
        return
    if "slug" not in article.metadata:
        article.slug = make_slug(article.key, article.settings)
    if not SLUG_RE.match(article.slug):
        log.error("%s: slug '%s' must be lower-case ASCII letters, digits and hyphens",
                  where(article), article.slug)
        article.slug = make_slug(article.slug, article.settings)


def _template(article: Any, settings: Mapping[str, Any]) -> None:
    """An article's page comes from an article template of the theme, nothing else."""
    name = article.metadata.get("template")
    if name is None:
        return
    if not ARTICLE_TEMPLATE_RE.match(str(name)) or not _theme_has(settings, f"{name}.html"):
        log.error("%s: Template '%s' is not an article template of the theme (article or "
                  "article-<name>); left out", where(article), name)
        article.invalid = True


def _theme_has(settings: Mapping[str, Any], name: str) -> bool:
    folders = [os.path.join(settings["THEME"], "templates"),
               *settings.get("THEME_TEMPLATES_OVERRIDES", [])]
    return any(os.path.isfile(os.path.join(folder, name)) for folder in folders)


def _content_type(article: Any) -> None:
    """The article's content type; an unknown one is reported on the file as written (a
    version the build makes from it has the same) and shown as news."""
    written = str(article.metadata.get("type", "news"))
    value, nearest = content_type(to_latin(written))
    if value is None and not article.metadata.get("derived"):
        hint = f"did you mean '{nearest}'? " if nearest else ""
        log.error("%s: unknown Type '%s'; %suse one of %s (shown as news meanwhile)",
                  where(article), written.strip(), hint, ", ".join(CONTENT_TYPES))
    article.content_type = value or "news"


def _authors(article: Any, settings: Mapping[str, Any]) -> None:
    """`Author: A, B` names two authors, as `Authors:` does."""
    author = article.metadata.get("author")
    if author is not None and "authors" not in article.metadata:
        names = ensure_metadata_list(str(author))
        if len(names) > 1:
            article.authors = [with_slug(Author(name, settings)) for name in names]
            article.author = article.authors[0]
    if not getattr(article, "authors", None):
        if article.content_type not in UNSIGNED_TYPES:
            log.warning("%s: no Author; the byline will name only the outlet", where(article))
        article.authors = []


def _lead_image(article: Any, settings: Mapping[str, Any]) -> None:
    article.lead_image = None
    image = article.metadata.get("image")
    if not image:
        return
    path = content_file(article, str(image))
    if not _inside_content(article, settings, image, path):
        return
    if not os.path.isfile(os.path.join(settings["PATH"], path)):
        if not article.metadata.get("derived"):
            log.error("%s: lead image '%s' not found in the content folder", where(article),
                      image)
        return
    caption, credit = caption_and_credit(article.metadata.get("caption", ""),
                                         article.metadata.get("credit", ""))
    width, height = image_size(os.path.join(settings["PATH"], path))
    article.lead_image = {
        "path": path,
        "width": width,
        "height": height,
        "url": path.replace(os.sep, "/"),
        "caption": caption,
        "credit": credit,
        "alt": str(article.metadata.get("alt", caption)).strip(),
    }


def _inside_content(article: Any, settings: Mapping[str, Any], link: object, path: str) -> bool:
    """Whether a linked file stays inside the content folder; if not, the article is left
    out with an error naming the link."""
    if is_within(settings["PATH"], path):
        return True
    log.error("%s: '%s' leads outside the content folder; left out", where(article), link)
    article.invalid = True
    return False


def url_wrappers(values: Iterable[object]) -> Iterator[URLWrapper]:
    """The categories, tags and authors among these values (alone or in lists)."""
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, URLWrapper):
                yield item


def files_used(article: Any) -> list[str]:
    """The other content files an article's checks looked at: lead photo and linked files."""
    root = article.settings["PATH"]
    links = [article.metadata["image"]] if article.metadata.get("image") else []
    links += LINKED_FILE_RE.findall(html_as_read(article))
    paths = {os.path.join(root, content_file(article, str(link))) for link in links}
    return sorted(path for path in paths if is_within(root, path))


def _linked_files(article: Any, settings: Mapping[str, Any]) -> None:
    links = LINKED_FILE_RE.findall(html_as_read(article))
    outside = [link for link in links
               if not is_within(settings["PATH"], content_file(article, link))]
    if outside:
        log.error("%s: %s lead%s outside the content folder; left out", where(article),
                  ", ".join(f"'{link}'" for link in outside), "s" * (len(outside) == 1))
        article.invalid = True
        return
    for link in dict.fromkeys(links):
        path = content_file(article, link)
        if not os.path.isfile(os.path.join(settings["PATH"], path)):
            log.error("%s: linked file '%s' not found in the content folder", where(article), link)
            REPORTED_LINKS.add(link)
    _plain_images(article, settings)


class ReportedLinkFilter(logging.Filter):
    """Pelican's own warning for a {static} link it cannot resolve, left out when the link
    was reported here already (so that each missing file is reported once)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.msg == PELICAN_UNRESOLVED and isinstance(record.args, tuple)
                    and bool(record.args) and record.args[0] in REPORTED_LINKS)


def _plain_images(article: Any, settings: Mapping[str, Any]) -> None:
    """Images referred to by a path of the site (`/images/x.jpg`) or one relative to the
    article (`../images/x.jpg`) rather than {static}: each missing one is reported once."""
    for src in dict.fromkeys(PLAIN_IMG_RE.findall(html_as_read(article))):
        if EXTERNAL_RE.match(src):
            continue
        path = src.split("#")[0].split("?")[0]
        relative = path.lstrip("/") if path.startswith("/") else os.path.normpath(
            os.path.join(article.relative_dir, path))
        file = os.path.join(settings["PATH"], relative)
        if not is_within(settings["PATH"], relative) or not os.path.isfile(file):
            log.error("%s: image '%s' not found in the content folder; put it in images/ and "
                      "write {static}/images/…", where(article), src)
