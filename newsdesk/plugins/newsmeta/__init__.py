"""Newsroom metadata: validate and normalise what authors write at the top of an article."""

import logging

from pelican import signals

from .gate import drop_outside_links, publishable_static_files
from .kept import keep_articles
from .metadata import ReportedLinkFilter, normalise_article
from .prefetch import prefetch_articles
from .reader import use_news_reader


def register() -> None:
    logging.getLogger("pelican.contents").addFilter(ReportedLinkFilter())
    signals.readers_init.connect(use_news_reader)
    signals.article_generator_init.connect(keep_articles)
    signals.article_generator_preread.connect(prefetch_articles)
    signals.content_object_init.connect(normalise_article)
    signals.article_generator_finalized.connect(drop_outside_links)
    signals.static_generator_finalized.connect(publishable_static_files)
