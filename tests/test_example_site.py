"""The example site, built for real, checked on its HTML and feeds."""

import re
import socket

import feedparser
import pytest

from .conftest import (
    ROOT,
    SEED_EN,
    SEED_SR,
    article_pages,
    copy_content,
    read_html,
    run_build,
    write_settings,
)

pytestmark = pytest.mark.build

EDITIONS = {"sr-Latn": "", "en": "en/"}
LISTINGS = {
    "sr-Latn": ["index.html", "kategorija/politika/index.html",
                "tema/srbija/index.html", "autor/milena-antonijevic/index.html",
                "arhiva/index.html", "arhiva/2024/02/index.html", "kategorije/index.html",
                "teme/index.html", "autori/index.html", "404.html"],
    "en": ["en/index.html", "en/category/politics/index.html",
           "en/tag/serbia/index.html", "en/author/milena-antonijevic/index.html",
           "en/archives/index.html", "en/archives/2024/02/index.html",
           "en/categories/index.html", "en/tags/index.html", "en/authors/index.html",
           "en/404.html"],
}


def test_builds_without_warnings(example_site):
    _, result = example_site
    assert "0 error(s), 0 warning(s)" in result.stdout, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr, result.stderr


@pytest.mark.parametrize("provider", ["none", "google, unreachable"])
def test_strict_build_passes_from_the_memory_alone(tmp_path, provider):
    """Every translation the example needs is in its memory: no provider is needed, and the
    build changes nothing in the memory."""
    content = copy_content(tmp_path)
    with socket.socket() as closed:  # bound, never listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        env = {"MT_PROVIDER": "none"} if provider == "none" else {
            "MT_PROVIDER": "google", "MT_URL": f"http://127.0.0.1:{closed.getsockname()[1]}/"}
        result = run_build(content, tmp_path / "out", "--strict", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stdout
    memory = ROOT / "content" / "translations"
    for path in memory.rglob("*"):
        if path.is_file():
            copy = content / "translations" / path.relative_to(memory)
            assert copy.read_bytes() == path.read_bytes(), path.name


def test_strict_build_fails_while_translations_are_pending(tmp_path):
    content = copy_content(tmp_path, complete=False)
    result = run_build(content, tmp_path / "out", "--strict")
    assert result.returncode == 1, result.stdout + result.stderr
    log = result.stdout + result.stderr
    pending = [line for line in log.splitlines() if "pending, shown in the original" in line]
    assert len(pending) == 2, log  # one line per file, naming it
    assert any(line.startswith("ERROR: ") and "citaonice-nocu.sr.md: translation to en pending"
               in line for line in pending), pending


def test_a_strict_build_after_a_preview_of_the_same_content_is_not_skipped(tmp_path):
    content = copy_content(tmp_path, complete=False)
    preview = run_build(content, tmp_path / "out")
    assert preview.returncode == 0 and "0 error(s), 0 warning(s)" in preview.stdout
    strict = run_build(content, tmp_path / "out", "--strict")
    assert strict.returncode == 1 and "Nothing changed" not in strict.stdout
    assert "pending, shown in the original language" in strict.stderr


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_listing_page_type_exists_in_its_language(site, edition):
    prefix = EDITIONS[edition]
    for page in LISTINGS[edition]:
        html = read_html(site / page)
        assert html.html["lang"] == edition, page
        # every article linked from a listing belongs to the same edition
        for link in html.select(".teaser-title a, .archive-list a, .term-list a"):
            href = link["href"].lstrip("/")
            if prefix:
                assert href.startswith(prefix), (page, href)
            else:
                assert not href.startswith("en/"), (page, href)


def test_article_pages_carry_their_language(site):
    assert read_html(site / SEED_SR).html["lang"] == "sr-Latn"
    assert read_html(site / SEED_EN).html["lang"] == "en"
    sr_pages = [p for p in (site / "2024").glob("*/index.html")]
    en_pages = [p for p in (site / "en" / "2024").glob("*/index.html")]
    assert len(sr_pages) == 8 and len(en_pages) == 8  # every article in every edition


def switcher(html):
    return {a["hreflang"]: a for a in html.select("nav.editions a")}


def test_switcher_leads_to_the_same_article_in_the_other_language(site):
    sr = read_html(site / SEED_SR)
    link = switcher(sr)["en"]
    assert link["lang"] == "en" and link.get_text(strip=True) == "English"
    target = read_html(site / (link["href"].lstrip("/") + "index.html"))
    assert target.h1.get_text(strip=True).startswith("Serbia and Russia pledge")
    back = switcher(target)["sr-Latn"]
    assert back["lang"] == "sr-Latn" and back.get_text(strip=True) == "Srpski"
    assert back["href"] == "/" + SEED_SR.removesuffix("index.html")


def test_switcher_on_listings_leads_to_the_same_listing(site):
    assert switcher(read_html(site / "kategorija/zdravlje/index.html"))["en"]["href"] == \
        "/en/category/health/"
    assert switcher(read_html(site / "en/tag/healthcare/index.html"))["sr-Latn"]["href"] == \
        "/tema/zdravstvo/"
    assert switcher(read_html(site / "en/author/nikola-djordjevic/index.html"))["sr-Latn"][
        "href"] == "/autor/nikola-djordjevic/"
    assert switcher(read_html(site / "arhiva/2024/01/index.html"))["en"]["href"] == \
        "/en/archives/2024/01/"


def test_article_awaiting_translation_is_shown_in_the_original_with_a_notice(pending_site):
    site = pending_site
    sr = read_html(site / "2024/citaonice-nocu/index.html")
    assert switcher(sr)["en"]["href"] == "/en/2024/citaonice-nocu/"
    assert not sr.select('link[rel=alternate][hreflang="en"]'), "no hreflang to a pending page"
    en = read_html(site / "en/2024/citaonice-nocu/index.html")
    notice = en.select_one(".notice-pending")
    assert notice.strong.text == "Translation pending"
    assert notice.a["href"] == "/2024/citaonice-nocu/" and notice.a["hreflang"] == "sr-Latn"
    assert en.h1["lang"] == "sr-Latn" and en.h1.text == "Neka čitaonice rade do ponoći"
    assert not en.select("link[rel=alternate][hreflang]")
    feed = (site / "en/feeds/all.atom.xml").read_text(encoding="utf-8")
    assert "citaonice-nocu" not in feed
    listed = [a["href"] for a in read_html(site / "en/index.html").select(".teaser-title a")]
    assert "/en/2024/citaonice-nocu/" not in listed
    sr_notice = read_html(site / "2024/eu-growth-plan-explainer/index.html").select_one(
        ".notice-pending strong")
    assert sr_notice.text == "Prevod u pripremi"


def test_dates_are_formatted_by_babel_for_each_edition(site):
    assert "9. februar 2024." in read_html(site / SEED_SR).select_one(".dateline").text
    assert "9 February 2024" in read_html(site / SEED_EN).select_one(".dateline").text
    assert read_html(site / SEED_SR).select_one(".dateline time")["datetime"] == \
        "2024-02-09T14:20:00+01:00"
    assert read_html(site / "arhiva/2024/02/index.html").h1.text.strip() == "februar 2024."
    assert read_html(site / "en/archives/2024/02/index.html").h1.text.strip() == "February 2024"


def test_serbian_plural_forms_in_listings(site):
    counts = {p: read_html(site / p).select_one(".listing-count").text.strip()
              for p in ("kategorija/politika/index.html", "kategorija/ekonomija/index.html",
                        "tema/srbija/index.html")}
    assert counts == {"kategorija/politika/index.html": "1 članak",
                      "kategorija/ekonomija/index.html": "3 članka",
                      "tema/srbija/index.html": "5 članaka"}
    assert read_html(site / "en/category/politics/index.html").select_one(
        ".listing-count").text.strip() == "1 article"
    assert read_html(site / "en/category/economy/index.html").select_one(
        ".listing-count").text.strip() == "3 articles"


def test_article_page_has_the_news_furniture(site):
    html = read_html(site / SEED_SR)
    assert html.select_one(".content-type-label").text.strip() == "Vest"
    assert html.select_one(".content-type-definition").text.strip().startswith(
        "Zasnovano na činjenicama")
    assert html.h1.text.startswith("Srbija i Rusija obećale dublju saradnju")
    assert html.select_one(".standfirst").text.startswith("Srbija i Rusija dodatno")
    assert re.sub(r"\s+", " ", html.select_one(".byline").text).strip() == \
        "Milena Antonijević | Euractiv.rs"
    figure = html.select_one("figure.lead-figure")
    assert re.fullmatch(r"/images/_r/[0-9a-f]{20}-1200\.jpg", figure.img["src"])
    assert figure.img["width"] == "2000" and figure.img["height"] == "1125"
    credit = figure.select_one("figcaption .credit")
    assert credit.text == "EPA-EFE/KOCA SULEJMANOVIC"
    assert "[" not in figure.figcaption.text.replace(credit.text, "")
    assert [a.text for a in html.select(".tags a")] == ["Rusija", "Srbija", "Kosovo", "odbrana"]
    related = [a["href"] for a in html.select(".related a")]
    assert related and all(not href.startswith("/en/") for href in related)
    assert html.select_one(".related h2").text == "Pročitajte još"
    form = html.select_one(".newsletter form")
    assert form["action"] == "https://lists.example.org/subscribe/pregled"
    assert html.select_one(".newsletter label").text == "Adresa e-pošte"


def test_machine_translation_label_shows_until_every_segment_is_reviewed(site):
    """The explainer's Serbian keeps an unreviewed machine translation (a fuzzy entry of its
    memory): labelled in both scripts, built without a network. The reading-room piece's
    English is reviewed, and human translations are no machine's: neither is labelled."""
    machine = {"2024/eu-growth-plan-explainer/index.html": "Mašinski prevod",
               "sr-cyrl/2024/eu-growth-plan-explainer/index.html": "Машински превод"}
    for page, label in machine.items():
        html = read_html(site / page)
        assert html.select_one(".notice-mt strong").text == label, page
        assert html.select_one(".notice-mt a")["href"] == \
            "/en/2024/eu-growth-plan-western-balkans-explainer/"
        assert not html.select(".notice-pending"), page
    assert read_html(site / "2024/eu-growth-plan-explainer/index.html").h1.text == \
        "Objašnjavamo: kako funkcioniše Plan rasta EU za Zapadni Balkan"
    reviewed = read_html(site / "en/2024/citaonice-nocu/index.html")
    assert reviewed.h1.text == "Let reading rooms stay open until midnight"
    assert reviewed.select_one('link[rel=alternate][hreflang="sr-Latn"]')["href"].endswith(
        "/2024/citaonice-nocu/")
    pages = article_pages(site)
    assert len(pages) == 8 * 3
    for page in pages:
        if page.relative_to(site).as_posix() not in machine:
            html = read_html(page)
            assert not html.select(".notice-mt, .notice-pending"), page


def test_english_article_is_labelled_in_english(site):
    html = read_html(site / "en/2024/economist-ana-petrovic-inflation-interview/index.html")
    assert html.select_one(".content-type-label").text.strip() == "Interview"
    assert [a.text for a in html.select(".byline a")] == ["Jelena Ljubičić", "Nikola Đorđević"]
    assert html.select_one(".related h2").text == "Read more"


def test_press_release_names_its_source(site):
    html = read_html(site / "2024/festival-nauke-novi-sad/index.html")
    assert html.select_one(".content-type-label").text.strip() == "Saopštenje"
    assert html.select_one(".byline").text.strip() == "Naučni centar Novi Sad"


def test_home_page_has_lead_story_and_list(site):
    html = read_html(site / "index.html")
    lead = html.select_one(".lead-story .teaser-lead")
    assert lead.h2.a["href"] == "/2024/srbija-i-rusija-obecale-dublju-saradnju/"
    assert lead.img["fetchpriority"] == "high"
    # 8 articles, fewer than 2 × DEFAULT_PAGINATION: all on the front page, no archive page
    # (tests/test_archive_pages.py: listings that have them)
    assert len(html.select(".latest .teaser")) == 7
    assert not html.select(".pagination") and not (site / "strana").exists()


@pytest.mark.parametrize("feed,lang,count", [
    ("feeds/all.atom.xml", "sr-Latn", 8), ("feeds/all.rss.xml", "sr-Latn", 8),
    ("en/feeds/all.atom.xml", "en", 8), ("en/feeds/all.rss.xml", "en", 8),
    ("feeds/kategorija-kultura.atom.xml", "sr-Latn", 2),
    ("en/feeds/category-culture.rss.xml", "en", 2),
])
def test_feeds_are_valid_and_in_their_language(site, feed, lang, count):
    parsed = feedparser.parse((site / feed).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.language == lang
    assert len(parsed.entries) == count
    prefix = "http://127.0.0.1:8000/" + EDITIONS[lang]
    assert all(e.link.startswith(prefix) for e in parsed.entries)
    if lang == "en":
        assert all("/en/" in e.link for e in parsed.entries)
    else:
        assert not any("/en/" in e.link for e in parsed.entries)
    assert parsed.feed.get("subtitle") or parsed.feed.get("description")


def test_no_third_party_requests(site):
    for page in site.rglob("*.html"):
        html = read_html(page)
        for tag in html.select("link[href], script[src], img[src]"):
            url = tag.get("href") or tag.get("src")
            assert not re.match(r"^(https?:)?//", url) or url.startswith("http://127.0.0.1"), (
                page, url)
        # no JavaScript is needed to read: the only script is the search page's own
        code = [s for s in html.select("script") if s.get("type") != "application/ld+json"]
        if page.parent.name in ("pretraga", "search"):
            assert [s["src"] for s in code] == ["/theme/js/search.js"], page
        else:
            assert not code, page


def test_newsletter_box_hidden_when_unset(tmp_path):
    settings = write_settings(tmp_path, NEWSLETTER_ACTION="")
    result = run_build(ROOT / "content", tmp_path / "out", settings=settings)
    assert result.returncode == 0, result.stderr
    assert not read_html(tmp_path / "out" / SEED_SR).select(".newsletter")


def test_section_navigation_marks_the_page_section(site):
    """The sections bar is rendered once per section and edition, and still marks the right one."""
    def current(page):
        return [a.text for a in read_html(site / page).select(
            ".sections a[aria-current='page']")]

    article = read_html(site / SEED_SR)
    section = article.select_one(".kicker a").text
    assert current(SEED_SR) == [section]
    assert current("kategorija/politika/index.html") == ["Politika"]
    assert current("index.html") == [] and current("tema/srbija/index.html") == []


def test_teaser_is_the_same_in_every_listing(site):
    """A teaser shows the same in every listing, and the lead story's has its photo."""
    def teasers(page):
        return {t.select_one(".teaser-title a")["href"]: str(t)
                for t in read_html(site / page).select(".teaser")}

    front, section = teasers("index.html"), teasers("tema/srbija/index.html")
    shared = (set(front) & set(section)) - {read_html(site / "index.html").select_one(
        ".teaser-lead .teaser-title a")["href"]}
    assert shared
    for href in shared:
        assert front[href] == section[href]
    assert read_html(site / "index.html").select_one(".teaser-lead .teaser-image img")


def test_the_audit_takes_every_front_page_and_its_lead_article(site):
    from newsdesk.audit import audited_pages
    from newsdesk.check import Site

    pages = audited_pages(Site(site, ""))
    assert pages[0::2] == ["en/index.html", "index.html", "sr-cyrl/index.html"]
    for front, lead in zip(pages[0::2], pages[1::2], strict=True):
        assert lead.startswith(front.removesuffix("index.html")) and lead.count("/") >= 2
        assert 'property="og:type" content="article"' in (site / lead).read_text()
