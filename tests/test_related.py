"""Related reading, remembered between builds while order, tags and sections stay the same."""

from types import SimpleNamespace

from newsdesk.memo import Memo
from newsdesk.plugins.editions.related import related_articles, remembered_related


def article(key, tags, section):
    return SimpleNamespace(key=key, tags=[SimpleNamespace(slug=t) for t in tags],
                           category=SimpleNamespace(slug=section))


def keys(related):
    return {k: [a.key for a in found] for k, found in related.items()}


def test_related_reading_is_remembered_and_made_again_when_tags_change(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path), "CACHE_CONTENT": True, "REUSE_CACHE": True}
    articles = [article("a", ["eu"], "politics"), article("b", ["eu", "energy"], "economy"),
                article("c", ["energy"], "economy"), article("d", [], "politics")]
    by_id = {id(a): a.key for a in articles}
    memo = Memo(settings, "related-reading")
    first = remembered_related(articles, 2, memo)
    assert keys(first) == keys(related_articles(articles, 2))
    (key,) = memo.used
    memo.save()

    # The next build takes it from the memo: an entry altered there is what comes back.
    memo = Memo(settings, "related-reading")
    memo.put(key, [[3], [], [], []])
    memo.save()
    memo = Memo(settings, "related-reading")
    again = remembered_related(articles, 2, memo)
    assert [[by_id[id(o)] for o in again[id(a)]] for a in articles] == [["d"], [], [], []]

    # New tags: another key, worked out again.
    articles[3].tags = [SimpleNamespace(slug="energy")]
    changed = remembered_related(articles, 2, memo)
    assert keys(changed) == keys(related_articles(articles, 2))
    assert "d" in [o.key for o in changed[id(articles[2])]]
