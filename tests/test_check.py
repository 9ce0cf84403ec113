"""`invoke check` on the example site, and on copies of it with one thing broken."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEED_EN, SEED_SR, tools_missing, write_settings


def run_check(output):
    if tools_missing():
        pytest.skip(f"invoke check needs {', '.join(tools_missing())}")
    output = Path(output)
    settings = write_settings(output.parent, name=f"{output.name}-check.py",
                              CACHE_PATH=str(output.parent / f"{output.name}-check-cache"),
                              PATH=str(ROOT / "content"))
    result = subprocess.run([sys.executable, "-m", "invoke", "check", "--output", str(output),
                             "--settings", str(settings)],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    return result.returncode, result.stdout + result.stderr


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BREAKS = {  # a copy of the example site with all of these broken: one check finds each
    "broken link": (SEED_SR, 'href="/kategorija/politika/"', 'href="/kategorija/nema/"'),
    "missing alt text": (SEED_EN, ' alt="', ' data-alt="'),
    "invalid hreflang": (SEED_EN, 'hreflang="sr-Cyrl" href=', 'hreflang="sr-Cyrillic" href='),
    "page without lang": ("en/index.html", '<html lang="en">', "<html>"),
}


@pytest.fixture(scope="module")
def broken(site, tmp_path_factory):
    """The check of a copy of the example site with every one of BREAKS: (exit code, log)."""
    copy = tmp_path_factory.mktemp("broken") / "output"
    shutil.copytree(site, copy)
    for page, old, new in BREAKS.values():
        edit(copy / page, old, new)
    return run_check(copy)


@pytest.mark.browser
def test_the_example_site_passes(site):
    code, log = run_check(site)
    assert code == 0, log
    assert "0 problem(s)" in log and "12 in Chromium with axe" in log


@pytest.mark.browser
def test_a_broken_site_fails(broken):
    code, log = broken
    assert code == 1, log


@pytest.mark.browser
def test_a_broken_link_is_named(broken):
    assert f"{SEED_SR}: broken-link: /kategorija/nema/ leads nowhere" in broken[1]


@pytest.mark.browser
def test_a_missing_alt_text_is_named(broken):
    assert f"{SEED_EN}: image-alt:" in broken[1]
    assert f"{SEED_EN}: axe/image-alt:" in broken[1]


@pytest.mark.browser
def test_an_invalid_hreflang_is_named(broken):
    assert f"{SEED_EN}: hreflang: sr-Cyrillic alternate" in broken[1]
    assert "does not list the same alternates back (not reciprocal)" in broken[1]


@pytest.mark.browser
def test_a_page_without_lang_is_named(broken):
    assert "en/index.html: html-lang: the page has no lang attribute" in broken[1]
    assert "en/index.html: axe/html-has-lang:" in broken[1]


def test_the_browser_is_answered_with_files_of_the_folder_only(tmp_path):
    """The address → file rule the checks' Chromium is answered by, under a SITEURL with a path."""
    from newsdesk.check import Site

    folder = tmp_path / "public"
    (folder / "theme" / "css").mkdir(parents=True)
    (folder / "index.html").write_text("<html lang='sr-Latn'></html>", encoding="utf-8")
    (folder / "theme" / "css" / "site.css").write_text("body {}", encoding="utf-8")
    (tmp_path / "tajno.txt").write_text("lozinka", encoding="utf-8")
    (folder / "theme" / "css" / "curenje.css").symlink_to(tmp_path / "tajno.txt")
    site = Site(folder, "https://pregled.example.org/vesti/")

    def answer(url):
        target = site.resolve(url, "")
        return None if target is None else site.file(target)

    base = "https://pregled.example.org/vesti"
    assert answer(f"{base}/") == answer(base) == (folder / "index.html").resolve()
    assert answer(f"{base}/theme/css/site.css?v=2") == (folder / "theme/css/site.css").resolve()
    assert answer(f"{base}/nema/ovog.css") is None
    assert answer(f"{base}/theme/css/curenje.css") is None, "a link out of the folder"
    assert answer(f"{base}/%2e%2e/tajno.txt") is None
    assert site.resolve("https://pregled.example.org/drugo/", "") is None, "not the site's"
    assert site.resolve("https://cdn.example.com/font.woff2", "") is None
    assert site.url_of("en/index.html") == f"{base}/en/"
    # GitHub Pages under an owner with capitals: browsers ask for the host in lower case.
    pages = Site(folder, "https://Redakcija-Pregled.github.io/Vesti")
    assert pages.resolve("https://redakcija-pregled.github.io/Vesti/theme/css/site.css",
                         "") == "theme/css/site.css"
    assert pages.url_of("index.html") == "https://redakcija-pregled.github.io/Vesti/"
