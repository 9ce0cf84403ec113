"""The versions authors wrote of one article (one key): which is the original, and which
category and tag of one language is which of another. The translation stage and the editions
follow these rules alike."""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

# Of several versions none marked as a translation, the original is the first in this order.
ORIGINAL_PREFERENCE = ("sr-Latn", "sr-Cyrl", "en")


def marked_translation(fields: Mapping[str, Any]) -> bool:
    """Whether an article's fields mark it a translation (Pelican's `Translation: true`)."""
    return str(fields.get("translation", "")).strip().lower() in ("true", "yes", "1")


def original_language(versions: Mapping[str, Mapping[str, Any]]) -> str | None:
    """Of {language: fields} of the versions authors wrote of one key, the language the
    others are translated from: one not marked `Translation: true`, the first in
    ORIGINAL_PREFERENCE; None when there are none."""
    def rank(lang: str) -> tuple[bool, int, str]:
        return (marked_translation(versions[lang]),
                ORIGINAL_PREFERENCE.index(lang) if lang in ORIGINAL_PREFERENCE
                else len(ORIGINAL_PREFERENCE), lang)

    return min(versions, key=rank, default=None)


def paired_terms(
        groups: Iterable[Mapping[str, tuple[str | None, list[str]]]],
) -> dict[tuple[str, str, str, str], str]:
    """Which category and tag of one language is which of another, learned from the articles
    written in both: {(kind, language, other language, term): other term}.

    `groups`: per key, {language: (category, [tags])}. A category pairs with the other
    version's category, a tag with the tag in the same place when both have as many; of
    several pairings, the most frequent wins (the first seen, on a tie)."""
    votes: defaultdict[tuple[str, str, str, str], Counter[str]] = defaultdict(Counter)
    for group in groups:
        for lang, (category, tags) in group.items():
            for other, (other_category, other_tags) in group.items():
                if other == lang:
                    continue
                if category and other_category:
                    votes["category", lang, other, category][other_category] += 1
                if len(tags) == len(other_tags):
                    for tag, other_tag in zip(tags, other_tags, strict=True):
                        votes["tag", lang, other, tag][other_tag] += 1
    return {pair: counter.most_common(1)[0][0] for pair, counter in votes.items()}
