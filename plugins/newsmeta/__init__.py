"""Newsroom metadata: validate and normalise what authors write at the top of an article."""

from pelican import signals

from .metadata import normalise_article


def register():
    signals.content_object_init.connect(normalise_article)
