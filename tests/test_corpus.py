"""The benchmark corpus builds unchanged, every article in its edition."""

import os
import re
import subprocess
import sys

import feedparser
import pytest

from .conftest import CORPUS_SCRIPT, ROOT, read_html, write_settings

pytestmark = pytest.mark.build

ARTICLES = 130


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    if not CORPUS_SCRIPT.is_file():
        pytest.skip(f"corpus generator not found at {CORPUS_SCRIPT}")
    base = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(CORPUS_SCRIPT), "--articles", str(ARTICLES),
                    "--images", "4", "--image-size", "64x36", "--out", str(base / "content")],
                   check=True, capture_output=True)
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "build", "--content", str(base / "content"),
         "--output", str(base / "out"), "--settings", str(write_settings(base))],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "MT_PROVIDER": "none"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stdout, result.stdout + result.stderr
    return base


def test_every_article_is_built_in_its_edition(corpus_site):
    sources = sorted((corpus_site / "content" / "articles").glob("*.md"))
    english = [p for p in sources if p.name.endswith(".en.md")]
    out = corpus_site / "out"
    assert len(list(out.glob("2024/vest-*/index.html"))) == ARTICLES
    # every article has an English page; those without a human translation wait for one
    assert len(list(out.glob("en/2024/vest-*/index.html"))) == ARTICLES
    feed = feedparser.parse((out / "en/feeds/all.atom.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == len(english)


def serbian_plural(n):
    if n % 10 == 1 and n % 100 != 11:
        return "članak"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "članka"
    return "članaka"


def test_serbian_counts_use_the_right_plural_form(corpus_site):
    seen = set()
    out = corpus_site / "out"
    for page in [*out.glob("tema/*/index.html"), *out.glob("kategorija/*/index.html"),
                 out / "arhiva/index.html", out / "teme/index.html", out / "autori/index.html"]:
        html = read_html(page)
        for node in html.select(".listing-count, .count"):
            number, word = re.fullmatch(r"(\d+) (\w+)", node.text.strip()).groups()
            assert word == serbian_plural(int(number)), (page, node.text)
            seen.add(word)
    assert seen == {"članak", "članka", "članaka"}
