"""Text memos: what a function made of a text, remembered between builds and worked out on
several processes."""

import os
import pickle
import sqlite3

from newsdesk import buildstate
from newsdesk.memo import TextMemo
from newsdesk.sources import SourceMemo
from newsdesk.transliterate import html_to_script, to_cyrillic


def cyrillic(html):
    return html_to_script(html, to_cyrillic)


def test_texts_are_worked_out_by_other_processes_and_remembered(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path), "CACHE_CONTENT": True, "REUSE_CACHE": True,
                "READ_WORKERS": 2, "PREFETCH_MIN": 1}
    texts = [f"<p>Vest broj {n}: đak iz Čačka</p>" for n in range(10)]
    calls = []

    def convert(html):
        calls.append(os.getpid())
        return cyrillic(html)

    memo = TextMemo(convert, settings, "test")
    memo.prefill(texts)
    assert len(calls) == 5, "the other half was done by the forked worker"
    assert [memo(text) for text in texts] == [cyrillic(text) for text in texts]
    assert len(calls) == 5, "nothing worked out twice"
    memo.save()

    later = TextMemo(convert, settings, "test")
    assert later(texts[3]) == "<p>Вест број 3: ђак из Чачка</p>"
    assert len(calls) == 5, "remembered from the last build"
    salted = TextMemo(convert, dict(settings), "test", salt="Čačka")
    salted(texts[3])
    assert len(calls) == 6, "another keep list is another memo"
    fresh = TextMemo(convert, dict(settings, REUSE_CACHE=False), "test")
    fresh(texts[3])
    assert len(calls) == 7, "not loaded when the content cache is dropped"


def test_article_files_are_read_again_only_when_they_change(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path / "cache"), "CACHE_CONTENT": True,
                "REUSE_CACHE": True}
    path = tmp_path / "vest.sr.md"
    path.write_text("Title: Prva\nCategory: Politika\n\nTekst.\n", encoding="utf-8")
    memo = SourceMemo(settings)
    first = memo.read(path)
    assert (first.key, first.lang, first.fields["title"]) == ("vest", "sr-Latn", "Prva")
    first.fields["title"] = "changed by the caller"
    memo.save()

    # The next build takes the file from the memo: an entry altered there is what it gets.
    memo = SourceMemo(settings)
    stamp, source = memo.get(str(path))
    assert source.fields["title"] == "Prva", "callers get a copy"
    source.fields["title"] = "Iz memoa"
    assert memo.read(path).fields["title"] == "Iz memoa"

    path.write_text("Title: Druga\nCategory: Politika\n\nTekst.\n", encoding="utf-8")
    os.utime(path, ns=(stamp[1] + 10**9, stamp[1] + 10**9))
    assert memo.read(path).fields["title"] == "Druga"


def test_remembered_article_files_keep_their_header_only(tmp_path):
    """The body, needed only when an article is translated again, is not in the memo (most of
    its size): a remembered file's body is read from the file when asked for."""
    settings = {"CACHE_PATH": str(tmp_path / "cache"), "CACHE_CONTENT": True,
                "REUSE_CACHE": True}
    path = tmp_path / "vest.sr.md"
    path.write_text("Title: Prva\n\nPrvi pasus.\n", encoding="utf-8")
    memo = SourceMemo(settings)
    assert memo.read(path).body == "Prvi pasus.\n"
    memo.save()
    (value,), = rows(tmp_path / "cache", "SELECT value FROM memo WHERE name='sources'")
    assert b"Prvi pasus" not in value

    remembered = SourceMemo(settings).read(path)
    assert remembered.body_text is None
    assert remembered.body == "Prvi pasus.\n"


def rows(cache, query):
    with sqlite3.connect(cache / buildstate.FILE) as db:
        return db.execute(query).fetchall()


def test_a_small_change_writes_only_what_changed(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path), "CACHE_CONTENT": True, "REUSE_CACHE": True}
    texts = [f"tekst {n}" for n in range(20)]
    memo = TextMemo(str.upper, settings, "test")
    [memo(text) for text in texts]
    memo.save()
    db = memo.store.db

    def written():
        return db.total_changes

    # One new text: only it is written; the others are not read whole, but one by one.
    memo = TextMemo(str.upper, settings, "test")
    assert [memo(text) for text in texts + ["nov"]] == [t.upper() for t in texts + ["nov"]]
    before = written()
    memo.save()
    assert written() - before == 1
    assert rows(tmp_path, "SELECT count(*) FROM memo WHERE name='test'") == [(21,)]

    # Nothing new and nothing dropped: nothing written.
    memo = TextMemo(lambda text: "not worked out again", settings, "test")
    assert memo("nov") == "NOV" and [memo(text) for text in texts][0] == "TEKST 0"
    before = written()
    memo.save()
    assert written() == before

    # Most texts gone: the entries no longer used are deleted.
    memo = TextMemo(str.upper, settings, "test")
    memo("nov"), memo("tekst 1")
    memo.save()
    values = rows(tmp_path, "SELECT value FROM memo WHERE name='test'")
    assert sorted(pickle.loads(value) for (value,) in values) == ["NOV", "TEKST 1"]


def test_the_first_use_of_the_build_state_deletes_the_caches_it_replaced(tmp_path):
    legacy = ["articles.pickle", "sources.pickle.add", "pages-0123456789abcdef.json",
              "pages-0123456789abcdef.state.json", "pages-0123456789abcdef.lock",
              "build-state.json", "content-cache-key", "check-state/0123.pickle"]
    kept = ["images/abc/original.jpg", "templates/x.cache", "ArticlesGenerator-Readers"]
    for name in legacy + kept:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"old")
    settings = {"CACHE_PATH": str(tmp_path), "CACHE_CONTENT": True, "REUSE_CACHE": True}
    assert TextMemo(str.upper, settings, "test")("tekst") == "TEKST"
    assert [name for name in legacy if (tmp_path / name).exists()] == []
    assert not (tmp_path / "check-state").exists()
    assert all((tmp_path / name).read_bytes() == b"old" for name in kept)
    assert (tmp_path / buildstate.FILE).is_file()
