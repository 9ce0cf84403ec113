"""Builds the machine-translated Article objects for the editions that have no human version."""

import logging
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from markdown import Markdown
from pelican.contents import Article
from pelican.urlwrappers import Category, Tag

from newsdesk.memo import TextMemo
from newsdesk.pelican_seams import html_as_read
from newsdesk.providers import Provider
from newsdesk.report import where
from newsdesk.sanitize import clean_html, report_removed
from newsdesk.signals import Groups
from newsdesk.slugs import make_slug, with_slug
from newsdesk.sources import SourceArticle, SourceMemo
from newsdesk.translate import (
    StageMemo,
    Translation,
    TranslationStage,
    provider_problems,
    translation_sources,
)

log = logging.getLogger(__name__)
FIGURE = '<figure class="figure">'  # a photo of the text (plugins/figures)


def add_machine_translations(generator: Any, groups: Groups) -> None:
    settings = generator.settings
    files = SourceMemo(settings)
    files.prefetch(str(a.source_path) for versions in groups.values() for a in versions.values()
                   if not hasattr(a, "script_of"))
    sources = {key: translation_sources({lang: _source(a, files) for lang, a in versions.items()
                                         if not hasattr(a, "script_of")})
               for key, versions in groups.items()}
    files.save()
    provider = Provider(settings)
    stage = TranslationStage(settings, settings["PATH"], provider, memo=StageMemo(settings))
    results = stage.run(sources, show_progress=True)
    markdown = _body_markdown(settings)
    markdown.prefill([text for translation in results.values() for text in (
        translation.body, translation.fields.get("summary", ""))])
    pending: list[tuple[Any, str]] = []
    for (key, target), translation in sorted(results.items()):
        original = groups[key][translation.source.lang]
        article = _derived_article(original, translation, target, markdown, generator)
        groups[key][target] = article
        if article.translation_pending:
            pending.append((original, target))
    markdown.save()
    if stage.stats.segments:
        print(stage.stats.summary(provider))
    for level, message in provider_problems(provider, stage.stats):
        log.log(level, message)
    level = logging.ERROR if settings.get("STRICT") else logging.INFO
    for original, target in pending:
        log.log(level, "%s: translation to %s pending, shown in the original language",
                where(original), target)


def _source(article: Any, files: SourceMemo) -> SourceArticle:
    """What the author wrote."""
    source = files.read(article.source_path)
    lead = getattr(article, "lead_image", None)
    if lead and lead.get("caption") and not source.fields.get("caption"):
        source.fields["caption"] = lead["caption"]  # from the photo's IPTC/XMP fields
        source.fields.setdefault("credit", lead.get("credit", ""))
    return source


def _body_markdown(settings: Mapping[str, Any]) -> TextMemo:
    """Markdown to safe HTML (newsdesk.sanitize) for translated texts, with what was removed,
    remembered between builds (newsdesk.memo): Pelican's set-up without the metadata
    extension, so that a translated first paragraph that starts "Word: ..." is text, not a
    header."""
    config = dict(settings["MARKDOWN"])
    config["extensions"] = [e for e in config.get("extensions", [])
                            if e not in ("markdown.extensions.meta", "meta")]
    markdown = Markdown(**config)

    def convert(text: str) -> tuple[str, list[str]]:
        markdown.reset()
        return clean_html(markdown.convert(text), settings)

    return TextMemo(convert, settings, "translated-html")


def _derived_article(original: Any, translation: Translation, target: str, markdown: TextMemo,
                     generator: Any) -> Any:
    """The article in the target language; while any of its translation waits, it shows the
    original's texts as written (title, summary, body, photo texts), none half translated."""
    meta = {k: v for k, v in original.metadata.items()
            if k not in ("slug", "html_removed")}
    meta.update(derived=True, lang=target, key=original.key, slug=make_slug(original.key))
    if original.authors:  # as the version translated from spells them (Latin for Cyrillic)
        meta.update(author=original.authors[0], authors=list(original.authors))
    removed: list[str] = []
    pending = translation.pending
    if not pending:
        texts: dict[str, Any] = {}
        body, removed = _translated_texts(texts, translation, markdown)
        pending = _lost_figures(original, body, translation, generator.settings) > 0
        meta.update(texts)
    if pending:
        body, removed = html_as_read(original), []
        meta["title"] = original.title
        if "summary" in original.metadata:
            meta["summary"] = original.metadata["summary"]
    if removed:
        meta["html_removed"] = removed
    settings = generator.settings
    # what the original lost is reported with it; what the translation added, here
    added = Counter(removed) - Counter(original.metadata.get("html_removed", ()))
    report_removed(f"{where(original)} → {target}", list(added.elements()), settings)
    if translation.category:
        meta["category"] = with_slug(Category(translation.category, settings))
    if translation.tags:
        meta["tags"] = [with_slug(Tag(tag, settings)) for tag in translation.tags]
    article = Article(body, metadata=meta,
                      settings=generator.settings, source_path=original.source_path,
                      context=generator.context)
    article.translation_of = original
    article.machine_translation = True
    article.translation_pending = pending
    article.translation_reviewed = translation.fully_reviewed and not pending
    if pending:
        article.lead_image, article.correction = original.lead_image, original.correction
    # the category and tags still in the original's words, shown as written in every script
    article.waiting_terms = tuple(translation.waiting_terms)
    return article


def _lost_figures(original: Any, body: str, translation: Translation,
                  settings: Mapping[str, Any]) -> int:
    """How many photos of the text the translation no longer shows as figures (a caption or
    alt text in the memory that breaks its image's Markdown), reported as an error: the
    article then waits, shown in the original, until the memory is corrected."""
    lost = html_as_read(original).count(FIGURE) - body.count(FIGURE)
    if lost > 0:
        memory = (Path(settings["PATH"]) / settings.get("TRANSLATION_MEMORY", "translations")
                  / translation.target / f"{translation.source.key}.po")
        log.error("%s → %s: %d photo(s) in the text lost their figure in the translation: a "
                  "caption or alt text in %s breaks its image; the article is shown in the "
                  "original until it is corrected", where(original), translation.target, lost,
                  where(memory))
    return max(lost, 0)


def _translated_texts(meta: dict[str, Any], translation: Translation, markdown: TextMemo
                      ) -> tuple[str, list[str]]:
    """Put the translated fields into `meta`; the body's HTML and what was removed from it."""
    fields = translation.fields
    for name in ("title", "caption", "alt", "credit", "correction"):
        if name in fields:
            meta[name] = fields[name]
    body, removed = markdown(translation.body)
    if "summary" in fields:
        meta["summary"], more = markdown(fields["summary"])
        removed = removed + more
    return body, removed
