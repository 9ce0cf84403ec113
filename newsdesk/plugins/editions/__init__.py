"""Editions: every language edition of the site built in one Pelican pass.

Pelican reads the articles; this plugin takes them over, groups the translations of each article
by its key, and writes every edition's article pages, listings and feeds under its URL prefix.
"""

from pelican import signals

from .generator import EditionsGenerator
from .templating import add_template_helpers


def get_generators(_pelican: object) -> type[EditionsGenerator]:
    return EditionsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(add_template_helpers)
