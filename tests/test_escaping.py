"""Text from outside (translation answers, photo metadata, authors' fields) is escaped exactly
once on its way into HTML, feeds and JSON-LD: shown as written, never as markup, never as
`&lt;`. Real builds, with the fake provider on 127.0.0.1 giving the answers."""

import json
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from newsdesk.transliterate import to_cyrillic

from .conftest import iptc_jpeg, read_html, run_build, write_settings

pytestmark = pytest.mark.build

ATOM = "{http://www.w3.org/2005/Atom}"

SR_ARTICLE = """Title: Zakon o štrajku usvojen
Date: 2024-03-01 10:00
Author: Đorđe Šćekić
Category: Politika
Tags: štrajk
Summary: Sindikati najavljuju proteste.
Image: {static}/images/skupstina.jpg
Caption: Protest ispred Skupštine. [Tanjug/ŽARKO ĆIRIĆ]
Alt: Ljudi na trgu ispred Skupštine

Sindikati su nezadovoljni novim zakonom.

![Radnici na ulici]({static}/images/skupstina.jpg "Radnici ispred fabrike. [FoNet/MILA ĐURIĆ]")

![Beli transparent]({static}/images/skupstina.jpg "Transparent na ogradi")

| Sindikat | Stav |
|---|---|
| Nezavisnost | protiv zakona |
"""

# What the provider answers, character for character.
TITLE_EN = "Strike law <strike> & \"unions\" <script>alert('x')</script> AT&amp;T"
SUMMARY_EN = "Unions <b>announce</b> protests & strikes &lt;soon&gt;"
CAPTION_EN = "Protest \"outside\") the Assembly [live] <i> & more"
ALT_EN = "People [on] \"the\" square <img src=x onerror=alert(1)> & more"
PARAGRAPH_EN = ("Unions are <em>unhappy</em> & AT&amp;T says <script>alert(1)</script> [no] "
                "*really* {: .x }")
FIGURE_ALT_EN = "Workers \"in\" the street] <x> & co"
FIGURE_CAPTION_EN = "Workers \"in front\") of [the] factory <u> & co's ('own')"
BANNER_EN = "A banner [on the fence]"
CELL_EN = "against | for <b> & co"
ANSWERS = {
    "Zakon o štrajku usvojen": TITLE_EN,
    "Sindikati najavljuju proteste.": SUMMARY_EN,
    "Protest ispred Skupštine.": CAPTION_EN,
    "Ljudi na trgu ispred Skupštine": ALT_EN,
    "Sindikati su nezadovoljni novim zakonom.": PARAGRAPH_EN,
    "Radnici na ulici": FIGURE_ALT_EN,
    "Radnici ispred fabrike.": FIGURE_CAPTION_EN,
    "Transparent na ogradi": BANNER_EN,
    "protiv zakona": CELL_EN,
}


@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    (root / "articles").mkdir(parents=True)
    (root / "images").mkdir()
    Image.new("RGB", (64, 36), (90, 120, 150)).save(root / "images" / "skupstina.jpg")
    return root


def build(content, tmp_path, env=None):
    settings = write_settings(tmp_path, MT_BACKOFF=0.01, MT_TIMEOUT=(1, 1), MT_RETRIES=0)
    result = run_build(content, tmp_path / "out", settings=settings, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp_path / "out"


def text(element):
    return " ".join(element.get_text().split())


def structured_data(html):
    return json.loads(html.select_one('script[type="application/ld+json"]').string)


def feed_titles(path):
    """(the feed's title, its entries' titles), as a feed reader gets them from the XML."""
    root = ET.parse(path).getroot()
    if root.tag == "rss":
        channel = root.find("channel")
        return channel.findtext("title"), [i.findtext("title") for i in channel.iter("item")]
    return root.findtext(f"{ATOM}title"), [e.findtext(f"{ATOM}title")
                                           for e in root.iter(f"{ATOM}entry")]


@pytest.mark.parametrize("provider,path", [("libre", ""), ("google", "m")])
def test_machine_translations_show_every_character_the_provider_wrote(content, tmp_path,
                                                                       server, provider, path):
    (content / "articles" / "zakon.sr.md").write_text(SR_ARTICLE, encoding="utf-8")
    server.answers = ANSWERS
    out = build(content, tmp_path, {"MT_PROVIDER": provider, "MT_URL": server.url + path})
    assert set(ANSWERS) <= set(server.texts())
    html = read_html(out / "en/2024/zakon/index.html")

    # nothing the provider wrote became markup
    assert [s.get("type") for s in html.select("script")] == ["application/ld+json"]
    assert not html.select("strike, b, i, u, x, em, img[src=x], .story-body p.x")
    # title, standfirst and link previews: the text, once escaped
    assert html.h1.text == TITLE_EN
    assert html.title.text == f"{TITLE_EN} | Pregled"
    assert html.find("meta", property="og:title")["content"] == TITLE_EN
    assert html.select_one(".standfirst").text == SUMMARY_EN
    # the lead photo
    lead = html.select_one("figure.lead-figure")
    assert lead.img["alt"] == ALT_EN
    assert text(lead.figcaption) == f"{CAPTION_EN} Tanjug/ŽARKO ĆIRIĆ"
    assert lead.select_one(".credit").text == "Tanjug/ŽARKO ĆIRIĆ"
    # the body: a paragraph, figures whose captions have quotes, brackets and parentheses,
    # a table cell with a bar
    body = html.select_one(".story-body")
    assert text(body.p) == PARAGRAPH_EN and body.p.attrs == {}
    figures = body.select("figure")
    assert len(figures) == 2, body
    assert figures[0].img["alt"] == FIGURE_ALT_EN
    assert text(figures[0].figcaption) == f"{FIGURE_CAPTION_EN} FoNet/MILA ĐURIĆ"
    assert figures[0].select_one(".credit").text == "FoNet/MILA ĐURIĆ"
    assert text(figures[1].figcaption) == BANNER_EN
    assert not figures[1].select(".credit"), "the provider's brackets are not a credit"
    assert [td.text for td in body.select("tbody td")] == ["EN: Nezavisnost", CELL_EN]

    data = structured_data(html)
    assert data["headline"] == TITLE_EN
    assert data["description"] == SUMMARY_EN
    assert data["image"][0]["caption"] == CAPTION_EN
    for kind in ("atom", "rss"):
        assert feed_titles(out / f"en/feeds/all.{kind}.xml")[1] == [TITLE_EN], kind


EN_ARTICLE = """Title: Unions protest the new law
Date: 2024-03-02 10:00
Author: Ana Marković
Category: Politics
Summary: Workers and unions against the law.

The unions say no.
"""
TITLE_SR = "Sindikati protiv zakona <strike> & \"štrajk\" AT&amp;T"
SUMMARY_SR = "Radnici & sindikati <protiv> zakona"
PARAGRAPH_SR = "Sindikati kažu ne <b>zakonu</b> & vladi &lt;3"


def test_cyrillic_edition_of_a_machine_translation(content, tmp_path, server):
    (content / "articles" / "protest.en.md").write_text(EN_ARTICLE, encoding="utf-8")
    server.answers = {"Unions protest the new law": TITLE_SR,
                      "Workers and unions against the law.": SUMMARY_SR,
                      "The unions say no.": PARAGRAPH_SR}
    out = build(content, tmp_path, {"MT_PROVIDER": "libre", "MT_URL": server.url})
    latin = read_html(out / "2024/protest/index.html")
    assert latin.h1.text == TITLE_SR
    assert text(latin.select_one(".story-body p")) == PARAGRAPH_SR
    assert latin.select_one(".standfirst").text == SUMMARY_SR
    cyrillic = read_html(out / "sr-cyrl/2024/protest/index.html")
    assert cyrillic.h1.text == to_cyrillic(TITLE_SR)
    assert cyrillic.h1.text.startswith("Синдикати против закона <стрике> & ")
    assert text(cyrillic.select_one(".story-body p")) == to_cyrillic(PARAGRAPH_SR)
    assert cyrillic.select_one(".standfirst").text == to_cyrillic(SUMMARY_SR)
    assert not cyrillic.select(".story-body b")
    assert structured_data(cyrillic)["headline"] == to_cyrillic(TITLE_SR)
    for kind in ("atom", "rss"):
        assert feed_titles(out / f"sr-cyrl/feeds/all.{kind}.xml")[1] == [to_cyrillic(TITLE_SR)]


STRIKE_ARTICLE = """Title: Zakon o <strike> & štrajku
Date: 2024-03-01 10:00
Author: Đorđe Šćekić
Category: Nauka & <tehnika>

Beograd & Novi Sad... -- i to je sve.
"""
BETA_ARTICLE = """Title: C++ <b>beta</b> stiže u Srbiju
Date: 2024-03-02 10:00
Author: Đorđe Šćekić
Category: Nauka & <tehnika>

Tekst.
"""


def test_titles_keep_tag_like_text_in_pages_feeds_and_structured_data(content, tmp_path):
    articles = content / "articles"
    (articles / "strajk.sr.md").write_text(STRIKE_ARTICLE, encoding="utf-8")
    (articles / "beta.sr.md").write_text(BETA_ARTICLE, encoding="utf-8")
    out = build(content, tmp_path)
    titles = ["C++ <b>beta</b> stiže u Srbiju", "Zakon o <strike> & štrajku"]  # newest first
    for prefix, convert, site in (("", str, "Pregled"), ("sr-cyrl/", to_cyrillic, "Преглед")):
        for key, title in zip(("beta", "strajk"), titles, strict=True):
            html = read_html(out / f"{prefix}2024/{key}/index.html")
            assert html.h1.text == convert(title)
            assert html.title.text == f"{convert(title)} | {site}"
            assert structured_data(html)["headline"] == convert(title)
            assert not html.select("b, strike")
        for kind in ("atom", "rss"):
            assert feed_titles(out / f"{prefix}feeds/all.{kind}.xml") == (
                site, [convert(t) for t in titles]), (prefix, kind)
            section, = (out / f"{prefix}feeds").glob(f"kategorija-*.{kind}.xml")
            assert feed_titles(section)[0] == f"{site} - {convert('Nauka & <tehnika>')}"
    # character references the Markdown made (&amp;, &hellip;, &ndash;) are not transliterated
    cyrillic = read_html(out / "sr-cyrl/2024/strajk/index.html")
    assert text(cyrillic.select_one(".story-body p")) == "Београд & Нови Сад… – и то је све."


PHOTO_CAPTION = 'Protest "Stop" (AT&amp;T) <b>Beograd</b> & Niš'
PHOTO_ARTICLE = """Title: Protest u Nišu
Date: 2024-03-01 10:00
Author: Đorđe Šćekić
Category: Društvo
Image: {static}/images/nis.jpg

Prvi pasus.

![Ljudi na trgu u Nišu]({static}/images/nis.jpg)
"""


def test_photo_captions_and_credits_are_text(content, tmp_path):
    iptc_jpeg(content / "images" / "nis.jpg", (640, 360),
              {(2, 120): PHOTO_CAPTION, (2, 110): "Tanjug & <FoNet>"})
    (content / "articles" / "nis.sr.md").write_text(PHOTO_ARTICLE, encoding="utf-8")
    out = build(content, tmp_path)
    for prefix, convert in (("", str), ("sr-cyrl/", to_cyrillic)):
        html = read_html(out / f"{prefix}2024/nis/index.html")
        assert not html.select("b, fonet")
        caption, credit = convert(PHOTO_CAPTION), "Tanjug & <FoNet>"
        for figure in html.select("figure"):  # the lead photo and the one in the text
            shown = figure.select_one(".credit").text
            assert shown == credit  # a credit stays as written in both scripts
            assert text(figure.figcaption) == f"{caption} {shown}", prefix
        assert len(html.select("figure")) == 2
        assert html.select_one("figure.lead-figure img")["alt"] == caption
        assert structured_data(html)["image"][0]["caption"] == caption
