"""Dates as authors write them: ISO (`2026-04-03 14:00`), day first with dots as Serbians write
them (`3.4.2026.`, `03.04.2026. 14:00`), or with the month's name (`3. april 2026.`,
`3. априла 2026`). Never month first: a form that could be either (`03/04/2026`) is an error
that shows the ISO form to use."""

import datetime as dt
import re

from pelican.utils import SafeDatetime, get_date

from newsdesk.transliterate import to_latin

TIME = r"(?:[ T,]+(?:[uу]\s+)?(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?)?"
DOTTED_RE = re.compile(
    r"^(?P<day>\d{1,2})\.\s*(?P<month>\d{1,2})\.\s*(?P<year>\d{4})\.?" + TIME + r"\s*$")
NAMED_RE = re.compile(
    r"^(?P<day>\d{1,2})\.?\s+(?P<name>[^\W\d_]+)\.?,?\s+(?P<year>\d{4})\.?" + TIME + r"\s*$")
AMBIGUOUS_RE = re.compile(r"^(?P<a>\d{1,2})[/-](?P<b>\d{1,2})[/-](?P<year>\d{4})(?P<rest>.*)$")
ISO_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
# Serbian and English month names by their first letters, in Latin script.
MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "may": 5, "jun": 6, "jul": 7,
          "avg": 8, "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


class DateError(ValueError):
    """A date that is not one, or could be two; the message says what to write."""


def parse_date(text: object) -> dt.datetime:
    """The date and time an author wrote."""
    value = " ".join(str(text).split())
    if ISO_RE.match(value):
        return get_date(value)
    match = DOTTED_RE.match(value)
    if match:
        return _made(value, match, int(match["month"]))
    match = NAMED_RE.match(value)
    if match:
        month = MONTHS.get(to_latin(match["name"]).lower()[:3])
        if month is None:
            raise DateError(f"'{value}': '{match['name']}' is not a month")
        return _made(value, match, month)
    match = AMBIGUOUS_RE.match(value)
    if match:
        raise DateError(_ambiguous(value, match))
    raise DateError(f"'{value}' is not a date; write it as 2026-04-03 14:00 or 3.4.2026. 14:00")


def _made(value: str, match: re.Match[str], month: int) -> SafeDatetime:
    try:
        return SafeDatetime(int(match["year"]), month, int(match["day"]),
                            int(match["hour"] or 0), int(match["minute"] or 0),
                            int(match["second"] or 0))
    except ValueError as exc:
        raise DateError(f"'{value}' is not a date ({exc})") from None


def _ambiguous(value: str, match: re.Match[str]) -> str:
    a, b, year = int(match["a"]), int(match["b"]), match["year"]
    rest = match["rest"].strip()
    time = f" {rest}" if rest else ""
    readings = [(day, month) for day, month in ((a, b), (b, a)) if month <= 12 and day <= 31]
    readings = list(dict.fromkeys(readings))
    forms = " or ".join(f"{year}-{month:02d}-{day:02d}{time} ({day} {MONTH_NAMES[month - 1]})"
                        for day, month in readings)
    dotted = " or ".join(f"{day}.{month}.{year}.{time}" for day, month in readings)
    return (f"'{value}' could be read day first or month first; write {forms or 'YYYY-MM-DD'}"
            f" (or day first with dots: {dotted or '3.4.2026.'})")
