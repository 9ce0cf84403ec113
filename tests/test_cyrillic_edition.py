"""The Cyrillic edition: every Serbian article and page in both scripts."""

import re

import feedparser
import pytest

from newsdesk.transliterate import cyrillic_order

from .conftest import SEED_SR, copy_content, read_html, run_build

pytestmark = pytest.mark.build

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN_LETTERS = re.compile(r"[A-Za-zČčĆćĐđŠšŽž]{3,}")


def test_every_serbian_article_has_a_cyrillic_page_at_the_same_slug(site):
    latin = sorted(p.parent.name for p in (site / "2024").glob("*/index.html"))
    cyrillic = sorted(p.parent.name for p in (site / "sr-cyrl/2024").glob("*/index.html"))
    assert latin == cyrillic and len(latin) == 8


def test_cyrillic_article_reads_in_cyrillic(site):
    html = read_html(site / "sr-cyrl" / SEED_SR)
    assert html.html["lang"] == "sr-Cyrl"
    assert html.h1.text.startswith("Србија и Русија обећале дубљу сарадњу")
    assert html.select_one(".content-type-label").text.strip() == "Вест"
    assert html.select_one(".dateline time").text == "9. фебруар 2024."
    assert html.select_one(".kicker a").text == "Политика"
    assert html.select_one(".kicker a")["href"] == "/sr-cyrl/kategorija/politika/"
    assert [a.text for a in html.select(".tags a")] == ["Русија", "Србија", "Косово", "одбрана"]
    assert [a["href"] for a in html.select(".tags a")][0] == "/sr-cyrl/tema/rusija/"
    assert html.select_one(".byline a").text == "Милена Антонијевић"
    assert html.select_one(".byline .source").text == "Euractiv.rs"
    caption = html.select_one(".lead-figure figcaption")
    assert caption.text.startswith("„Поновио сам захвалност Русији")
    assert caption.select_one(".credit").text == "EPA-EFE/KOCA SULEJMANOVIC"
    assert html.select_one(".lead-figure img")["alt"].startswith("„Поновио сам")
    assert html.select_one(".related h2").text == "Прочитајте још"
    assert html.select_one(".newsletter label").text == "Адреса е-поште"
    body = html.select_one(".story-body").text
    assert not LATIN_LETTERS.search(body.replace("Instagram", "").replace("Facebook", "")), body


def test_cyrillic_listings_feeds_and_interface(site):
    home = read_html(site / "sr-cyrl/index.html")
    assert home.html["lang"] == "sr-Cyrl" and home.select_one(".brand").text == "Преглед"
    assert home.select_one("#latest-title").text == "Најновије вести"
    assert read_html(site / "sr-cyrl/kategorija/ekonomija/index.html").select_one(
        ".listing-count").text.strip() == "3 чланка"
    assert read_html(site / "sr-cyrl/arhiva/2024/02/index.html").h1.text.strip() == \
        "фебруар 2024."
    feed = feedparser.parse((site / "sr-cyrl/feeds/all.atom.xml").read_bytes())
    assert not feed.bozo and feed.feed.language == "sr-Cyrl" and feed.feed.title == "Преглед"
    assert all("/sr-cyrl/" in e.link and CYRILLIC.search(e.title) for e in feed.entries)
    assert read_html(site / "sr-cyrl/404.html").h1.text == "Страница није пронађена"


def test_cyrillic_indexes_are_in_serbian_cyrillic_alphabetical_order(site):
    """а б в г д ђ е ж з и ј …: Здравље and животна средина are not after Србија, as their
    Latin slugs would put them."""
    for page, first, last in (("teme", "животна средина", "Србија"),
                              ("kategorije", "Економија", "Политика")):
        names = [a.text.strip() for a in read_html(site / f"sr-cyrl/{page}/index.html").main
                 .select("a")]
        assert names == sorted(names, key=cyrillic_order) and names[-1] == last, names
        assert names.index(first) < names.index(last), names
    assert [a.text.strip() for a in read_html(site / "sr-cyrl/kategorije/index.html").main
            .select("a")] == ["Економија", "Енергетика", "Здравље", "Култура", "Политика"]


def test_script_switcher_and_hreflang(site):
    html = read_html(site / "sr-cyrl" / SEED_SR)
    scripts = html.select("nav.scripts li")
    assert [li.text.strip() for li in scripts] == ["Latinica", "Ћирилица"]
    assert scripts[0].a["href"] == "/" + SEED_SR.removesuffix("index.html")
    assert scripts[0].a["hreflang"] == "sr-Latn" and scripts[1].span["aria-current"] == "page"
    alternates = {link["hreflang"]: link["href"] for link in
                  html.select("link[rel=alternate][hreflang]")}
    origin = "http://127.0.0.1:8000"
    assert alternates == {
        "sr-Cyrl": f"{origin}/sr-cyrl/2024/srbija-i-rusija-obecale-dublju-saradnju/",
        "sr-Latn": f"{origin}/2024/srbija-i-rusija-obecale-dublju-saradnju/",
        "en": f"{origin}/en/2024/serbia-russia-pledge-deeper-cooperation/",
        "x-default": f"{origin}/2024/srbija-i-rusija-obecale-dublju-saradnju/",
    }
    latin = read_html(site / SEED_SR)
    assert latin.select_one("nav.scripts a")["href"] == \
        "/sr-cyrl/2024/srbija-i-rusija-obecale-dublju-saradnju/"
    english = read_html(site / "en/2024/serbia-russia-pledge-deeper-cooperation/index.html")
    assert not english.select("nav.scripts")
    assert {a["hreflang"]: a.text for a in english.select("nav.editions a")} == {
        "sr-Latn": "Srpski", "sr-Cyrl": "Српски"}


def test_an_article_written_in_cyrillic_gets_a_latin_edition(tmp_path):
    content = copy_content(tmp_path, complete=True)
    (content / "articles" / "pismo.sr-cyrl.md").write_text(
        "Title: Ћирилица у школама\nDate: 2024-02-01 10:00\nAuthor: Марко Његош\n"
        "Category: Култура\nTags: образовање\nSummary: Љубав према писму почиње рано.\n\n"
        "ЉУБАВ према ћирилици и Џеп-књиге.\n", encoding="utf-8")
    result = run_build(content, tmp_path / "out")
    assert "0 error(s), 0 warning(s)" in result.stdout, result.stdout + result.stderr
    latin = read_html(tmp_path / "out/2024/pismo/index.html")
    assert latin.h1.text == "Ćirilica u školama"
    assert latin.select_one(".story-body").text.strip() == "LJUBAV prema ćirilici i Džep-knjige."
    assert latin.select_one(".byline a").text == "Marko Njegoš"
    assert latin.select_one(".byline a")["href"] == "/autor/marko-njegos/"
    cyrillic = read_html(tmp_path / "out/sr-cyrl/2024/pismo/index.html")
    assert cyrillic.h1.text == "Ћирилица у школама"
    assert cyrillic.select_one(".byline a")["href"] == "/sr-cyrl/autor/marko-njegos/"
    assert cyrillic.select_one(".kicker a")["href"] == latin.select_one(".kicker a")[
        "href"].replace("/kategorija/", "/sr-cyrl/kategorija/")
