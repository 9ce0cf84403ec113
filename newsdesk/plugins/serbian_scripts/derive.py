"""Article versions in the other Serbian script."""

import copy
import functools
import os
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

from pelican.urlwrappers import Author, Category, Tag, URLWrapper

from newsdesk.memo import TextMemo
from newsdesk.paths import readable_content_file
from newsdesk.pelican_seams import html_as_read, set_html
from newsdesk.signals import Groups
from newsdesk.slugs import with_slug
from newsdesk.transliterate import html_to_script, to_cyrillic, to_latin

LATIN, CYRILLIC = "sr-Latn", "sr-Cyrl"

Convert = Callable[[str], str]
Wrap = Callable[[type[URLWrapper], URLWrapper], URLWrapper]
# Converted categories, tags and authors by (kind, name, slug), shared between versions.
Made = dict[tuple[type[URLWrapper], str, str], URLWrapper]


def add_latin_versions(generator: Any, groups: Groups) -> None:
    """A Latin version of every article an author wrote in Cyrillic only."""
    for versions in groups.values():
        if CYRILLIC in versions and LATIN not in versions:
            original = versions[CYRILLIC]
            latin = versions[LATIN] = script_version(original, LATIN, to_latin, generator,
                                                     _html_converter(to_latin),
                                                     keep_slugs=False)
            # URLs come from the Latin names, in both scripts
            for mine, theirs in _wrappers(original, latin):
                mine.slug = theirs.slug


def add_cyrillic_versions(generator: Any, groups: Groups) -> None:
    """A Cyrillic version of every Latin one, human or machine-translated."""
    keep = _keep_list(generator.settings)
    convert = functools.partial(to_cyrillic, keep=keep)
    # The Cyrillic of each text is remembered between builds (it changes with the keep list):
    # HTML, and the short texts (titles, captions, names).
    html = TextMemo(_html_converter(convert), generator.settings, "cyrillic-html",
                    salt="\n".join(keep))
    text = TextMemo(convert, generator.settings, "cyrillic-text", salt="\n".join(keep))
    latin = [versions[LATIN] for versions in groups.values()
             if LATIN in versions and CYRILLIC not in versions]
    converted = [article for article in latin if not getattr(article, "translation_pending", 0)]
    html.prefill([text for article in converted for text in (
        html_as_read(article), article.metadata.get("summary", ""))])
    text.prefill([article.title for article in converted])
    wrappers: Made = {}
    serbian_terms = {(kind, wrapper.slug) for versions in groups.values()
                     for lang in (LATIN, CYRILLIC) if lang in versions
                     for kind, wrapper in _terms(versions[lang])
                     if wrapper.name not in getattr(versions[lang], "waiting_terms", ())}
    for versions in groups.values():
        if LATIN in versions and CYRILLIC not in versions:
            versions[CYRILLIC] = script_version(versions[LATIN], CYRILLIC, text, generator,
                                                html, wrappers=wrappers,
                                                serbian_terms=serbian_terms)
    html.save()
    text.save()


def _html_converter(convert: Convert) -> Convert:
    return lambda html: html_to_script(html, convert)


def _wrappers(a: Any, b: Any) -> Iterator[tuple[URLWrapper, URLWrapper]]:
    yield a.category, b.category
    yield from zip(getattr(a, "tags", []), getattr(b, "tags", []), strict=True)
    yield from zip(a.authors, b.authors, strict=True)


def _terms(article: Any) -> Iterator[tuple[type[URLWrapper], URLWrapper]]:
    yield Category, article.category
    for tag in getattr(article, "tags", []):
        yield Tag, tag


def script_version(article: Any, lang: str, convert: Convert, generator: Any,
                   convert_html: Convert, keep_slugs: bool = True, wrappers: Made | None = None,
                   serbian_terms: Collection[tuple[type[URLWrapper], str]] = ()) -> Any:
    """The article with every text a reader sees converted (`convert_html` for its HTML);
    URLs and slugs stay the same. `wrappers`: a dict in which categories, tags and authors
    are shared between the versions made with the same `convert`.

    A page waiting for its translation shows the original as written, which no converter
    touches: its texts and bylines (the names link to the converted authors' pages); so do
    the category and tags still waiting for their translation (`waiting_terms`), but for
    one whose address is a Serbian term's (`serbian_terms`: (kind, slug))."""
    settings = generator.settings
    version = copy.copy(article)
    version.metadata = dict(article.metadata)
    version.lang = lang
    if getattr(article, "translation_pending", 0):
        version.author_names_as_written = {a.slug: a.name for a in article.authors}
    else:
        _convert_texts(version, article, convert, convert_html)
    wrap = functools.partial(_converted, convert=convert, settings=settings, keep_slug=keep_slugs)
    if wrappers is not None:
        wrap = functools.partial(_shared, wrappers, wrap)
    waiting = set(getattr(article, "waiting_terms", ()))

    def wrap_term(kind: type[URLWrapper], wrapper: URLWrapper) -> URLWrapper:
        if wrapper.name in waiting and (kind, wrapper.slug) not in serbian_terms:
            return wrapper
        return wrap(kind, wrapper)

    version.category = wrap_term(Category, article.category)
    if hasattr(article, "tags"):
        version.tags = [wrap_term(Tag, tag) for tag in article.tags]
    version.authors = [wrap(Author, author) for author in article.authors]
    if version.authors:
        version.author = version.authors[0]
    version.script_of = article
    return version


def _convert_texts(version: Any, article: Any, convert: Convert,
                   convert_html: Convert) -> None:
    version.title = convert(article.title)
    summary = article.metadata.get("summary")
    set_html(version, convert_html(html_as_read(article)),
             None if summary is None else convert_html(summary))
    version.source = convert(article.source)
    version.correction = convert(article.correction)
    if article.lead_image:
        version.lead_image = dict(article.lead_image, caption=convert(article.lead_image[
            "caption"]), alt=convert(article.lead_image["alt"]))


def _shared(made: Made, wrap: Wrap, kind: type[URLWrapper], wrapper: URLWrapper
            ) -> URLWrapper:
    """The converted category, tag or author already made for this name and slug, if any."""
    key = (kind, wrapper.name, wrapper.slug)
    if key not in made:
        made[key] = wrap(kind, wrapper)
    return made[key]


def _converted(kind: type[URLWrapper], wrapper: URLWrapper, convert: Convert,
               settings: Mapping[str, Any], keep_slug: bool) -> URLWrapper:
    new = kind(convert(wrapper.name), settings)
    if keep_slug:
        new.slug = wrapper.slug  # URLs are ASCII and shared by the two scripts
        return new
    return with_slug(new)


@functools.lru_cache(maxsize=8)
def _read_keep_list(path: str, _mtime: int) -> tuple[str, ...]:
    with open(path, encoding="utf-8") as fp:
        return tuple(ln.strip() for ln in fp if ln.strip() and not ln.startswith("#"))


def _keep_list(settings: Mapping[str, Any]) -> tuple[str, ...]:
    path = os.path.join(settings["PATH"], settings.get("KEEP_AS_WRITTEN",
                                                       "translations/keep-as-written.txt"))
    if not readable_content_file(settings["PATH"], path):
        return ()
    return _read_keep_list(path, os.stat(path).st_mtime_ns)
