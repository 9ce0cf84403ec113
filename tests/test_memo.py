"""Text memos: what a function made of a text, remembered between builds and worked out on
several processes."""

import os
import pickle

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
    stamp, source = memo.known[str(path)]
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
    with open(tmp_path / "cache" / "sources.pickle", "rb") as fp:
        assert b"Prvi pasus" not in fp.read()

    remembered = SourceMemo(settings).read(path)
    assert remembered.body_text is None
    assert remembered.body == "Prvi pasus.\n"


def test_a_small_change_writes_a_small_file(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path), "CACHE_CONTENT": True, "REUSE_CACHE": True}
    whole, added = tmp_path / "test.pickle", tmp_path / "test.pickle.add"
    texts = [f"tekst {n}" for n in range(20)]
    memo = TextMemo(str.upper, settings, "test")
    [memo(text) for text in texts]
    memo.save()
    first = whole.stat().st_mtime_ns

    # One new text: only it is written, beside the whole.
    memo = TextMemo(str.upper, settings, "test")
    assert [memo(text) for text in texts + ["nov"]] == [t.upper() for t in texts + ["nov"]]
    memo.save()
    assert whole.stat().st_mtime_ns == first
    assert list(pickle.loads(added.read_bytes()).values()) == ["NOV"]

    # Nothing new and nothing dropped: nothing written.
    memo = TextMemo(lambda text: "not worked out again", settings, "test")
    assert memo("nov") == "NOV" and [memo(text) for text in texts][0] == "TEKST 0"
    before = added.stat().st_mtime_ns
    memo.save()
    assert added.stat().st_mtime_ns == before

    # Most texts gone: the whole is written again with what was used, the additions folded in.
    memo = TextMemo(str.upper, settings, "test")
    memo("nov"), memo("tekst 1")
    memo.save()
    assert not added.exists()
    assert sorted(pickle.loads(whole.read_bytes()).values()) == ["NOV", "TEKST 1"]
