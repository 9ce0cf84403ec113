"""Articles kept whole between builds (plugins/newsmeta/kept.py)."""

import io
import pickle
import sqlite3

import pytest

from newsdesk import buildstate
from newsdesk.plugins.newsmeta.kept import _Pickler, _Unpickler

from .conftest import copy_content, read_html, run_build, write_settings

pytestmark = pytest.mark.build

ARTICLE = "2024/beogradski-metro-tunel/index.html"
SOURCE = "articles/2024/beogradski-metro-tunel.sr.md"
OTHER = "articles/2024/festival-nauke-novi-sad.sr.md"


def setup(tmp_path):
    content = copy_content(tmp_path, complete=True)
    cache = tmp_path / "cache"
    return content, cache, write_settings(tmp_path, CACHE_PATH=str(cache)), tmp_path / "out"


def touch_other(content):
    """Change another article, so that the next build is not a "nothing changed" one."""
    path = content / OTHER
    path.write_text(path.read_text(encoding="utf-8") + "\nJoš jedna rečenica.\n", "utf-8")


def kept(cache):
    """{path: entry} of the kept articles in the build state."""
    with sqlite3.connect(cache / buildstate.FILE) as db:
        return {key[1:].decode(): pickle.loads(value) for key, value in db.execute(
            "SELECT key, value FROM memo WHERE name='articles'")}


def test_an_unchanged_article_comes_from_the_kept_copy(tmp_path):
    content, cache, settings, output = setup(tmp_path)
    assert run_build(content, output, settings=settings).returncode == 0

    # Alter the kept copy: the next build shows what is kept, not what the file says.
    entries = kept(cache)
    stamp, used, blob = entries[SOURCE]
    shared = {"settings": {}, "context": {}, "reader-settings": {}}
    article = _Unpickler(io.BytesIO(blob), shared).load()
    article.title = "Naslov iz zadržane kopije"
    buffer = io.BytesIO()
    _Pickler(buffer, shared).dump(article)
    with buildstate.Store(cache).transaction() as writes:
        writes.put_memo("articles", {SOURCE: (stamp, used, buffer.getvalue())})

    touch_other(content)
    result = run_build(content, output, settings=settings)
    assert result.returncode == 0, result.stdout + result.stderr
    assert read_html(output / ARTICLE).h1.get_text(strip=True) == "Naslov iz zadržane kopije"

    # Once the file changes, it is read again.
    source = content / SOURCE
    source.write_text(source.read_text(encoding="utf-8") + "\nDodata rečenica.\n", "utf-8")
    result = run_build(content, output, settings=settings)
    page = read_html(output / ARTICLE)
    assert page.h1.get_text(strip=True) == "Beogradski metro: počelo bušenje prvog tunela"
    assert "Dodata rečenica." in page.get_text()


def test_an_article_with_a_problem_is_reported_by_every_build(tmp_path):
    content, cache, settings, output = setup(tmp_path)
    (content / "articles" / "bez-autora.sr.md").write_text(
        "Title: Bez autora\nDate: 2024-03-01\nCategory: Ekonomija\n\nTekst.\n", "utf-8")
    first = run_build(content, output, settings=settings)
    assert "bez-autora.sr.md: no Author" in first.stderr
    touch_other(content)
    again = run_build(content, output, settings=settings)
    assert "bez-autora.sr.md: no Author" in again.stderr
    assert "articles/bez-autora.sr.md" not in kept(cache)
    assert SOURCE in kept(cache)


def test_a_kept_article_is_checked_again_when_a_file_it_links_to_goes(tmp_path):
    content, cache, settings, output = setup(tmp_path)
    (content / "images" / "napomene.txt").write_text("Napomene.\n", "utf-8")
    source = content / SOURCE
    source.write_text(source.read_text(encoding="utf-8")
                      + "\n[Napomene]({static}/images/napomene.txt)\n", "utf-8")
    first = run_build(content, output, settings=settings)
    assert first.returncode == 0 and "napomene" not in first.stderr, first.stderr

    # A text file is not part of the content cache's key: only the kept article's own
    # record of what it links to tells that this one is gone.
    (content / "images" / "napomene.txt").unlink()
    again = run_build(content, output, settings=settings)
    assert "linked file '/images/napomene.txt' not found" in again.stderr, again.stderr


def test_an_article_waiting_for_its_date_is_not_kept(tmp_path):
    content, cache, settings, output = setup(tmp_path)
    (content / "articles" / "sutra.sr.md").write_text(
        "Title: Sutra\nDate: 2999-01-01\nAuthor: Nikola Đorđević\nCategory: Ekonomija\n\n"
        "Tekst.\n", "utf-8")
    result = run_build(content, output, settings=settings)
    assert result.returncode == 0, result.stderr
    assert "articles/sutra.sr.md" not in kept(cache)
    assert SOURCE in kept(cache)


def test_articles_read_on_other_processes_share_the_settings(tmp_path):
    content = copy_content(tmp_path, complete=True)
    cache = tmp_path / "cache"
    settings = write_settings(tmp_path, CACHE_PATH=str(cache), PREFETCH_MIN=1, READ_WORKERS=2)
    result = run_build(content, tmp_path / "out", "--verbose", settings=settings)
    assert "article file(s) read on 2 processes" in result.stderr, result.stderr

    # Each kept article names the build's settings instead of carrying a copy of them.
    shared = {"settings": {}, "context": {}, "reader-settings": {}}
    for _, _, blob in kept(cache).values():
        article = _Unpickler(io.BytesIO(blob), shared).load()
        for wrapper in [article.category, *article.authors, *getattr(article, "tags", [])]:
            assert any(wrapper.settings is value for value in shared.values()), wrapper
