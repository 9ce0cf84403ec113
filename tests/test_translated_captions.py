"""Captions and credits of photos in the text, in machine translations and the Cyrillic
edition: the caption shown as the translation wrote it, the credit as the author wrote it."""

import xml.etree.ElementTree as ET

import pytest
from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup
from PIL import Image

from .conftest import iptc_jpeg, read_html, run_build, write_settings

pytestmark = pytest.mark.build

ATOM = "{http://www.w3.org/2005/Atom}"
CREDIT = "BETA/Žarko Čolić"
LEAD_CREDIT = "Tanjug/Žarko Čolić"
CAPTION = ("Vladajuća koalicija (&quot;Srbija ne sme da stane&quot;) u sali <script>alert(1)"
           "</script> & „ostali“ [uživo] Skupštine.")
ARTICLE = f"""Title: Skupština o 5G/6G mreži u Srbiji
Date: 3.4.2026. 14:00
Author: Đorđe Šćepanović
Category: Tehnologija
Tags: 5G/6G, C++
Summary: Poslanici su raspravljali o novoj mreži.
Image: {{static}}/images/toranj.jpg
Caption: Toranj mreže na Avali. [{LEAD_CREDIT}]
Alt: Toranj na Avali

Nova mreža stiže u Beograd, Novi Sad i Niš do kraja godine.

![Sednica Skupštine]({{static}}/images/sala.jpg "{CAPTION} [{CREDIT}]")

Operateri još nisu objavili cene paketa.
"""
# What editors or a provider put in the memory for the photo in the text, as written.
HOSTILE_EN = ('The ruling coalition ("Serbia must not stop") in the hall <script>alert(1)'
              '</script> & "the others" [live].')
PAGE = "en/2026/skupstina/index.html"


@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    (root / "articles").mkdir(parents=True)
    (root / "images").mkdir()
    Image.new("RGB", (64, 36), (90, 120, 150)).save(root / "images" / "toranj.jpg")
    # the photo's own credit, which an author's credit overrides
    iptc_jpeg(root / "images" / "sala.jpg", (64, 36), {(2, 120): "IPTC opis", (2, 110): "IPTC"})
    (root / "articles" / "skupstina.sr.md").write_text(ARTICLE, encoding="utf-8")
    return root


def build(content, tmp_path, *flags, env=None):
    settings = write_settings(tmp_path, MT_BACKOFF=0.01, MT_TIMEOUT=(1, 1), MT_RETRIES=0)
    return run_build(content, tmp_path / "out", *flags, settings=settings, env=env)


def translated_by_provider(content, tmp_path, server):
    """A first build, translating the article with the fake provider into the memory."""
    result = build(content, tmp_path, env={"MT_PROVIDER": "libre", "MT_URL": server.url})
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def set_entry(content, kind, starts, translation, reviewed):
    """Write an entry of the English memory by hand, as an editor in Poedit would."""
    path = content / "translations" / "en" / "skupstina.po"
    with open(path, "rb") as fp:
        catalog = read_po(fp)
    message = next(m for m in catalog if m.context == kind and m.id.startswith(starts))
    message.string = translation
    message.flags = set() if reviewed else {"fuzzy"}
    with open(path, "wb") as fp:
        write_po(fp, catalog)


def figure_in_text(html):
    figures = html.select(".story-body figure.figure")
    assert len(figures) == 1, html.select_one(".story-body")
    return figures[0]


def caption_text(figure):
    return "".join(str(s) for s in figure.figcaption.contents if isinstance(s, str)).strip()


def atom_figure(out):
    entry = ET.parse(out / "en/feeds/all.atom.xml").getroot().find(f"{ATOM}entry")
    return BeautifulSoup(entry.findtext(f"{ATOM}content"), "html.parser").select_one("figure")


def test_the_credit_of_a_photo_in_the_text_is_never_sent(content, tmp_path, server):
    translated_by_provider(content, tmp_path, server)
    sent = server.texts()
    captions = [t for t in sent if t.startswith("Vladajuća koalicija")]
    assert len(captions) == 1 and not any("Čolić" in t or "BETA" in t for t in sent), sent
    with open(content / "translations/en/skupstina.po", "rb") as fp:
        msgids = [m.id for m in read_po(fp) if m.context == "caption"]
    assert sorted(msgids) == ["Toranj mreže na Avali.", " ".join(CAPTION.split())]
    figure = figure_in_text(read_html(tmp_path / "out" / PAGE))
    assert caption_text(figure).startswith("EN: Vladajuća koalicija")
    assert figure.select_one(".credit").text == CREDIT


@pytest.mark.parametrize("reviewed", [False, True], ids=["machine", "reviewed"])
def test_a_translated_caption_is_shown_as_written(content, tmp_path, server, reviewed):
    translated_by_provider(content, tmp_path, server)
    set_entry(content, "caption", "Vladajuća koalicija", HOSTILE_EN, reviewed)
    result = build(content, tmp_path, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    out = tmp_path / "out"
    html = read_html(out / PAGE)
    assert [s.get("type") for s in html.select("script")] == ["application/ld+json"]
    for figure in (figure_in_text(html), atom_figure(out)):
        assert figure.img["alt"] == "EN: Sednica Skupštine"
        assert caption_text(figure) == HOSTILE_EN
        assert [c.text for c in figure.select(".credit")] == [CREDIT]
        assert "”)" not in figure.parent.text and "&rdquo;" not in str(figure.parent)


@pytest.mark.parametrize("translation", ["Deputies in the hall.",
                                         "Deputies in the hall. [FoNet/Pera Perić]"],
                         ids=["dropped", "changed"])
def test_the_authors_credit_whatever_the_translation_says(content, tmp_path, server,
                                                          translation):
    translated_by_provider(content, tmp_path, server)
    set_entry(content, "caption", "Vladajuća koalicija", translation, reviewed=True)
    build(content, tmp_path)
    figure = figure_in_text(read_html(tmp_path / "out" / PAGE))
    assert caption_text(figure) == translation
    assert [c.text for c in figure.select(".credit")] == [CREDIT]


def test_credits_stay_as_written_in_the_cyrillic_edition(content, tmp_path):
    assert build(content, tmp_path).returncode == 0
    html = read_html(tmp_path / "out/sr-cyrl/2026/skupstina/index.html")
    assert html.select_one(".lead-figure .credit").text == LEAD_CREDIT
    figure = figure_in_text(html)
    assert caption_text(figure).startswith("Владајућа коалиција")
    assert figure.select_one(".credit").text == CREDIT


def test_a_photo_that_loses_its_figure_is_an_error(content, tmp_path, server):
    translated_by_provider(content, tmp_path, server)
    set_entry(content, "alt", "Sednica", "Deputies ] in the hall", reviewed=True)
    preview = build(content, tmp_path)
    assert preview.returncode == 0, preview.stderr
    assert ("skupstina.sr.md → en: 1 photo(s) in the text lost their figure" in preview.stderr
            and "translations/en/skupstina.po" in preview.stderr), preview.stderr
    # the page waits, shown in the original, with its figure
    html = read_html(tmp_path / "out" / PAGE)
    assert caption_text(figure_in_text(html)).startswith("Vladajuća koalicija")
    assert build(content, tmp_path, "--strict").returncode == 1


def test_a_caption_remembered_with_its_credit_keeps_its_translation(tmp_path):
    """A memory written when an in-text caption's credit was part of its text: the entry moves
    to the caption alone, reviewed as it was, and the strict build asks nothing."""
    from .conftest import copy_content

    content = copy_content(tmp_path)
    memory = content / "translations" / "en" / "citaonice-nocu.po"
    old = memory.read_text(encoding="utf-8").replace(
        'msgid "Većina čitaonica zatvara se u 20 časova."\n'
        'msgstr "Most reading rooms close at 8 p.m."',
        'msgid "Većina čitaonica zatvara se u 20 časova. [Ilustracija: Pregled]"\n'
        'msgstr "Most reading rooms close at 8 p.m. [Ilustracija: Pregled]"')
    assert "[Ilustracija: Pregled]" in old
    memory.write_text(old, encoding="utf-8")
    result = run_build(content, tmp_path / "out", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    figure = read_html(tmp_path / "out" / "en" / "2024" / "citaonice-nocu" / "index.html"
                       ).select("figure figcaption")
    assert any("Most reading rooms close at 8 p.m." in f.text and "Ilustracija: Pregled" in f.text
               for f in figure)
    with memory.open("rb") as fp:
        catalog = read_po(fp)
    entry = catalog.get("Većina čitaonica zatvara se u 20 časova.", context="caption")
    assert entry is not None and entry.string == "Most reading rooms close at 8 p.m."
    assert "fuzzy" not in entry.flags, "reviewed as it was"
    assert not catalog.obsolete
