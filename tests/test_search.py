"""Search in headless Chromium: each edition finds its own articles, inflected forms included."""

import json
import subprocess
from pathlib import Path

import pagefind_bin
import pytest

from newsdesk.plugins.search import page_ids

from .browser import chromium, serve
from .conftest import copy_content, run_build, write_settings

pytestmark = pytest.mark.build

CASES = [
    # (search page, query, expected article, prefix every result must have)
    ("pretraga/", "budžetu", "/2024/srbija-i-rusija-obecale-dublju-saradnju/", "/2024/"),
    ("sr-cyrl/pretraga/", "буџету", "/sr-cyrl/2024/srbija-i-rusija-obecale-dublju-saradnju/",
     "/sr-cyrl/"),
    ("en/search/", "drone", "/en/2024/serbia-russia-pledge-deeper-cooperation/", "/en/"),
]


@pytest.mark.browser
@pytest.mark.parametrize("page,query,expected,prefix", CASES)
def test_search_finds_the_article_in_its_own_edition(site, page, query, expected, prefix):
    with serve(site) as base, chromium() as browser:
        tab = browser.new_page()
        tab.goto(f"{base}/{page}")
        tab.fill("#search-query", query)
        tab.press("#search-query", "Enter")
        tab.wait_for_selector("#search-results li a", timeout=15000)
        links = tab.eval_on_selector_all("#search-results li a",
                                         "links => links.map(a => a.getAttribute('href'))")
        status = tab.text_content("#search-status")
    assert expected in links, links
    assert all(link.startswith(prefix) for link in links), links
    if prefix == "/2024/":
        assert not any(link.startswith(("/en/", "/sr-cyrl/")) for link in links)
    assert query in status


@pytest.mark.browser
def test_header_search_box_leads_to_the_search_page_without_javascript(site):
    with serve(site) as base, chromium() as browser:
        context = browser.new_context(java_script_enabled=False)
        tab = context.new_page()
        tab.goto(f"{base}/en/")
        tab.fill("#site-search", "drone")
        tab.press("#site-search", "Enter")
        tab.wait_for_load_state()
        assert tab.url.startswith(f"{base}/en/search/?q=drone")
        assert "needs JavaScript" in tab.text_content("noscript")
        assert tab.text_content("h1") == "Search"


def shard_pages(bundle):
    """The URLs of the pages in one Pagefind bundle."""
    return set(page_ids(bundle))


def test_only_article_bodies_are_indexed(site):
    for prefix, lang in (("", "sr-latn"), ("sr-cyrl/", "sr-cyrl"), ("en/", "en")):
        root = site / f"{prefix}pagefind"
        bundles = json.loads((root / "shards.json").read_text())["bundles"]
        assert len(bundles) > 1, "the index comes in shards"
        indexed = set()
        for bundle in bundles:
            index = root / bundle
            assert (index / "pagefind.js").is_file()
            assert [p.name.split("_")[0] for p in index.glob("pagefind.*.pf_meta")] == [
                f"pagefind.{lang}"], "the edition's own pages only"
            pages = shard_pages(index)
            assert not indexed & pages, "each page in one shard"
            indexed |= pages
        bodies = {"/" + p.parent.relative_to(site).as_posix() + "/"
                  for p in site.glob(f"{prefix}20[0-9][0-9]/*/index.html")
                  if "data-pagefind-body" in p.read_text(encoding="utf-8")}
        assert indexed == bodies, "every article page with a body, and nothing else"


def test_pages_waiting_for_translation_are_not_indexed(pending_site):
    article = (pending_site / "en/2024/citaonice-nocu/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in article
    bundles = json.loads((pending_site / "en/pagefind/shards.json").read_text())["bundles"]
    indexed = set().union(*(shard_pages(pending_site / "en/pagefind" / b) for b in bundles))
    assert "/en/2024/citaonice-nocu/" not in indexed
    assert "/en/2024/eu-growth-plan-western-balkans-explainer/" in indexed


@pytest.mark.browser
def test_one_search_finds_articles_of_every_shard(site):
    bundles = json.loads((site / "en/pagefind/shards.json").read_text())["bundles"]
    shard_of = {url: bundle for bundle in bundles
                for url in shard_pages(site / "en/pagefind" / bundle)}
    with serve(site) as base, chromium() as browser:
        tab = browser.new_page()
        tab.goto(f"{base}/en/search/?q=the")
        tab.wait_for_selector("#search-results li a", timeout=15000)
        links = tab.eval_on_selector_all("#search-results li a",
                                         "links => links.map(a => a.getAttribute('href'))")
    assert set(links) == set(shard_of), "every English article has 'the'"
    assert len({shard_of[link] for link in links}) == len(bundles) > 1


def test_shards_index_as_from_the_output_folder(site, tmp_path):
    """Pagefind indexes each shard from a folder of links to its pages; the bundles are the same
    as Pagefind makes from the output folder itself."""
    for prefix in ("", "sr-cyrl/", "en/"):
        root = site / f"{prefix}pagefind"
        bundles = json.loads((root / "shards.json").read_text())["bundles"]
        bundle = max((root / b for b in bundles), key=lambda b: len(shard_pages(b)))
        pages = sorted(url.strip("/") + "/index.html" for url in shard_pages(bundle))
        assert pages
        (tmp_path / "pagefind.json").write_text(json.dumps({
            "site": str(site), "output_path": str(tmp_path / "whole"), "quiet": True,
            "glob": "{" + ",".join(pages) + "}"}))
        subprocess.run([str(pagefind_bin.get_executable())], cwd=tmp_path, check=True)
        whole = {p.relative_to(tmp_path / "whole"): p.read_bytes()
                 for p in (tmp_path / "whole").rglob("*") if p.is_file()}
        ours = {p.relative_to(bundle): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
        entry = Path("pagefind-entry.json")
        assert json.loads(whole.pop(entry)) == json.loads(ours.pop(entry))
        assert whole == ours, prefix
        subprocess.run(["rm", "-rf", str(tmp_path / "whole")], check=True)


def search_links(tab, base, page, query):
    tab.goto(f"{base}/{page}?q={query}")
    tab.wait_for_function("document.getElementById('search-status').textContent !== ''",
                          timeout=15000)
    return tab.eval_on_selector_all("#search-results li a",
                                    "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.browser
@pytest.mark.parametrize("recent_max", [100, 0])
def test_after_an_edit_search_finds_the_new_text_only(tmp_path, recent_max):
    """An edited article is indexed in the recent bundle, and its old version, still in its
    shard, is left out of the results; with SEARCH_RECENT_MAX 0 its shard is indexed again."""
    content = copy_content(tmp_path)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"),
                              SEARCH_RECENT_MAX=recent_max)
    output = tmp_path / "out"
    for _ in range(2):
        result = run_build(content, output, settings=settings)
        assert result.returncode == 0, result.stdout + result.stderr
        source = content / "articles/2024/beogradski-metro-tunel.sr.md"
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("do Mirijeva", "do Karaburme"), encoding="utf-8")
    bundles = json.loads((output / "pagefind/shards.json").read_text())["bundles"]
    assert ("recent/" in bundles) == bool(recent_max)
    metro = "/2024/beogradski-metro-tunel/"
    with serve(output) as base, chromium() as browser:
        tab = browser.new_page()
        assert search_links(tab, base, "pretraga/", "Karaburme") == [metro]
        assert search_links(tab, base, "pretraga/", "Mirijeva") == [], "the old version is gone"
        assert search_links(tab, base, "pretraga/", "bušenje").count(metro) == 1
        assert search_links(tab, base, "sr-cyrl/pretraga/", "Карабурме") == [f"/sr-cyrl{metro}"]
        assert search_links(tab, base, "sr-cyrl/pretraga/", "Миријева") == []
