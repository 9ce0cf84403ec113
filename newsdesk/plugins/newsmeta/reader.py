"""Pelican's Markdown reader, saying which file it could not read and why, reusing one
Markdown instance for every file (Pelican sets up a new one, with all its extensions, per file),
and making the HTML of each file's body and summary safe (newsdesk.sanitize). The other
script's version is made from that HTML; machine translations are made safe the same way.

A file that cannot be read is reported once, naming it and what is wrong, and left out of the
site: its reading ends in a stub with status `skip`, which Pelican drops without a word of its
own. Such files: a link whose target is outside the content folder, text that is not UTF-8,
control characters, lists or quotes nested too deeply, a date that is not a date.
"""

import logging
import os
import re
from collections.abc import Mapping
from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pelican.readers import MarkdownReader
from pelican.urlwrappers import URLWrapper
from pelican.utils import pelican_open

from newsdesk.dates import DateError, parse_date
from newsdesk.fields import FIELDS, OTHER_FIELDS, nearest_field
from newsdesk.paths import link_leading_out
from newsdesk.report import where
from newsdesk.sanitize import clean_html, report_removed
from newsdesk.slugs import with_slug

log = logging.getLogger(__name__)
# C0 and C1 control characters other than tab, line feed and carriage return: invisible in an
# editor, invalid in XML feeds.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LEFT_OUT = {"status": "skip"}
DATE_FIELDS = ("date", "modified")
MAX_NESTING = 32  # levels of lists or quotes in an article


class Unreadable(Exception):
    """An article file that cannot be made into an article; the message says why."""


class NewsMarkdownReader(MarkdownReader):
    _markdown: Markdown | None = None
    # the metadata preprocessor and its priority, which Pelican deregisters: set with _markdown
    _meta: tuple[Preprocessor, float]
    _md: Any  # Pelican's name for the Markdown of the file read; the meta extension adds .Meta

    def process_metadata(self, name: str, value: str) -> Any:
        """Dates as newsdesk.dates reads them; categories, tags and authors get their slugs
        by newsdesk.slugs."""
        if name in DATE_FIELDS:
            try:
                return parse_date(value)
            except DateError as exc:
                raise DateError(f"{name.capitalize()}: {exc}") from None
        processed = super().process_metadata(name, value)
        for item in processed if isinstance(processed, list) else [processed]:
            if isinstance(item, URLWrapper):
                with_slug(item)
        return processed

    def _parse_metadata(self, meta: Mapping[str, list[str]]) -> dict[str, Any]:
        """A field left empty (`Modified:`) counts as not given."""
        given = {name: values for name, values in meta.items() if "".join(values).strip()}
        return super()._parse_metadata(given)

    def _reset_markdown(self) -> Markdown:
        """This reader's Markdown instance, as Pelican would set it up for a new file."""
        if self._markdown is None:
            self._markdown = Markdown(**self.settings["MARKDOWN"])
            registry = self._markdown.preprocessors
            # Markdown's Registry has no public way to read a priority, nor its stubs _priority
            self._meta = registry["meta"], next(
                item.priority for item in registry._priority  # type: ignore[attr-defined]
                if item.name == "meta")
        elif "meta" not in self._markdown.preprocessors:
            preprocessor, priority = self._meta
            self._markdown.preprocessors.register(preprocessor, "meta", priority)
        self._markdown.reset()
        return self._markdown

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """(HTML, metadata), or an empty stub with status `skip` after one error naming the
        file."""
        try:
            return self._read(source_path)
        except Unreadable as exc:
            log.error("%s: %s", where(source_path), exc)
            return "", dict(LEFT_OUT)

    def _read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        outside = link_leading_out(self.settings["PATH"], _relative(source_path, self.settings))
        if outside:
            raise Unreadable(f"'{outside}' is a link to a file outside the content folder; "
                             "left out")
        self._source_path = source_path
        self._md = self._reset_markdown()
        try:
            with pelican_open(source_path) as text:
                _check_characters(text)
                _check_nesting(text)
                content = self._md.convert(text)
            _check_fields(source_path, self._md.Meta)
            return self._safe(content, self._parse_metadata(self._md.Meta))
        except UnicodeDecodeError:
            raise Unreadable("not UTF-8 text; save the file as UTF-8") from None
        except RecursionError:
            raise Unreadable("lists or quotes nested too deeply to convert; "
                             "flatten them") from None
        except ValueError as exc:
            raise Unreadable(str(exc)) from None

    def _safe(self, content: str, metadata: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The body and summary without what newsdesk.sanitize removes, which is reported
        and noted as `html_removed` (so that a translation reports only what it adds)."""
        content, removed = clean_html(content, self.settings)
        if "summary" in metadata:
            metadata["summary"], more = clean_html(metadata["summary"], self.settings)
            removed += more
        if removed:
            metadata["html_removed"] = removed
            report_removed(where(self._source_path), removed, self.settings)
        return content, metadata


def _relative(source_path: str, settings: Mapping[str, Any]) -> str:
    return os.path.relpath(os.path.abspath(source_path), os.path.abspath(settings["PATH"]))


def _check_fields(source_path: str, meta: Mapping[str, object]) -> None:
    """A warning for each field that is not one (a typo, a field in another language)."""
    for name in meta:
        if name not in FIELDS + OTHER_FIELDS:
            nearest = nearest_field(name)
            hint = f"; did you mean {nearest.capitalize()}?" if nearest else ""
            log.warning("%s: unknown field '%s' is ignored%s", where(source_path),
                        name.capitalize(), hint)


def _check_nesting(text: str) -> None:
    """Lists and quotes nested deeper than MAX_NESTING are refused before Markdown sees them
    (its time grows with the square of the depth: a few thousand levels take minutes)."""
    for number, line in enumerate(text.splitlines(), 1):
        body = line.lstrip(" \t")
        indent = len(line[: len(line) - len(body)].expandtabs(4))
        quotes = body[: len(body) - len(body.lstrip("> \t"))].count(">")
        if indent > 4 * MAX_NESTING or quotes > MAX_NESTING:
            raise Unreadable(f"line {number}: lists or quotes nested more than {MAX_NESTING} "
                             "levels deep; flatten them")


def _check_characters(text: str) -> None:
    match = CONTROL_RE.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - text.rfind("\n", 0, match.start())
        raise Unreadable(f"line {line}, column {column}: invisible control character "
                         f"U+{ord(match.group()):04X}; delete it")


def use_news_reader(readers: Any) -> None:
    for extension in NewsMarkdownReader.file_extensions:
        if extension in readers.reader_classes:
            readers.reader_classes[extension] = NewsMarkdownReader
