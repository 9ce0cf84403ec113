"""'Read more': the articles of an edition most related to each article.

Articles sharing more tags rank higher, then those of the same category, then the nearest in
time. Only neighbours in time are compared, so the cost grows with the archive, not its square.
The result depends only on the order of the articles and their tags and categories, so it is
remembered between builds (`remembered_related`): an edit to an article's text reuses it.
"""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from newsdesk.memo import Memo


def remembered_related(articles: Sequence[Any], limit: int,
                       memo: Memo) -> dict[int, list[Any]]:
    """`related_articles`, taken from `memo` (a newsdesk.memo.Memo) when the same articles
    in the same order have the same tags and categories."""
    shape = [(a.key, [t.slug for t in getattr(a, "tags", ())], a.category.slug)
             for a in articles]
    key = hashlib.sha256(repr((limit, shape)).encode()).hexdigest()
    positions = memo.get(key)
    if positions is None:
        rank = {id(a): i for i, a in enumerate(articles)}
        related = related_articles(articles, limit)
        positions = [[rank[id(o)] for o in related[id(a)]] for a in articles]
    memo.put(key, positions)
    return {id(a): [articles[i] for i in found] for a, found in zip(articles, positions,
                                                                      strict=True)}


def related_articles(articles: Sequence[Any], limit: int,
                     window: int | None = None) -> dict[int, list[Any]]:
    """Map each article to at most `limit` related ones; `articles` sorted newest first."""
    window = window or max(limit * 2, 4)
    rank = {id(a): i for i, a in enumerate(articles)}
    by_tag: defaultdict[str, list[Any]] = defaultdict(list)
    by_category: defaultdict[str, list[Any]] = defaultdict(list)
    for article in articles:
        for tag in getattr(article, "tags", ()):
            by_tag[tag.slug].append(article)
        by_category[article.category.slug].append(article)
    position: dict[tuple[int, int], int] = {}
    for group in (*by_tag.values(), *by_category.values()):
        for i, article in enumerate(group):
            position[id(group), id(article)] = i

    related: dict[int, list[Any]] = {}
    for article in articles:
        scores: Counter[int] = Counter()
        groups = [(by_tag[t.slug], 2) for t in getattr(article, "tags", ())]
        groups.append((by_category[article.category.slug], 1))
        for group, weight in groups:
            i = position[id(group), id(article)]
            for other in group[max(0, i - window): i + window + 1]:
                if other is not article:
                    scores[rank[id(other)]] += weight
        me = rank[id(article)]
        ranked = sorted(scores, key=lambda other: (-scores[other], abs(other - me), other))
        related[id(article)] = [articles[other] for other in ranked[:limit]]
    return related
