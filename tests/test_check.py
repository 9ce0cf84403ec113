"""`invoke check` on the example site, and on copies of it with one thing broken."""

import os
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT
from .test_example_site import SEED_EN, SEED_SR


def tools_missing():
    missing = [t for t in ("java", "npm") if not shutil.which(t)]
    if not os.path.exists("/usr/bin/chromium"):
        missing.append("chromium")
    return missing


def run_check(output):
    if tools_missing():
        pytest.skip(f"invoke check needs {', '.join(tools_missing())}")
    result = subprocess.run([sys.executable, "-m", "invoke", "check", "--output", str(output)],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def broken(site, tmp_path):
    """A copy of the example site to break."""
    copy = tmp_path / "output"
    shutil.copytree(site, copy)
    return copy


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_example_site_passes(site):
    code, log = run_check(site)
    assert code == 0, log
    assert "0 problem(s)" in log and "12 in Chromium with axe" in log


def test_a_broken_link_fails(broken):
    edit(broken / SEED_SR, 'href="/kategorija/politika/"', 'href="/kategorija/nema/"')
    code, log = run_check(broken)
    assert code == 1
    assert f"{SEED_SR}: broken-link: /kategorija/nema/ leads nowhere" in log


def test_a_missing_alt_text_fails(broken):
    edit(broken / SEED_EN, ' alt="', ' data-alt="')
    code, log = run_check(broken)
    assert code == 1
    assert f"{SEED_EN}: image-alt:" in log
    assert f"{SEED_EN}: axe/image-alt:" in log


def test_an_invalid_hreflang_fails(broken):
    edit(broken / SEED_EN, 'hreflang="sr-Cyrl" href=', 'hreflang="sr-Cyrillic" href=')
    code, log = run_check(broken)
    assert code == 1
    assert f"{SEED_EN}: hreflang: sr-Cyrillic alternate" in log
    assert "does not list the same alternates back (not reciprocal)" in log


def test_a_page_without_lang_fails(broken):
    edit(broken / "en/index.html", '<html lang="en">', "<html>")
    code, log = run_check(broken)
    assert code == 1
    assert "en/index.html: html-lang: the page has no lang attribute" in log
    assert "en/index.html: axe/html-has-lang:" in log
