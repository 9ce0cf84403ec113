"""What search engines and link previews read: structured data, social tags, sitemaps."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from .conftest import (
    SEED_EN,
    SEED_SR,
    article_pages,
    copy_content,
    read_html,
    run_build,
    write_settings,
)

pytestmark = pytest.mark.build

ORIGIN = "http://127.0.0.1:8000"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def json_ld(html):
    return json.loads(html.select_one('script[type="application/ld+json"]').string)


def test_news_article_data(site):
    data = json_ld(read_html(site / SEED_SR))
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "sr-Latn"
    assert data["headline"].startswith("Srbija i Rusija obećale")
    assert data["datePublished"] == "2024-02-09T14:20:00+01:00"
    assert data["dateModified"] == "2024-02-09T14:20:00+01:00"
    assert data["author"] == [{"@type": "Person", "name": "Milena Antonijević",
                               "url": f"{ORIGIN}/autor/milena-antonijevic/"}]
    assert data["publisher"]["name"] == "Pregled"
    image = data["image"][0]
    assert image["creditText"] == "EPA-EFE/KOCA SULEJMANOVIC"
    assert re.fullmatch(rf"{ORIGIN}/images/_r/[0-9a-f]{{20}}-1200\.jpg", image["url"])
    # the Serbian file is a human translation of the English original
    assert data["translationOfWork"]["@id"] == \
        f"{ORIGIN}/{SEED_EN.removesuffix('index.html')}"
    assert "translationOfWork" not in json_ld(read_html(site / SEED_EN))


def test_updated_articles_say_so(site):
    html = read_html(site / "2024/liste-cekanja-operacije/index.html")
    assert json_ld(html)["dateModified"] == "2024-01-30T11:15:00+01:00"
    assert "Ažurirano" in html.select_one(".dateline").text
    assert html.select_one(".correction").text.startswith("Ispravka: Ranija verzija")


def test_social_tags(site):
    html = read_html(site / SEED_EN)
    meta = {m.get("property") or m.get("name"): m["content"] for m in html.select("meta[content]")}
    assert meta["og:type"] == "article" and meta["og:locale"] == "en_GB"
    assert [m["content"] for m in html.select('meta[property="og:locale:alternate"]')] == \
        ["sr_RS"]
    assert meta["og:url"] == f"{ORIGIN}/{SEED_EN.removesuffix('index.html')}"
    assert meta["og:image"].endswith("-1200.jpg") and meta["og:image:width"] == "1200"
    assert meta["twitter:card"] == "summary_large_image"
    assert html.select_one("link[rel=canonical]")["href"] == meta["og:url"]


def meta_tags(html):
    return {m.get("property") or m.get("name"): m["content"] for m in html.select("meta[content]")}


def test_every_article_page_has_an_image_for_link_previews(site):
    """og:image on every article page of every edition: an absolute URL of a file the site
    has, of the size it says, and the same image in the NewsArticle data. The explainer has no
    photo: it gets the theme's share image, at least 1200 pixels wide."""
    pages = article_pages(site)
    assert len(pages) == 8 * 3
    themed = []
    for page in pages:
        html = read_html(page)
        meta = meta_tags(html)
        url = meta["og:image"]
        assert url.startswith(f"{ORIGIN}/"), page
        with Image.open(site / url.removeprefix(f"{ORIGIN}/")) as image:
            size = image.size
        assert (int(meta["og:image:width"]), int(meta["og:image:height"])) == size, page
        assert meta["og:image:alt"] and meta["twitter:image"] == url
        assert meta["twitter:card"] == "summary_large_image"
        [data] = json_ld(html)["image"]
        assert data["url"] == url and (data["width"], data["height"]) == size, page
        assert data["creditText"], page
        if url == f"{ORIGIN}/theme/images/share.png":
            themed.append(page.relative_to(site).as_posix())
            assert size[0] >= 1200
            assert meta["og:image:alt"] == data["creditText"] == html.select_one(".brand").text
    assert sorted(themed) == ["2024/eu-growth-plan-explainer/index.html",
                              "en/2024/eu-growth-plan-western-balkans-explainer/index.html",
                              "sr-cyrl/2024/eu-growth-plan-explainer/index.html"]


def test_a_missing_share_image_is_reported(tmp_path):
    settings = write_settings(tmp_path, SHARE_IMAGE="images/nema-slike.png")
    result = run_build(copy_content(tmp_path), tmp_path / "out", settings=settings)
    assert result.returncode == 0, result.stdout + result.stderr
    log = result.stdout + result.stderr
    assert log.count("SHARE_IMAGE: the theme has no ") == 1, log
    assert "nema-slike.png" in log and "1 warning(s)" in result.stdout
    html = read_html(tmp_path / "out/en/2024/eu-growth-plan-western-balkans-explainer/index.html")
    assert not html.select('meta[property="og:image"]') and "image" not in json_ld(html)
    assert meta_tags(html)["twitter:card"] == "summary"


def test_author_pages_have_a_bio(site):
    assert read_html(site / "autor/marko-njegos/index.html").select_one(".bio").text == \
        "Marko Njegoš pokriva zdravstvo i evropske fondove."
    assert read_html(site / "en/author/marko-njegos/index.html").select_one(".bio").text == \
        "Marko Njegoš covers healthcare and European funds."
    assert read_html(site / "sr-cyrl/autor/marko-njegos/index.html").select_one(
        ".bio").text == "Марко Његош покрива здравство и европске фондове."


def test_sitemaps_and_robots(site):
    robots = (site / "robots.txt").read_text()
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in robots
    assert f"Sitemap: {ORIGIN}/news-sitemap.xml" in robots
    index = ET.parse(site / "sitemap.xml").getroot()
    files = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert files == [f"{ORIGIN}/sitemap-sr-latn.xml", f"{ORIGIN}/sitemap-sr-cyrl.xml",
                     f"{ORIGIN}/sitemap-en.xml"]
    urls = {}
    for name in ("sitemap-sr-latn.xml", "sitemap-sr-cyrl.xml", "sitemap-en.xml"):
        for url in ET.parse(site / name).getroot().iter(f"{SITEMAP}url"):
            links = {link.get("hreflang"): link.get("href")
                     for link in url.iter(f"{XHTML}link")}
            urls[url.find(f"{SITEMAP}loc").text] = links
    seed = f"{ORIGIN}/{SEED_SR.removesuffix('index.html')}"
    assert urls[seed]["en"] == f"{ORIGIN}/{SEED_EN.removesuffix('index.html')}"
    assert urls[seed]["x-default"] == seed and urls[seed]["sr-Cyrl"].startswith(
        f"{ORIGIN}/sr-cyrl/")
    # reciprocal, and every article in every edition
    for url, links in urls.items():
        for other in links.values():
            assert urls.get(other, links) == links, (url, other)
    assert len([u for u in urls if "/2024/" in u]) == 8 + 8 + 8


def test_pages_waiting_for_translation_are_not_in_sitemaps(pending_site):
    urls = {loc.text for name in ("sitemap-sr-latn.xml", "sitemap-sr-cyrl.xml", "sitemap-en.xml")
            for loc in ET.parse(pending_site / name).getroot().iter(f"{SITEMAP}loc")}
    assert f"{ORIGIN}/2024/citaonice-nocu/" in urls
    assert f"{ORIGIN}/en/2024/citaonice-nocu/" not in urls
    assert f"{ORIGIN}/2024/eu-growth-plan-explainer/" not in urls
    assert len([u for u in urls if "/2024/" in u]) == 7 + 7 + 7


def test_news_sitemap_lists_the_last_two_days(tmp_path):
    content = copy_content(tmp_path)
    result = run_build(content, tmp_path / "out", env={"SOURCE_DATE_EPOCH": "1707555600"})
    assert result.returncode == 0  # 2024-02-10 09:00 UTC
    news = ET.parse(tmp_path / "out/news-sitemap.xml").getroot()
    entries = {u.find(f"{SITEMAP}loc").text: u for u in news.iter(f"{SITEMAP}url")}
    titles = sorted(u.find(f"{NEWS}news/{NEWS}title").text for u in entries.values())
    assert len(entries) == 6, titles  # the seed and the explainer, in 3 editions each
    sample = entries[f"{ORIGIN}/en/2024/serbia-russia-pledge-deeper-cooperation/"]
    assert sample.find(f"{NEWS}news/{NEWS}publication/{NEWS}language").text == "en"
    assert sample.find(f"{NEWS}news/{NEWS}publication_date").text == \
        "2024-02-09T14:20:00+01:00"


def test_articles_dated_in_the_future_wait(tmp_path):
    content = copy_content(tmp_path)
    (content / "articles" / "sutra.sr.md").write_text(
        "Title: Sutrašnja vest\nDate: 2999-01-01 08:00\nAuthor: Marko Njegoš\n"
        "Category: Politika\n\nJoš nije vreme.\n", encoding="utf-8")
    result = run_build(content, tmp_path / "out")
    assert result.returncode == 0 and "0 warning(s)" in result.stdout
    assert not list((tmp_path / "out").rglob("sutra*"))
    assert "Sutrašnja" not in (tmp_path / "out/feeds/all.atom.xml").read_text()
    (content / "articles" / "sutra.sr.md").write_text(
        "Title: Sutrašnja vest\nDate: 2020-01-01 08:00\nAuthor: Marko Njegoš\n"
        "Category: Politika\n\nSada je vreme.\n", encoding="utf-8")
    run_build(content, tmp_path / "out")
    assert (tmp_path / "out/2020/sutra/index.html").is_file()
