"""Dates as Serbian journalists write them are read day first; a form that could be read
either way is an error showing the form to write."""

import pytest

from newsdesk.dates import DateError, parse_date

from .conftest import copy_content, read_html, run_build


@pytest.mark.parametrize(("written", "iso"), [
    ("03.04.2026. 14:00", "2026-04-03T14:00:00"),
    ("3.4.2026.", "2026-04-03T00:00:00"),
    ("3.4.2026", "2026-04-03T00:00:00"),
    ("3. 4. 2026. 9.30", "2026-04-03T09:30:00"),
    ("3. april 2026.", "2026-04-03T00:00:00"),
    ("3. априла 2026. у 14:00", "2026-04-03T14:00:00"),
    ("12. decembra 2025", "2025-12-12T00:00:00"),
    ("2026-04-03 14:00", "2026-04-03T14:00:00"),
])
def test_day_first_and_iso_dates(written, iso):
    assert parse_date(written).isoformat() == iso


@pytest.mark.parametrize(("written", "shown"), [
    ("03/04/2026", "write 2026-04-03 (3 April) or 2026-03-04 (4 March)"),
    ("11/30/2026", "write 2026-11-30 (30 November) (or day first with dots: 30.11.2026.)"),
    ("30-11-2026 10:00", "write 2026-11-30 10:00 (30 November)"),
    ("32.1.2026.", "is not a date"),
    ("3. smarch 2026.", "'smarch' is not a month"),
])
def test_dates_that_are_not_one_or_could_be_two_are_refused(written, shown):
    with pytest.raises(DateError, match=shown.replace("(", r"\(").replace(")", r"\)")):
        parse_date(written)


@pytest.mark.build
def test_a_dotted_date_is_published_day_first(tmp_path):
    content = copy_content(tmp_path, complete=True)
    for name, date, title in (("most.sr.md", "03.04.2026. 14:00", "Novi most u Čačku"),
                              ("most.en.md", "3.4.2026.", "New bridge in Čačak")):
        (content / "articles" / "2024" / name).write_text(
            f"Title: {title}\nDate: {date}\nAuthor: Žarko Đurić\nCategory: Društvo\n\n"
            "Tekst.\n", encoding="utf-8")
    output = tmp_path / "out"
    result = run_build(content, output, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    page = read_html(output / "2026" / "most" / "index.html")
    assert page.select_one("article time")["datetime"].startswith("2026-04-03T14:00")
    assert "3. april 2026" in page.select_one("article time").get_text()
    english = read_html(output / "en" / "2026" / "most" / "index.html")
    assert english.select_one("article time")["datetime"].startswith("2026-04-03T00:00")
