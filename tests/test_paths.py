"""The write gate: a build writes inside its output, its cache and the translation memory only,
whatever links the content or a folder on the way holds."""

import os

import pytest

from newsdesk.pagecache import PageCache
from newsdesk.paths import PathRefused, WriteGate, writable


@pytest.fixture
def site(tmp_path):
    for folder in ("content/translations", "output", "cache", "elsewhere"):
        (tmp_path / folder).mkdir(parents=True)
    return tmp_path, {"PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(tmp_path / "output"),
                      "CACHE_PATH": str(tmp_path / "cache")}


def test_the_output_the_cache_and_the_memory_are_writable(site):
    root, settings = site
    gate = WriteGate(settings)
    for path in ("output/2026/vest/index.html", "cache/templates/x.py",
                 "content/translations/en/vest.po"):
        assert gate(root / path) == root / path
        assert writable(settings, root / path) == root / path


@pytest.mark.parametrize("path", [
    "output/../elsewhere/index.html",  # up and out
    "content/articles/vest.sr.md",  # the content itself
    "output-other/index.html",  # a folder whose name begins like the output's
])
def test_a_path_outside_them_is_refused(site, path):
    root, settings = site
    with pytest.raises(PathRefused, match="refusing to write"):
        WriteGate(settings)(root / path)


def test_a_link_inside_the_output_that_leads_out_is_refused(site):
    root, settings = site
    os.symlink(root / "elsewhere", root / "output" / "2026")
    with pytest.raises(PathRefused):
        WriteGate(settings)(root / "output" / "2026" / "vest" / "index.html")


def test_a_memory_folder_linked_out_of_the_content_is_not_writable(site):
    root, settings = site
    os.rmdir(root / "content" / "translations")
    os.symlink(root / "elsewhere", root / "content" / "translations")
    with pytest.raises(PathRefused):
        WriteGate(settings)(root / "content" / "translations" / "en" / "vest.po")


def test_the_page_cache_writes_no_page_whose_address_leads_out(site):
    root, settings = site
    rendered = []
    with PageCache(settings) as cache, pytest.raises(PathRefused):
        cache.write(settings["OUTPUT_PATH"], "../elsewhere/index.html", None,
                    lambda: rendered.append(True))
    assert not rendered


def test_translate_finds_the_articles_the_build_reads_through_linked_folders(site, caplog):
    """`invoke translate` lists articles as the build does: through a link to another folder
    of the content, never through one out of it or to a folder it is in (one error each)."""
    from newsdesk.sources import find_sources

    root, _ = site
    content = root / "content"
    (content / "articles" / "2026").mkdir(parents=True)
    (content / "dodaci").mkdir()
    article = "Title: {title}\nDate: 3.4.2026.\nCategory: Politika\n\nTekst.\n"
    (content / "articles" / "2026" / "izbori.sr.md").write_text(
        article.format(title="Izbori"), encoding="utf-8")
    (content / "dodaci" / "poplave.sr.md").write_text(
        article.format(title="Поплаве у Лозници"), encoding="utf-8")
    (root / "elsewhere" / "tudje.sr.md").write_text(article.format(title="Tuđe"), "utf-8")
    (content / "articles" / "dodatak").symlink_to("../dodaci", target_is_directory=True)
    (content / "articles" / "2026" / "petlja").symlink_to("..", target_is_directory=True)
    (content / "articles" / "spolja").symlink_to(root / "elsewhere", target_is_directory=True)
    with caplog.at_level("ERROR"):
        found = find_sources(content, ["articles"])
    assert sorted(found) == ["izbori", "poplave"]
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 2, errors
    assert any("articles/2026/petlja: a link to a folder it is in" in e for e in errors)
    assert any("articles/spolja: a link to a folder outside the content" in e for e in errors)
