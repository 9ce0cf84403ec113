"""Article HTML: never a javascript: URL; with SANITIZE_HTML, only the allow-list, in every
edition (Latin original, Cyrillic transliteration, English machine translation)."""

import re

import pytest
from babel.messages.pofile import read_po, write_po
from PIL import Image

from newsdesk.transliterate import to_latin

from .conftest import read_html, run_build, write_settings

pytestmark = pytest.mark.build

ARTICLE = """Title: Festival u Čačku: đaci, šahisti i „Žuta kuća”
Date: 2024-05-03 09:00
Author: Đorđe Šćepanović
Category: Kultura
Tags: festival, C++ & „kod”
Summary: Festival počinje u petak<script>alert('sažetak')</script> u Čačku.

Program najavljuje [opasna veza](javascript:alert(document.cookie)) i
[gradska stranica](https://www.cacak.rs/festival "Grad Čačak").

<p>Prijave: <a href="JaVaScRiPt&#58;alert('html')">klikni ovde</a>, a za poklon
<span translate="no">iPhone Džep</span> pišite nam.</p>

<img src="{static}/images/plakat.jpg" alt="Plakat festivala" onerror="alert('slika')">

<script>alert('telo')</script>

<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" width="560" height="315"
  title="Najava festivala" allowfullscreen></iframe>

<iframe src="https://zlo.example/plejer/7" title="Tuđi plejer"></iframe>

![Publika ispred bine]({static}/images/bina.jpg "Publika na otvaranju. [Tanjug/ŽELJKO ĐURIĆ]")

| Dan | Program |
|:----|--------:|
| Petak | Otvaranje |
| Subota | Šahovski turnir |
"""

SOURCE = "articles/festival-cacak.sr.md"
EDITIONS = {"sr-Latn": "2024/festival-cacak/index.html",
            "sr-Cyrl": "sr-cyrl/2024/festival-cacak/index.html",
            "en": "en/2024/festival-cacak/index.html"}
FEEDS = ["feeds/all.atom.xml", "sr-cyrl/feeds/all.atom.xml"]
ALLOWED_EMBED = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    (root / "articles").mkdir(parents=True)
    (root / "images").mkdir()
    Image.new("RGB", (900, 600), (180, 60, 40)).save(root / "images" / "plakat.jpg")
    Image.new("RGB", (1200, 800), (40, 90, 160)).save(root / "images" / "bina.jpg")
    (root / SOURCE).write_text(ARTICLE, encoding="utf-8")
    return root


def build(content, tmp_path, **settings):
    conf = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"), **settings)
    result = run_build(content, tmp_path / "out", settings=conf)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def bodies(tmp_path):
    return {code: read_html(tmp_path / "out" / path).select_one(".story-body")
            for code, path in EDITIONS.items()}


def urls(body):
    return [value for tag in body.find_all(True) for name, value in tag.attrs.items()
            if name in ("href", "src", "srcset")]


def script_url(value):
    return re.sub(r"\s", "", value).lower().startswith(("javascript:", "vbscript:", "data:"))


def test_sanitizing_keeps_the_allow_list_in_every_edition(content, tmp_path):
    result = build(content, tmp_path, SANITIZE_HTML=True)
    for code, body in bodies(tmp_path).items():
        assert not body.find_all(["script", "style"]), code
        assert not [(t.name, a) for t in body.find_all(True) for a in t.attrs
                    if a.startswith("on")], code
        assert not [u for u in urls(body) if script_url(u)], code
        assert "alert" not in body.decode(), code
        # the links' text stays; the safe link keeps its address
        assert "opasna veza" in to_latin(body.text), code
        assert body.find("a", href="https://www.cacak.rs/festival"), code
        # embeds: the allowed host's iframe stays, the other is gone
        assert [f["src"] for f in body.find_all("iframe")] == [ALLOWED_EMBED], code
        # figure, caption, credit and the responsive picture the figures plugin makes later
        figure = body.select_one("figure.figure")
        assert to_latin(figure.select_one("figcaption .credit").text) == "Tanjug/ŽELJKO ĐURIĆ"
        picture = figure.select_one("picture")
        assert picture.source["srcset"] and picture.img["srcset"], code
        assert picture.img["width"] == "1200" and picture.img["loading"] == "lazy", code
        # the poster, without its handler, is a processed picture too
        assert to_latin(body.select_one("p picture img")["alt"]) == "Plakat festivala", code
        assert [to_latin(th.text) for th in body.select("table th")] == ["Dan", "Program"]
        assert body.select_one("table th")["style"] == "text-align:left", code
        assert body.find("span", translate="no").text == "iPhone Džep", code
    # the summary, shown as the standfirst and in the feeds
    for path in EDITIONS.values():
        page = read_html(tmp_path / "out" / path)
        assert "alert" not in page.select_one(".standfirst").text
    for feed in FEEDS:
        text = (tmp_path / "out" / feed).read_text(encoding="utf-8")
        assert "alert" not in text and "script" not in text.lower(), feed
    warning = next(line for line in result.stderr.splitlines() if "festival-cacak.sr.md" in line
                   and "removed" in line)
    for what in ("<script> element", "onerror attribute of <img>", "javascript: URL in <a href>",
                 "<iframe> from zlo.example"):
        assert what in warning


def test_without_sanitizing_raw_html_stays_but_script_urls_go(content, tmp_path):
    result = build(content, tmp_path)
    for code, body in bodies(tmp_path).items():
        assert not [u for u in urls(body) if script_url(u)], code
        # the links themselves and their text stay
        links = [to_latin(a.text) for a in body.find_all("a")]
        assert "opasna veza" in links and "klikni ovde" in links, code
        # raw HTML is published as written: embeds of any host, scripts
        assert [f["src"] for f in body.find_all("iframe")] == [ALLOWED_EMBED,
                                                              "https://zlo.example/plejer/7"]
        assert "alert('telo')" in body.find("script").text, code
        assert body.select_one("figure.figure figcaption .credit"), code
    warning = next(line for line in result.stderr.splitlines() if "festival-cacak.sr.md" in line
                   and "removed" in line)
    assert "javascript: URL in <a href>" in warning and "never allowed" in warning
    assert "<script>" not in warning and "zlo.example" not in warning


def test_an_edited_translation_memory_is_sanitized_too(content, tmp_path):
    """The English page is made from the memory: what an editor writes there is cleaned and
    reported as this version's, once."""
    build(content, tmp_path, SANITIZE_HTML=True)  # makes the memory, every entry pending
    po = content / "translations" / "en" / "festival-cacak.po"
    with open(po, "rb") as fp:
        catalog = read_po(fp)
    for message in catalog:  # a whole translation (one that waits shows the original)
        if message.id and not message.string:
            message.string = message.id
    table = next(m for m in catalog if m.context == "cell" and m.id == "Šahovski turnir")
    table.string = "Chess <img src=\"x.png\" onerror=\"alert('po')\"> tournament"
    title = next(m for m in catalog if m.context == "title")
    title.string = "Festival in Čačak"
    paragraph = next(m for m in catalog if m.context == "paragraph"
                     and m.id.startswith("Program najavljuje"))
    paragraph.string = ("The programme lists [more](javascript:alert('po')) and "
                        "[the city's page](https://www.cacak.rs/festival).")
    with open(po, "wb") as fp:
        write_po(fp, catalog)
    result = build(content, tmp_path, SANITIZE_HTML=True)
    body = bodies(tmp_path)["en"]
    assert "Chess" in body.select("table td")[-1].text
    assert "alert" not in body.decode()
    assert body.find("a", string="more") and not body.find("a", string="more").get("href")
    warnings = [line for line in result.stderr.splitlines() if "removed" in line]
    english = [line for line in warnings if "→ en" in line]
    assert len(english) == 1 and "festival-cacak.sr.md" in english[0]
    assert "onerror attribute of <img>" in english[0]
    assert "javascript:" not in english[0], "reported once, with the original"


def test_a_strict_build_fails_on_a_script_url(tmp_path):
    """Preview builds publish the rest; a strict build stops, naming the file."""
    root = tmp_path / "content"
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "izbori.sr.md").write_text(
        "Title: Izbori u Nišu\nDate: 2024-04-07 20:00\nAuthor: Milica Živković\n"
        "Category: Politika\n\nRezultati su [ovde][r].\n\n[r]: JavaScript:alert(1)\n",
        encoding="utf-8")
    (root / "articles" / "izbori.en.md").write_text(
        "Title: Elections in Niš\nDate: 2024-04-07 20:00\nAuthor: Milica Živković\n"
        "Category: Politics\nTranslation: true\n\nThe results are here.\n", encoding="utf-8")
    conf = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    result = run_build(root, tmp_path / "out", "--strict", settings=conf)
    assert result.returncode != 0
    assert re.search(r"izbori\.sr\.md: removed .*javascript: URL in <a href>", result.stderr)
    assert not (tmp_path / "out" / "2024" / "izbori" / "index.html").exists()
