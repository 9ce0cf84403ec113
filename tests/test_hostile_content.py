"""Content is input: a content folder from someone with commit access and bad intentions (or
bad luck) builds in preview with one named error per problem, fails a strict build, reads
nothing from outside the content folder and writes nothing outside the output."""

import hashlib
import os
from pathlib import Path

import pytest
from PIL import Image

from .conftest import copy_content, read_html, run_build

pytestmark = pytest.mark.build

GOOD_ARTICLE = "2024/litijum-jadar-analiza/index.html"
SECRET = "TAJNA-VAN-SADRZAJA-čćđšž"
ARTICLE = ("Title: {title}\nDate: 2024-03-04 10:00\nAuthor: Đorđe Šćepanović\n"
           "Category: Društvo\n{extra}\n{body}\n")


def _article(content, name, title, body="Tekst članka.", extra=""):
    path = content / "articles" / "2024" / name
    path.write_text(ARTICLE.format(title=title, extra=extra, body=body), encoding="utf-8")
    return path


def _photo_with_camera_data(path):
    exif = Image.Exif()
    exif[0x010F] = "KameraProizvodjac"  # Make
    exif[0x0110] = "TajniModel 3000"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (44.0, 49.0, 1.0)  # GPSLatitudeRef, GPSLatitude
    Image.new("RGB", (64, 48), "navy").save(path, exif=exif)


def _hostile_site(tmp_path):
    """The example content with one of each problem; {case: file the error must name}."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    _photo_with_camera_data(outside / "photo.jpg")
    (outside / "nested").mkdir()
    (outside / "nested" / "notes.pdf").write_text(SECRET, encoding="utf-8")
    (outside / "clanak.sr.md").write_text(ARTICLE.format(
        title="Tuđi članak", extra="", body=SECRET), encoding="utf-8")
    (tmp_path / "victim.txt").write_text("victim", encoding="utf-8")

    content = copy_content(tmp_path, complete=True)
    images = content / "images"
    (images / "lozinke.jpg").symlink_to(outside / "photo.jpg")
    (images / "passwd.pdf").symlink_to("/etc/passwd")
    (images / "arhiva").symlink_to(outside / "nested", target_is_directory=True)
    (content / "articles" / "2024" / "tudji.sr.md").symlink_to(outside / "clanak.sr.md")
    # folders of articles: one that holds the link (read over and over if followed), one out
    (content / "articles" / "2024" / "petlja").symlink_to("..", target_is_directory=True)
    (outside / "rubrika").mkdir()
    (outside / "rubrika" / "spolja.sr.md").write_text(ARTICLE.format(
        title="Rubrika spolja", extra="", body=SECRET), encoding="utf-8")
    (content / "articles" / "rubrika").symlink_to(outside / "rubrika", target_is_directory=True)
    _photo_with_camera_data(images / "neiskorisceno.jpg")
    (images / ".env").write_text(f"AWS_SECRET_ACCESS_KEY={SECRET}\n", encoding="utf-8")
    (images / "unutra.jpg").symlink_to("metro-tunel.jpg")  # a link inside: allowed
    # links whose photo was deleted (as git checks them out), inside and outside the folder
    (images / "izbrisana.jpg").symlink_to("agencija/izbrisana-original.jpg")
    (images / "nestala.jpg").symlink_to(outside / "obrisano" / "foto.jpg")
    memory = content / "translations"
    (memory / "do-not-translate.txt").unlink()
    (memory / "do-not-translate.txt").symlink_to(outside / "secret.txt")
    (outside / "memory.po").write_text(
        f'# article: liste-cekanja-operacije\nmsgid ""\nmsgstr ""\n\nmsgid "x"\n'
        f'msgstr "{SECRET}"\n', encoding="utf-8")
    (memory / "en" / "liste-cekanja-operacije.po").unlink()
    (memory / "en" / "liste-cekanja-operacije.po").symlink_to(outside / "memory.po")

    cases = {
        "symlinked photo": "images/lozinke.jpg",
        "symlinked system file": "images/passwd.pdf",
        "symlinked folder": "images/arhiva",
        "link to a deleted photo": "images/izbrisana.jpg",
        "link to a deleted photo outside": "images/nestala.jpg",
        "symlinked article": "tudji.sr.md",
        "symlinked folder holding it": "articles/2024/petlja",
        "symlinked folder of articles": "articles/rubrika",
        "lead photo outside": _article(content, "slika-spolja.sr.md", "Slika spolja",
                                       extra="Image: {static}/../outside/photo.jpg\n"
                                             "Caption: Ćevapi. [TANJUG/Ž. Živković]").name,
        "body link outside": _article(
            content, "link-spolja.sr.md", "Link spolja",
            body="Vidi [dokument]({static}/../../victim.txt) i "
                 "![Foto]({static}/../../outside/photo.jpg \"Opis\").").name,
        "key with a path": _article(content, "kljuc-putanja.sr.md", "Ključ", extra=(
            "Key: ../../../outside/x\n")).name,
        "absolute key": _article(content, "kljuc-apsolutni.en.md", "Key", extra=(
            "Key: /tmp/x\n")).name,
        "template outside": _article(content, "sablon-spolja.sr.md", "Šablon", extra=(
            "Template: ../../outside/secret\n")).name,
        "missing template": _article(content, "sablon-nema.sr.md", "Šablon", extra=(
            "Template: clanak-posebni\n")).name,
        "control character in body": _article(
            content, "kontrolni-znak.sr.md", "Kontrolni znak", body="Pre\x07posle.").name,
        "control character in summary": _article(
            content, "kontrolni-sazetak.sr.md", "Kontrolni sažetak",
            extra="Summary: Sažetak\x1bsa znakom\n").name,
        "deeply nested list": _article(
            content, "ugnjezdeno.sr.md", "Ugnježdeno",
            body="".join("    " * depth + "- stavka\n" for depth in range(1000))).name,
        "keys that slugify alike": _article(content, "ključ.en.md", "Key one").name,
        "conflicted memory file": "translations/en/intervju-inflacija.po",
        ".env among photos": "images/.env",
        "symlinked term list": "translations/do-not-translate.txt",
        "symlinked memory file": "translations/en/liste-cekanja-operacije.po",
    }
    _article(content, "kljuc.en.md", "Key two")
    memory = content / "translations" / "en" / "intervju-inflacija.po"
    memory.write_text("<<<<<<< HEAD\n# article: intervju-inflacija\n=======\n"
                      "# article: intervju-inflacija-2\n>>>>>>> drugi-ogranak\n"
                      + memory.read_text(encoding="utf-8"), encoding="utf-8")
    return content, cases


def _snapshot(folder, skip):
    """Every file under `folder` (links not followed) but those under `skip`: its identity and
    content."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not any(
            os.path.join(dirpath, d).startswith(str(s)) for s in skip)]
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            data = os.readlink(path).encode() if os.path.islink(path) else Path(path).read_bytes()
            found[path] = (st.st_ino, st.st_mode, hashlib.sha256(data).hexdigest())
    return found


def _unchanged_but_memory(before, after, content):
    """Every file outside the translation memory (which builds write) is as it was."""
    memory = str(content / "translations") + os.sep
    assert ({p: v for p, v in after.items() if not p.startswith(memory)}
            == {p: v for p, v in before.items() if not p.startswith(memory)})


def _output_bytes(output):
    for dirpath, _dirnames, filenames in os.walk(output):
        for name in filenames:
            with open(os.path.join(dirpath, name), "rb") as fp:
                yield os.path.join(dirpath, name), fp.read()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("hostile")
    content, cases = _hostile_site(tmp_path)
    output = tmp_path / "out"
    before = _snapshot(tmp_path, skip=[output])
    preview = run_build(content, output)
    after_preview = _snapshot(tmp_path, skip=[output])
    return tmp_path, content, output, cases, preview, before, after_preview


def test_each_problem_is_one_error_naming_its_file(hostile):
    _tmp, _content, output, cases, preview, _before, _after = hostile
    log = preview.stdout + preview.stderr
    assert preview.returncode == 0, log
    problems = [line for line in log.splitlines() if line.startswith(("ERROR", "WARNING"))]
    for case, name in cases.items():
        naming = [line for line in problems if name in line]
        assert len(naming) == 1, (case, naming, log)
    assert not [line for line in problems if not any(name in line for name in cases.values())
                and "kljuc" not in line], log
    assert "Could not process" not in log
    assert (output / GOOD_ARTICLE).is_file(), "the rest of the site is built"
    assert read_html(output / "index.html").select(".teaser")


def test_nothing_outside_the_output_changes_and_nothing_from_outside_is_published(hostile):
    tmp_path, content, output, _cases, _preview, before, after_preview = hostile
    _unchanged_but_memory(before, after_preview, content)
    assert (tmp_path / "victim.txt").read_text() == "victim"
    secret_photo = (tmp_path / "outside" / "photo.jpg").read_bytes()
    for path, data in _output_bytes(output):
        assert SECRET.encode() not in data, path
        assert b"root:x:0:0" not in data, path
        assert data != secret_photo, path
    for name in ("lozinke.jpg", "passwd.pdf", "arhiva", ".env", "izbrisana.jpg", "nestala.jpg"):
        assert not (output / "images" / name).exists(), name
    assert (output / "images" / "unutra.jpg").is_file(), "a link inside the content is followed"
    memory = content / "translations" / "en" / "intervju-inflacija.po"
    assert memory.read_text(encoding="utf-8").startswith("<<<<<<< HEAD"), "left as it was"


def test_left_out_articles_are_not_published(hostile):
    _tmp, _content, output, _cases, _preview, _before, _after = hostile
    pages = {path.parent.name for path in output.glob("2024/*/index.html")}
    for slug in ("slika-spolja", "link-spolja", "sablon-spolja", "sablon-nema",
                 "kontrolni-znak", "kontrolni-sazetak", "ugnjezdeno", "tudji", "spolja"):
        assert slug not in pages, slug
    page = read_html(output / "en" / "2024" / "kljuc" / "index.html")
    assert page.h1.get_text(strip=True) == "Key two", "of two keys that slugify alike, one"


def test_every_published_photo_is_stripped_of_camera_and_location_data(hostile):
    _tmp, _content, output, _cases, _preview, _before, _after = hostile
    published = output / "images" / "neiskorisceno.jpg"
    assert published.is_file(), "an unused photo is still published"
    data = published.read_bytes()
    assert b"TajniModel" not in data and b"KameraProizvodjac" not in data
    with Image.open(published) as image:
        assert not image.getexif().get_ifd(0x8825)
        assert 0x0110 not in image.getexif()


def test_a_strict_build_fails_and_leaves_the_output_as_it_was(hostile):
    tmp_path, content, output, _cases, _preview, _before, _after = hostile
    marker = output / "previous-build.txt"
    marker.write_text("old")
    before = _snapshot(tmp_path, skip=[])
    strict = run_build(content, output, "--strict")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "strict build failed" in strict.stderr
    _unchanged_but_memory(before, _snapshot(tmp_path, skip=[]), content)
    assert not list(tmp_path.glob(".out.new-*"))
