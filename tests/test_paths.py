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
