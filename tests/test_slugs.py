"""Slugs from Serbian are made with our own table; a slug that comes out empty or is another
name's is an error naming the file and both names."""

import pytest

from newsdesk.slugs import make_slug

from .conftest import copy_content, read_html, run_build


@pytest.mark.parametrize(("text", "slug"), [
    ("Милица Јовановић", "milica-jovanovic"),
    ("позориште", "pozoriste"),
    ("ćuprija", "cuprija"),
    ("Ђорђе Шћепановић", "djordje-scepanovic"),
    ("Đorđe Šćepanović", "djordje-scepanovic"),
    ("ЉУБАВ И ЊЕГОШ", "ljubav-i-njegos"),
    ("Хаос у Чачку", "haos-u-cacku"),
    ("C++", "c-plus-plus"), ("C#", "c-sharp"), ("#MeToo", "metoo"),
    ("Notepad++ 8", "notepad-plus-plus-8"),
    ("5G/6G", "5g6g"),
])
def test_serbian_slugs_use_our_table(text, slug):
    assert make_slug(text) == slug


def test_a_cyrillic_title_gives_the_key_of_its_latin_spelling():
    assert make_slug("Нови мост у Новом Саду") == make_slug("Novi most u Novom Sadu")


CYRILLIC = """Title: Премијера у позоришту
Date: 2024-05-06 20:00
Author: Милица Јовановић, Ђорђе Шћепановић
Category: Позориште
Tags: Ћуприја, Хаос

Представа о Ћуприји.
"""

CLASHING = """Title: Programski jezici
Date: 2024-05-07 09:00
Author: Jelena Ljubičić
Category: Nauka
Tags: {tags}

Tekst o jezicima.
"""


@pytest.mark.build
def test_cyrillic_names_get_serbian_addresses(tmp_path):
    content = copy_content(tmp_path, complete=True)
    (content / "articles" / "2024" / "premijera.sr-Cyrl.md").write_text(CYRILLIC, "utf-8")
    output = tmp_path / "out"
    result = run_build(content, output)  # the English edition waits for its translation
    assert result.returncode == 0 and "ERROR" not in result.stderr, result.stderr
    for prefix in ("", "sr-cyrl/"):
        for path in ("autor/milica-jovanovic", "autor/djordje-scepanovic",
                     "kategorija/pozoriste", "tema/cuprija", "tema/haos"):
            assert (output / prefix / path / "index.html").is_file(), prefix + path
    assert not list(output.glob("**/militsa*")) and not list(output.glob("**/*tsh*"))
    english = read_html(output / "en" / "2024" / "premijera" / "index.html")
    byline = english.select_one(".byline").get_text(" ", strip=True)
    assert "Milica Jovanović" in byline and "Милица" not in byline, byline


@pytest.mark.build
def test_an_empty_or_shared_slug_is_an_error_naming_the_file_and_both_names(tmp_path):
    content = copy_content(tmp_path, complete=True)
    articles = content / "articles" / "2024"
    first = articles / "jezici.sr.md"
    first.write_text(CLASHING.format(tags="C++, Veštačka inteligencija, Programiranje"), "utf-8")
    second = articles / "jezici-drugi.sr.md"
    second.write_text(CLASHING.format(tags="🚇, C#, Vestacka inteligencija, programiranje").replace(
        "Programski jezici", "Još jezika"), "utf-8")
    output = tmp_path / "out"
    preview = run_build(content, output)
    log = preview.stdout + preview.stderr
    assert preview.returncode == 0, log
    errors = [line for line in log.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 3, log
    assert any("jezici-drugi.sr.md" in e and "'🚇'" in e for e in errors), log
    assert any("jezici-drugi.sr.md" in e and "'Vestacka inteligencija'" in e
               and "'Veštačka inteligencija'" in e and "jezici.sr.md" in e for e in errors), log
    assert any("'programiranje'" in e and "'Programiranje'" in e for e in errors), log
    assert not (output / "tema" / "index.html").exists(), "no page for an empty slug"
    page = read_html(output / "tema" / "vestacka-inteligencija" / "index.html")
    assert "Veštačka" in page.h1.get_text() and "Vestacka" not in page.get_text()
    assert "jezici-drugi" not in str(page)
    for slug, name in (("c-plus-plus", "C++"), ("c-sharp", "C#")):  # two names, two pages
        assert name in read_html(output / "tema" / slug / "index.html").h1.get_text()
    assert (output / "2024" / "jezici-drugi" / "index.html").is_file(), "the article is built"
    strict = run_build(content, output, "--strict")
    assert strict.returncode == 1


@pytest.mark.build
def test_one_name_in_either_script_is_one_name(tmp_path):
    content = copy_content(tmp_path, complete=True)
    articles = content / "articles" / "2024"
    (articles / "latinica.sr.md").write_text(
        "Title: Nova škola u Zemunu\nDate: 5.5.2024. 10:00\nAuthor: Милица Јовановић\n"
        "Category: Društvo\n\nŠkola je otvorena danas.\n", encoding="utf-8")
    (articles / "cirilica.sr.md").write_text(
        "Title: Нови трамвај у Земуну\nDate: 6.5.2024. 10:00\nAuthor: Milica Jovanović\n"
        "Category: Друштво\n\nТрамвај је кренуо данас.\n", encoding="utf-8")
    (articles / "druga.sr.md").write_text(
        "Title: Most na Savi\nDate: 7.5.2024. 10:00\nAuthor: Milica Jovanović\n"
        "Category: Društvo\n\nMost je završen.\n", encoding="utf-8")
    output = tmp_path / "out"
    result = run_build(content, output)
    assert result.returncode == 0 and "ERROR" not in result.stderr, result.stderr
    for slug in ("latinica", "cirilica", "druga"):
        byline = read_html(output / "2024" / slug / "index.html").select_one(".byline")
        assert "Milica Jovanović" in byline.get_text(), (slug, byline)
    author = read_html(output / "autor" / "milica-jovanovic" / "index.html")
    assert len(author.select(".teaser")) == 3
    section = read_html(output / "kategorija" / "drustvo" / "index.html")
    assert "Друштво" not in section.get_text()


@pytest.mark.build
def test_a_new_article_that_spells_a_section_otherwise_is_the_one_reported(tmp_path):
    """The sections, topics and authors are named as their oldest articles name them: a
    breaking story whose key sorts first and that writes its section in capitals and Cyrillic
    is one error naming it, not one for every older article of the section."""
    content = copy_content(tmp_path, complete=True)
    articles = content / "articles" / "2026"
    articles.mkdir()
    (articles / "alarm-poplave.sr.md").write_text(
        "Title: Поплаве у Лозници\nDate: 3.4.2026. 06:15\nAuthor: Ђорђе Петровић\n"
        "Category: ПОЛИТИКА\nTags: Лозница\n\nВода се повлачи.\n", encoding="utf-8")
    output = tmp_path / "out"
    preview = run_build(content, output)
    log = preview.stdout + preview.stderr
    errors = [line for line in log.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and "alarm-poplave.sr.md" in errors[0], log
    assert "'POLITIKA'" in errors[0] and "'Politika'" in errors[0], errors
    section = read_html(output / "kategorija" / "politika" / "index.html")
    assert section.h1.get_text(strip=True) == "Politika", "named as its older articles name it"
    assert len(section.select(".teaser")) == 2, "the new article is filed under it"
