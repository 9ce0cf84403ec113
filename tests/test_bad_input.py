"""Bad input: the build names the file and the problem, previews keep going, strict fails."""

import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, copy_content, read_html, run_build, write_settings

pytestmark = pytest.mark.build

GOOD_ARTICLE = "2024/litijum-jadar-analiza/index.html"

CASES = {
    "missing title": ("no-title.sr.md", "Date: 2024-01-01 10:00\nAuthor: A\n\nBody.\n",
                      "could not find information about 'title'"),
    "missing date": ("no-date.sr.md", "Title: No date\nAuthor: A\n\nBody.\n",
                     "could not find information about 'date'"),
    "unparseable date": ("bad-date.sr.md", "Title: Bad date\nDate: 31.02.2024 25:61\n\nBody.\n",
                         "Date: '31.02.2024 25:61' is not a date"),
    "ambiguous date": ("slash-date.sr.md", "Title: T\nDate: 03/04/2026\nAuthor: A\n\nB.\n",
                       "Date: '03/04/2026' could be read day first or month first; write "
                       "2026-04-03 (3 April) or 2026-03-04 (4 March)"),
    "month-first date": ("us-date.en.md", "Title: T\nDate: 11/30/2026 10:00\nAuthor: A\n\nB.\n",
                         "write 2026-11-30 10:00 (30 November)"),
    "unknown language in file name": ("deutsch.de.md", "Title: T\nDate: 2024-01-01\n\nBody.\n",
                                      "unknown language 'de'"),
    # the whole part between the dots is the language, for the build and the translation stage
    "region in file name": ("izbori.en-GB.md", "Title: T\nDate: 2024-01-01\nAuthor: A\n\nB.\n",
                            "unknown language 'en-GB'"),
    "unknown language in metadata": ("lang.md", "Title: T\nDate: 2024-01-01\nLang: xx\n\nB.\n",
                                     "unknown language 'xx'"),
    "same key and language twice": ("2023/intervju-inflacija.sr.md",
                                    "Title: Dup\nDate: 2023-01-01\nAuthor: A\n\nBody.\n",
                                    "article 'intervju-inflacija' in sr-Latn is also written in"),
    "missing lead image": ("no-image.sr.md", "Title: T\nDate: 2024-01-01\nAuthor: A\n"
                           "Image: {static}/images/nope.jpg\n\nBody.\n",
                           "lead image '{static}/images/nope.jpg' not found"),
    "missing inline image": ("no-inline.sr.md", "Title: T\nDate: 2024-01-01\nAuthor: A\n\n"
                             "![A photo]({static}/images/gone.jpg \"Caption\")\n",
                             "linked file '/images/gone.jpg' not found"),
    "file name and Lang disagree": ("mixed.en.md", "Title: T\nDate: 2024-01-01\nLang: sr\n\nB.\n",
                                    "the file name says language 'en' but Lang says 'sr'"),
    "misspelt field": ("typo-field.sr.md", "Title: T\nDate: 2024-01-01\nAuthor: A\n"
                       "Sumary: Kratko.\n\nBody.\n",
                       "unknown field 'Sumary' is ignored; did you mean Summary?"),
    "field in Serbian": ("autor.sr.md", "Title: T\nDate: 2024-01-01\nAuthor: A\n"
                         "Kategorija: Politika\n\nBody.\n",
                         "unknown field 'Kategorija' is ignored; did you mean Category?"),
    "misspelt content type": ("typo.sr.md", "Title: T\nDate: 3.4.2026.\nAuthor: A\n"
                              "Type: opinon\n\nBody.\n",
                              "unknown Type 'opinon'; did you mean 'opinion'?"),
}


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory):
    """Every bad file of CASES at once in a copy of the example content (so that one problem
    hides none of the others): the preview's and the strict build's finished processes."""
    folder = tmp_path_factory.mktemp("bad-input")
    content = copy_content(folder, complete=True)
    output = folder / "out"
    assert run_build(content, output, "--strict").returncode == 0, "the base content is clean"
    for name, text, _ in CASES.values():
        bad = content / "articles" / name
        bad.parent.mkdir(parents=True, exist_ok=True)
        bad.write_text(text, encoding="utf-8")

    preview = run_build(content, output)
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert (output / GOOD_ARTICLE).is_file()
    assert read_html(output / "index.html").select(".teaser")

    marker = output / "previous-build.txt"
    marker.write_text("old")
    strict = run_build(content, output, "--strict")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "strict build failed" in strict.stderr
    assert marker.read_text() == "old", "a failed strict build must leave the output as it was"
    assert not list(folder.glob(".out.*")), "no staging folder is left behind"
    return preview, strict


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_named_preview_builds_strict_fails(bad_site, case):
    name, _, message = CASES[case]
    for build in bad_site:
        lines = (build.stdout + build.stderr).splitlines()
        naming = [line for line in lines if message in line]
        assert len(naming) == 1 and Path(name).name in naming[0], "\n".join(lines)


def test_a_build_that_crashes_leaves_the_output_untouched(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "newsdesk" / "theme", theme)
    (theme / "templates" / "article.html").write_text("{% extends 'base.html' %}{% block x %}")
    settings = write_settings(tmp_path, THEME=str(theme))
    output = tmp_path / "out"
    output.mkdir()
    (output / "index.html").write_text("old site")
    result = run_build(ROOT / "content", output, settings=settings)
    assert result.returncode == 1
    assert "build stopped" in result.stderr
    assert (output / "index.html").read_text() == "old site"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_output_is_replaced_whole(tmp_path):
    output = tmp_path / "out"
    output.mkdir()
    (output / "stale.html").write_text("from an old build")
    assert run_build(ROOT / "content", output).returncode == 0
    assert not (output / "stale.html").exists()
    assert (output / "index.html").is_file()


def test_output_inside_content_is_refused(tmp_path):
    content = copy_content(tmp_path)
    result = run_build(content, content / "output")
    assert result.returncode == 1
    assert "must not contain or be inside the content" in result.stderr


def test_every_missing_image_is_reported_once_in_every_form(tmp_path):
    content = copy_content(tmp_path, complete=True)
    (content / "articles" / "slike.sr.md").write_text(
        "Title: Slike sa terena\nDate: 3.4.2024.\nAuthor: Ana Đurić\nCategory: Kultura\n"
        "Image: {static}/images/nema-vodece.jpg\n\n"
        '![Most na Savi]({static}/images/most.jpg "Most. [TANJUG/Ž. Živković]")\n\n'
        "Tekst ![Reka](/images/reka.jpg), ![Grad](slike/grad.png), "
        "![Spolja](https://example.org/x.jpg) i ![Metro](/images/metro-tunel.jpg).\n\n"
        "![Most opet]({static}/images/most.jpg)\n", encoding="utf-8")
    result = run_build(content, tmp_path / "out")
    problems = [line for line in result.stderr.splitlines()
                if line.startswith(("ERROR", "WARNING"))]
    assert len(problems) == 4, result.stderr
    for path in ("nema-vodece.jpg", "most.jpg", "/images/reka.jpg", "slike/grad.png"):
        naming = [line for line in problems if path in line]
        assert len(naming) == 1 and "slike.sr.md" in naming[0], (path, result.stderr)
    assert (tmp_path / "out" / "2024" / "slike" / "index.html").is_file()
