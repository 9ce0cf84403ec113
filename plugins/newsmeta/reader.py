"""Pelican's Markdown reader, saying which file it could not read and why, reusing one
Markdown instance for every file (Pelican sets up a new one, with all its extensions, per file),
and making the HTML of each file's body and summary safe (newsdesk.sanitize). The other
script's version is made from that HTML; machine translations are made safe the same way."""

import logging

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from newsdesk.report import where
from newsdesk.sanitize import clean_html, report_removed

log = logging.getLogger(__name__)


class NewsMarkdownReader(MarkdownReader):
    _markdown = None
    _meta = None  # the metadata preprocessor and its priority, which Pelican deregisters

    def _parse_metadata(self, meta):
        """A field left empty (`Modified:`) counts as not given."""
        given = {name: values for name, values in meta.items() if "".join(values).strip()}
        return super()._parse_metadata(given)

    def _reset_markdown(self):
        """This reader's Markdown instance, as Pelican would set it up for a new file."""
        if self._markdown is None:
            self._markdown = Markdown(**self.settings["MARKDOWN"])
            registry = self._markdown.preprocessors
            self._meta = registry["meta"], next(
                item.priority for item in registry._priority if item.name == "meta")
        elif "meta" not in self._markdown.preprocessors:
            preprocessor, priority = self._meta
            self._markdown.preprocessors.register(preprocessor, "meta", priority)
        self._markdown.reset()
        return self._markdown

    def read(self, source_path):
        try:
            self._source_path = source_path
            self._md = self._reset_markdown()
            with pelican_open(source_path) as text:
                content = self._md.convert(text)
            return self._safe(content, self._parse_metadata(self._md.Meta))
        except UnicodeDecodeError:
            log.error("%s: not UTF-8 text; save the file as UTF-8", where(source_path))
            raise
        except ValueError as exc:
            hint = " (write Date: YYYY-MM-DD HH:MM)" if "date" in str(exc) else ""
            log.error("%s: %s%s", where(source_path), exc, hint)
            raise

    def _safe(self, content, metadata):
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


def use_news_reader(readers):
    for extension in NewsMarkdownReader.file_extensions:
        if extension in readers.reader_classes:
            readers.reader_classes[extension] = NewsMarkdownReader
