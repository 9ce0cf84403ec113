"""Pelican's Markdown reader, saying which file it could not read and why."""

import logging

from pelican.readers import MarkdownReader

from newsdesk.report import where

log = logging.getLogger(__name__)


class NewsMarkdownReader(MarkdownReader):
    def _parse_metadata(self, meta):
        """A field left empty (`Modified:`) counts as not given."""
        given = {name: values for name, values in meta.items() if "".join(values).strip()}
        return super()._parse_metadata(given)

    def read(self, source_path):
        try:
            return super().read(source_path)
        except UnicodeDecodeError:
            log.error("%s: not UTF-8 text; save the file as UTF-8", where(source_path))
            raise
        except ValueError as exc:
            hint = " (write Date: YYYY-MM-DD HH:MM)" if "date" in str(exc) else ""
            log.error("%s: %s%s", where(source_path), exc, hint)
            raise


def use_news_reader(readers):
    for extension in NewsMarkdownReader.file_extensions:
        if extension in readers.reader_classes:
            readers.reader_classes[extension] = NewsMarkdownReader
