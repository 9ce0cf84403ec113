"""Listings cut into archive pages counted from the oldest article: a new article renders only
the first page of each listing it is in, and the archive pages stay as they were."""

import re
from datetime import datetime
from types import SimpleNamespace

import pytest

from newsdesk.plugins.editions.pagination import archive_page_count, listing_pages

from .conftest import copy_content, read_html, run_build, write_settings

P = 2  # articles per archive page in these sites
# edition: (URL prefix, the word for a page in its URLs)
EDITIONS = {"sr-Latn": ("", "strana"), "sr-Cyrl": ("sr-cyrl/", "strana"), "en": ("en/", "page")}
# A listing's archive pages: its address, the word for a page and a number.
ARCHIVE_PAGE = re.compile(r"(?:^|/)(?:strana|page)/\d+/index\.html$")
LISTING = re.compile(r"^(?:sr-cyrl/|en/)?(?:(?:kategorija|tema|autor|category|tag|author)/[^/]+/)?"
                     r"(?:(?:strana|page)/\d+/)?index\.html$")

ARTICLE = """\
Title: {title}
Date: {date}
Author: {author}
Category: {category}
Tags: {tags}
Type: news
Summary: {title}.

{title}: {body}
"""


def write_article(content, key, lang, **fields):
    path = content / "articles" / "2026" / f"{key}.{lang}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ARTICLE.format(**fields), encoding="utf-8")


def culture_pair(content, key, date, title):
    """An article in Kultura, on Beograd, by Nikola Đorđević, in Serbian (Latin) and English."""
    write_article(content, key, "sr", title=title, date=date, author="Nikola Đorđević",
                  category="Kultura", tags="Beograd", body="Tekst o kulturi.")
    write_article(content, key, "en", title=title, date=date, author="Nikola Đorđević",
                  category="Culture", tags="Belgrade", body="A text about culture.")


def breaking(content, key, title, date, category, category_en, topic=("", "")):
    """The breaking story: written in Cyrillic in a `.sr.md` file, dated as Serbians write
    dates, on Beograd and a new `topic` (Serbian, English) if one is given, by Nikola
    Đorđević, with its English version."""
    write_article(content, key, "sr", title=title, date=date, author="Никола Ђорђевић",
                  category=category, tags=", ".join(filter(None, ("Београд", topic[0]))),
                  body="Влада је на ванредној седници усвојила пакет помоћи.")
    write_article(content, key, "en", title=f"Breaking: {key}", date=date,
                  author="Nikola Đorđević", category=category_en,
                  tags=", ".join(filter(None, ("Belgrade", topic[1]))),
                  body="The government adopted an aid package at an emergency session.")


def words(text):
    """The text with its spaces (Babel's thin ones too) as single spaces."""
    return " ".join(text.split())


def build(content, output, settings):
    result = run_build(content, output, "--verbose", settings=settings)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stdout, result.stdout + result.stderr
    return result.stdout + result.stderr


def snapshot(site):
    """{page: (inode, bytes)} of every page and feed."""
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.read_bytes())
            for p in site.rglob("*") if p.suffix in (".html", ".xml") and p.is_file()}


def rendered(before, after):
    """The pages and feeds made again (a page taken from the last build keeps its inode)."""
    return {name for name in after
            if not name.startswith(("sitemap", "news-sitemap"))
            and (name not in before or before[name][0] != after[name][0])}


def rendered_count(log):
    match = re.search(r"(\d+) page\(s\) rendered, (\d+) unchanged", log)
    assert match, log
    return int(match[1])


def listing_pages_in(names):
    return {name for name in names if LISTING.match(name)}


def first_pages(edition, section, topic="beograd", author="nikola-djordjevic"):
    """The first pages of the listings a breaking story in `section` is in, in one edition."""
    prefix = EDITIONS[edition][0]
    words = ("category", "tag", "author") if edition == "en" else ("kategorija", "tema", "autor")
    slugs = (section, "belgrade" if edition == "en" else topic, author)
    return {f"{prefix}index.html"} | {f"{prefix}{word}/{slug}/index.html"
                                      for word, slug in zip(words, slugs, strict=True)}


def chain(site, first):
    """Follow "Older" from a listing's first page to its oldest archive page, then "Newer"
    back; return the pages in order (newest first) and the articles each lists."""
    pages, url = [], first
    while True:
        html = read_html(site / url)
        pages.append((url, html))
        older = html.select_one(".pagination a[rel=next]")
        if older is None:
            break
        url = older["href"].lstrip("/") + "index.html"
        assert len(pages) < 100, "the Older links go round"
    back = [pages[-1][0]]
    while back[-1] != first:
        newer = read_html(site / back[-1]).select_one(".pagination a[rel=prev]")
        assert newer is not None, back[-1]
        back.append(newer["href"].lstrip("/") + "index.html")
        assert len(back) <= len(pages), "the Newer links lead elsewhere"
    assert back[::-1] == [url for url, _ in pages]
    return [(url, [a["href"] for a in html.select(".teaser-title a")],
             [t["datetime"] for t in html.select(".teaser-meta time")]) for url, html in pages]


def check_listings(site):
    """Every listing of every edition: its archive pages are all reached from the first page by
    "Older" links and back by "Newer"; they hold P articles each, the oldest P·k on archive page
    k, newest first, and the first page the rest; each is named by its dates and leads to pages
    that exist."""
    for edition, (prefix, word) in EDITIONS.items():
        listed = re.findall(r"<loc>[^<]*?/(" + re.escape(prefix) + r"\d{4}/[^<]+)</loc>",
                            (site / f"sitemap-{edition.lower()}.xml").read_text())
        firsts = [f"{prefix}index.html"] + sorted(
            p.relative_to(site).as_posix() for p in site.glob(f"{prefix}*/*/index.html")
            if LISTING.match(p.relative_to(site).as_posix())
            and not ARCHIVE_PAGE.search(p.relative_to(site).as_posix()))
        for first in firsts:
            pages = chain(site, first)
            base = first.removesuffix("index.html")
            on_disk = {p.relative_to(site).as_posix()
                       for p in site.glob(f"{base}{word}/*/index.html")}
            assert {url for url, _, _ in pages[1:]} == on_disk, first
            articles = [a for _, hrefs, _ in pages for a in hrefs]
            dates = [d for _, _, ds in pages for d in ds]
            assert len(set(articles)) == len(articles), first
            assert dates == sorted(dates, reverse=True), first  # newest first, page by page
            n, m = len(articles), len(pages) - 1
            assert m == archive_page_count(n, P), (first, n, m)
            assert len(pages[0][1]) == n - m * P
            for url, hrefs, _ in pages[1:]:
                k = int(url.removesuffix("/index.html").rsplit("/", 1)[1])
                assert url == f"{base}{word}/{k}/index.html" and len(hrefs) == P
                assert hrefs == articles[n - k * P:n - (k - 1) * P], (url, k)
            if first == f"{prefix}index.html":
                assert sorted("/" + a for a in listed) == sorted(articles)
            else:
                count = read_html(site / first).select_one(".listing-count").text
                assert int(re.search(r"\d+", count)[0]) == n, first
            for url, _, _ in pages[1:]:
                check_archive_page(site, edition, url)


def check_archive_page(site, edition, url):
    html = read_html(site / url)
    label = html.select_one(".pagination .current").text
    assert label and html.title.text.count(label) == 1, url
    assert re.search(r"\d{4}", label), url
    if edition == "sr-Cyrl":
        assert re.search("[а-яђјљњћџ]", label), label
    assert not re.search(r"Page|Strana|Страна", html.title.text + html.select_one(
        ".pagination").text), url
    assert html.html["lang"] == edition
    assert not html.select(".listing-count"), "a count that every new article changes"
    assert not html.select("link[hreflang]"), "hreflang pairs first pages only"
    prefix = EDITIONS[edition][0]
    assert html.select_one("link[rel=canonical]")["href"].endswith(
        "/" + url.removesuffix("index.html"))
    for link in html.select(".teaser-title a"):
        href = link["href"].lstrip("/")
        assert href.startswith(prefix) if prefix else not href.startswith(("en/", "sr-cyrl/"))
    for link in html.select("nav.editions a, nav.scripts a"):  # the switcher leads somewhere
        assert (site / link["href"].lstrip("/") / "index.html").is_file(), (url, link["href"])


@pytest.mark.build
def test_a_new_article_renders_only_the_first_pages_of_its_listings(tmp_path):
    content = copy_content(tmp_path)
    culture_pair(content, "koncert-na-kalemegdanu", "2026-03-01 10:00", "Koncert na Kalemegdanu")
    culture_pair(content, "izlozba-u-muzeju", "2026-03-02 10:00", "Izložba u muzeju")
    settings = write_settings(tmp_path, DEFAULT_PAGINATION=P, WITH_FUTURE_DATES=True)
    site = tmp_path / "out"
    build(content, site, settings)
    # Each edition: the front page 10 articles (4 archive pages), Kultura, Beograd and Nikola
    # Đorđević 4 each (1 archive page), Ekonomija 3 (none).
    check_listings(site)
    assert (site / "strana/4/index.html").is_file() and not (site / "strana/5").exists()
    switcher = {a["hreflang"]: a["href"] for a in read_html(site / "strana/1/index.html").select(
        "nav.editions a, nav.scripts a")}
    assert switcher == {"en": "/en/", "sr-Cyrl": "/sr-cyrl/"}, "the listing's first page"
    before = snapshot(site)

    # on a topic new to the site: each edition gets its page, and the story links to it
    breaking(content, "poplave", "Поплаве у западној Србији", "2.12.2026.", "Култура", "Culture",
             topic=("поплаве", "floods"))
    log = build(content, site, settings)
    after = snapshot(site)
    check_listings(site)
    archive = {name for name in before if ARCHIVE_PAGE.search(name)}
    assert len(archive) == 3 * (4 + 3 + 1)  # front page, Kultura, Beograd, Nikola; and Srbija
    for name in archive:
        assert after[name] == before[name], f"{name} changed"
    made = rendered(before, after)
    expected = set().union(*(first_pages(e, "culture" if e == "en" else "kultura")
                             for e in EDITIONS))
    expected |= {"tema/poplave/index.html", "sr-cyrl/tema/poplave/index.html",
                 "en/tag/floods/index.html"}
    assert listing_pages_in(made) == expected
    assert {"2026/poplave/index.html", "sr-cyrl/2026/poplave/index.html",
            "feeds/all.atom.xml", "en/feeds/all.atom.xml"} <= made
    assert any(name.startswith("en/2026/") for name in made)
    # The older articles' related reading now names the new one: their own pages show it, the
    # listings and month pages that list them do not.
    assert "2026/izlozba-u-muzeju/index.html" in made
    assert not {"arhiva/2026/03/index.html", "arhiva/2024/01/index.html",
                "arhiva/2024/02/index.html"} & made
    assert rendered_count(log) == len(made), sorted(made)
    assert "Поплаве у западној Србији" in (site / "sr-cyrl/index.html").read_text(encoding="utf-8")
    story = read_html(site / "sr-cyrl/2026/poplave/index.html")
    assert story.select_one('.tags a[href="/sr-cyrl/tema/poplave/"]').text == "поплаве"


@pytest.mark.build
def test_a_full_first_page_cuts_one_archive_page_and_renders_its_older_neighbour(tmp_path):
    content = copy_content(tmp_path)
    culture_pair(content, "koncert-na-kalemegdanu", "2026-03-01 10:00", "Koncert na Kalemegdanu")
    culture_pair(content, "izlozba-u-muzeju", "2026-03-02 10:00", "Izložba u muzeju")
    breaking(content, "poplave", "Поплаве у западној Србији", "2.12.2026.", "Култура", "Culture")
    settings = write_settings(tmp_path, DEFAULT_PAGINATION=P, WITH_FUTURE_DATES=True)
    site = tmp_path / "out"
    build(content, site, settings)
    # Ekonomija: 3 = 2P − 1 articles, all on its first page; Beograd and Nikola Đorđević
    # 5 (one archive page); the front page 11 (four).
    economy = read_html(site / "kategorija/ekonomija/index.html")
    assert len(economy.select(".teaser")) == 2 * P - 1 and not economy.select(".pagination")
    assert not (site / "kategorija/ekonomija/strana").exists()
    before = snapshot(site)

    breaking(content, "nova-fabrika", "Нова фабрика у Нишу", "2.12.2026. 12:00", "Економија",
             "Economy")
    log = build(content, site, settings)
    after = snapshot(site)
    check_listings(site)
    # 2P articles: the oldest P are cut into archive page 1, the newest P stay first.
    economy = read_html(site / "kategorija/ekonomija/index.html")
    assert [a["href"] for a in economy.select(".teaser-title a")] == [
        "/2026/nova-fabrika/", "/2024/eu-growth-plan-explainer/"]
    assert economy.select_one(".pagination a[rel=next]")["href"] == \
        "/kategorija/ekonomija/strana/1/"
    oldest = read_html(site / "kategorija/ekonomija/strana/1/index.html")
    assert [a["href"] for a in oldest.select(".teaser-title a")] == [
        "/2024/beogradski-metro-tunel/", "/2024/intervju-inflacija/"]
    assert words(oldest.select_one(".pagination .current").text) == "24. jan – 6. feb 2024."
    assert oldest.select_one(".pagination a[rel=prev]")["href"] == "/kategorija/ekonomija/"
    assert words(read_html(site / "sr-cyrl/kategorija/ekonomija/strana/1/index.html").select_one(
        ".pagination .current").text) == "24. јан – 6. феб 2024."

    made = rendered(before, after)
    expected = set()
    for edition, (prefix, word) in EDITIONS.items():
        firsts = first_pages(edition, "economy" if edition == "en" else "ekonomija")
        expected |= firsts
        # the new archive pages, and the older neighbour whose "Newer" link they take
        tag = "tag/belgrade" if edition == "en" else "tema/beograd"
        author = ("author" if edition == "en" else "autor") + "/nikola-djordjevic"
        category = "category/economy" if edition == "en" else "kategorija/ekonomija"
        expected |= {f"{prefix}{word}/5/index.html", f"{prefix}{word}/4/index.html",
                     f"{prefix}{category}/{word}/1/index.html"}
        expected |= {f"{prefix}{listing}/{word}/{k}/index.html"
                     for listing in (tag, author) for k in (1, 2)}
    assert listing_pages_in(made) == expected
    for name in before:
        if ARCHIVE_PAGE.search(name) and name not in expected:
            assert after[name] == before[name], f"{name} changed"
    assert rendered_count(log) == len(made), sorted(made)


@pytest.mark.parametrize("count", range(0, 4 * 3 + 2))
def test_pages_are_chunks_counted_from_the_oldest_article(count):
    per_page = 3
    articles = [SimpleNamespace(date=datetime(2026, 1, 1 + day), n=day)
                for day in range(count)][::-1]  # newest first
    pages = listing_pages(articles, per_page, "kategorija/x/", "strana", "sr_Latn")
    archived = max(0, count // per_page - 1)
    assert len(pages) == archived + 1 and pages[0].first and pages[0].url == "kategorija/x/"
    assert [a.n for p in pages for a in p.object_list] == list(range(count))[::-1]
    if count >= per_page:
        assert per_page <= len(pages[0].object_list) < 2 * per_page
    for page in pages[1:]:
        k = page.number
        assert page.url == f"kategorija/x/strana/{k}/"
        assert [a.n for a in page.object_list] == list(range((k - 1) * per_page,
                                                               k * per_page))[::-1]
    for newer, older in zip(pages, pages[1:], strict=False):
        assert newer.older == older.link and older.newer == newer.link


def test_a_new_article_leaves_the_archive_pages_as_they_were():
    per_page = 3
    articles = [SimpleNamespace(date=datetime(2026, 1, 1 + day)) for day in range(2 * per_page
                                                                                   - 1)][::-1]
    grown = [SimpleNamespace(date=datetime(2026, 2, 1)), *articles]
    before = listing_pages(articles, per_page, "", "strana", "sr_Latn")
    after = listing_pages(grown, per_page, "", "strana", "sr_Latn")
    assert len(before) == 1 and len(after) == 2  # 2P − 1 → 2P: archive page 1 is cut
    assert after[1].object_list == articles[-per_page:] and after[1].label == "1.–3. jan 2026."
    assert after[0].older == after[1].link and after[1].newer == after[0].link
    for _ in range(per_page - 1):  # more articles: the archive page stays as it is
        grown.insert(0, SimpleNamespace(date=datetime(2026, 3, 1)))
        assert listing_pages(grown, per_page, "", "strana", "sr_Latn")[1] == after[1]


def test_no_pagination_keeps_every_article_on_the_first_page():
    articles = [SimpleNamespace(date=datetime(2026, 1, 1))] * 7
    assert [len(p.object_list) for p in listing_pages(articles, 0, "", "page", "en")] == [7]

