"""Text memos: what a function made of a text, remembered between builds and worked out on
several processes."""

import os

from newsdesk.memo import TextMemo
from newsdesk.transliterate import html_to_script, to_cyrillic


def cyrillic(html):
    return html_to_script(html, to_cyrillic)


def test_texts_are_worked_out_by_other_processes_and_remembered(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path), "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True,
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
    fresh = TextMemo(convert, dict(settings, LOAD_CONTENT_CACHE=False), "test")
    fresh(texts[3])
    assert len(calls) == 7, "not loaded when the content cache is dropped"
