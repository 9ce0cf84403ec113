"""Figures: markup, captions and credits, photo metadata, responsive copies, bad images."""

import re

import pytest
from PIL import Image

from .conftest import iptc_jpeg, read_html, run_build, write_settings

pytestmark = pytest.mark.build

ARTICLE = """Title: Poplave u Obrenovcu
Date: 2024-03-01 10:00
Author: Nikola Đorđević
Category: Društvo
Image: {static}/images/lead.jpg
{lead_fields}
Prvi pasus.

![Reka se izlila]({static}/images/inline.jpg "Sava kod Obrenovca. [Tanjug/ANA MARKOVIĆ]")

![Pogled sa nasipa]({static}/images/agency.jpg)

Tekst sa ![malom ikonom]({static}/images/small.png) u redu.

![""]({static}/images/ornament.png)
"""

XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
       b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
       b'xmlns:dc="http://purl.org/dc/elements/1.1/" '
       b'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"><dc:description><rdf:Alt>'
       b'<rdf:li xml:lang="x-default">Nasip kod Obrenovca &amp; reka Sava</rdf:li></rdf:Alt>'
       b'</dc:description><photoshop:Credit>EPA-EFE</photoshop:Credit><dc:creator><rdf:Seq>'
       b'<rdf:li>ANDREJ CUKIC</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF>'
       b'</x:xmpmeta>')


def camera_exif(orientation=1):
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0110] = "Model X100"  # Model
    exif[0x8825] = {1: "N", 2: (44.0, 39.0, 50.0), 3: "E", 4: (20.0, 4.0, 0.0)}  # GPS
    return exif.tobytes()


@pytest.fixture
def site(tmp_path):
    """A content folder with photos of every kind, built once; returns a function to build."""
    content = tmp_path / "content"
    images = content / "images"
    images.mkdir(parents=True)
    (content / "articles").mkdir()
    iptc_jpeg(images / "lead.jpg", (1000, 600),
              {(2, 120): "Voda je u noći probila nasip.", (2, 110): "Tanjug",
               (2, 80): "ZORAN ŽESTIĆ"}, exif=camera_exif(orientation=6))
    iptc_jpeg(images / "inline.jpg", (2400, 1350), {(2, 120): "IPTC caption the author overrode",
                                                     (2, 110): "IPTC credit"})
    Image.new("RGB", (1600, 900), (30, 90, 60)).save(images / "agency.jpg", xmp=XMP)
    Image.new("RGB", (40, 40), (0, 0, 0)).save(images / "small.png")
    Image.new("RGB", (300, 20), (200, 200, 200)).save(images / "ornament.png")
    return content


def write_article(content, lead_fields="", text=ARTICLE):
    (content / "articles" / "poplave.sr.md").write_text(
        text.replace("{lead_fields}", lead_fields), encoding="utf-8")


def build(content, tmp_path, *flags, settings=None):
    settings = settings or write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    return run_build(content, tmp_path / "out", *flags, settings=settings)


def test_figures_captions_credits_and_photo_metadata(site, tmp_path):
    write_article(site)
    result = build(site, tmp_path)
    assert result.returncode == 0, result.stderr
    html = read_html(tmp_path / "out/2024/poplave/index.html")
    lead = html.select_one("figure.lead-figure")
    # no caption or credit in the article: both come from the photo's IPTC fields
    assert lead.figcaption.contents[0].strip() == "Voda je u noći probila nasip."
    assert lead.select_one(".credit").text == "Tanjug/ZORAN ŽESTIĆ"
    figures = html.select(".story-body figure.figure")
    assert len(figures) == 3
    # the author's caption and credit win over the file's
    assert figures[0].figcaption.contents[0].strip() == "Sava kod Obrenovca."
    assert figures[0].select_one(".credit").text == "Tanjug/ANA MARKOVIĆ"
    assert figures[0].img["alt"] == "Reka se izlila"
    # XMP description and credit, with the photographer
    assert figures[1].figcaption.contents[0].strip() == "Nasip kod Obrenovca & reka Sava"
    assert figures[1].select_one(".credit").text == "EPA-EFE/ANDREJ CUKIC"
    # an image inside a sentence stays inline; a decorative one has an empty alt on purpose
    inline = html.select_one(".story-body p img")
    assert inline["alt"] == "malom ikonom"
    assert figures[2].img["alt"] == "" and not figures[2].figcaption
    assert "alt text" not in result.stderr


def test_author_lead_caption_wins(site, tmp_path):
    write_article(site, "Caption: Spasioci u čamcu.\nCredit: Reuters/MARKO DJURICA\n")
    build(site, tmp_path)
    lead = read_html(tmp_path / "out/2024/poplave/index.html").select_one("figure.lead-figure")
    assert lead.figcaption.contents[0].strip() == "Spasioci u čamcu."
    assert lead.select_one(".credit").text == "Reuters/MARKO DJURICA"


def test_responsive_copies(site, tmp_path):
    write_article(site)
    build(site, tmp_path)
    out = tmp_path / "out"
    html = read_html(out / "2024/poplave/index.html")
    lead = html.select_one("figure.lead-figure picture")
    img = lead.img
    # EXIF orientation 6: the 1000×600 photo stands upright, 600×1000
    assert (img["width"], img["height"]) == ("600", "1000")
    assert img["fetchpriority"] == "high" and "loading" not in img.attrs
    webp = lead.source
    assert webp["type"] == "image/webp"
    widths = [int(w) for w in re.findall(r" (\d+)w", webp["srcset"])]
    assert widths == [480, 600], "never upscaled"
    big = html.select(".story-body figure.figure picture")[0]
    assert [int(w) for w in re.findall(r" (\d+)w", big.source["srcset"])] == [
        480, 800, 1200, 1600, 2000]
    assert big.img["loading"] == "lazy" and big.img["width"] == "2400"
    for url in re.findall(r"(\S+) \d+w", big.source["srcset"] + ", " + big.img["srcset"]):
        path = out / url.lstrip("/")
        assert path.is_file() and path.stat().st_size > 0, url
    for fmt, width in (("webp", 800), ("jpg", 2000)):
        url = next(u for u in re.findall(r"(\S+) \d+w", big.source["srcset"] + ", "
                                         + big.img["srcset"]) if u.endswith(f"-{width}.{fmt}"))
        with Image.open(out / url.lstrip("/")) as copy:
            assert copy.width == width and copy.format == ("WEBP" if fmt == "webp" else "JPEG")
    # no camera or location data in anything published
    for path in [out / "images/lead.jpg", *(out / "images/_r").glob("*.jpg")]:
        with Image.open(path) as published:
            exif = published.getexif()
            assert 0x8825 not in exif and 0x010F not in exif and 0x0110 not in exif, path
    with Image.open(out / "images/lead.jpg") as published:
        assert published.size == (600, 1000)
    sizes = {p.stat().st_size for p in (out / "images/_r").glob("*-480.webp")}
    assert all(s < (site / "images/inline.jpg").stat().st_size / 3 for s in sizes)


def test_unchanged_images_are_not_processed_again(site, tmp_path):
    write_article(site)
    first = build(site, tmp_path)
    assert "images: 5 processed, 0 unchanged" in first.stdout
    second = build(site, tmp_path)
    assert "images: 0 processed, 5 unchanged" in second.stdout
    Image.new("RGB", (50, 50), (1, 2, 3)).save(site / "images" / "small.png")
    third = build(site, tmp_path)
    assert "images: 1 processed, 4 unchanged" in third.stdout


def test_missing_alt_text_is_reported(site, tmp_path):
    write_article(site, text=ARTICLE.replace("![Pogled sa nasipa]", "![]"))
    preview = build(site, tmp_path)
    assert preview.returncode == 0
    assert "poplave.sr.md: image images/agency.jpg has no alt text" in preview.stderr
    assert "WARNING" in preview.stderr
    strict = build(site, tmp_path, "--strict")
    assert strict.returncode == 1 and "ERROR: " in strict.stderr and "no alt text" in strict.stderr


@pytest.mark.parametrize("name,make,message", [
    ("broken.jpg", lambda p: p.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 50),
     "not a readable image"),
    ("notes.jpg", lambda p: p.write_text("this is not a photo"), "not a readable image"),
    ("truncated.jpg", lambda p: p.write_bytes(_jpeg_bytes()[:400]), "damaged image"),
    ("huge.png", lambda p: Image.new("1", (9000, 9000)).save(p), "more than the"),
])
def test_bad_images_are_named_and_the_rest_builds(site, tmp_path, name, make, message):
    make(site / "images" / name)
    write_article(site, text=ARTICLE + f"\n![Loša slika]({{static}}/images/{name})\n")
    result = build(site, tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.search(rf"poplave\.sr\.md: image images/{re.escape(name)}: .*{message}",
                     result.stderr), result.stderr
    html = read_html(tmp_path / "out/2024/poplave/index.html")
    assert html.select_one("figure.lead-figure picture"), "the rest of the page is built"
    assert build(site, tmp_path, "--strict").returncode == 1


def _jpeg_bytes():
    from io import BytesIO

    buffer = BytesIO()
    Image.new("RGB", (800, 600), (10, 200, 30)).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()
