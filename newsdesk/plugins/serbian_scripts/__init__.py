"""Serbian in both scripts: every Serbian article in Latin and Cyrillic, one derived from the other.

Settings (defaults in brackets):
- KEEP_AS_WRITTEN ["translations/keep-as-written.txt" in the content folder]: names and terms
  (brands, foreign names) that stay in Latin letters in the Cyrillic edition, one per line.
- READ_WORKERS [number of cores]: processes that convert the articles not converted by an
  earlier build (newsdesk.memo), when there are at least PREFETCH_MIN [200] of them.
"""

from newsdesk.signals import editions_grouped, editions_translated

from .derive import add_cyrillic_versions, add_latin_versions


def register() -> None:
    editions_grouped.connect(add_latin_versions)
    editions_translated.connect(add_cyrillic_versions)
