"""Articles as their authors wrote them: the raw Markdown fields that translation works on."""

import dataclasses
import functools
import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown import Markdown

from newsdesk.filenames import article_key, language_code
from newsdesk.languages import article_language
from newsdesk.memo import Memo, file_stamp
from newsdesk.paths import content_files, key_problem, link_leading_out
from newsdesk.report import where

log = logging.getLogger(__name__)

# The reader's header parser: Python-Markdown's meta extension, as Pelican's MarkdownReader.
_HEADER = Markdown(extensions=["meta"])
# The fields that are translated; the rest (date, images, authors, credits) carry over.
TRANSLATED_FIELDS = ("title", "summary", "caption", "alt", "correction")


@dataclass
class SourceArticle:
    path: Path
    key: str
    lang: str  # "": a language the site does not know
    fields: dict[str, str] = field(default_factory=dict)
    body_text: str | None = None  # None: not read yet (see `body`)

    @property
    def body(self) -> str:
        """The Markdown body (a remembered article reads it from its file when first asked)."""
        if self.body_text is None:
            self.body_text = read_source(self.path, self.lang).body
        return self.body_text

    @functools.cached_property
    def digest(self) -> str:
        """A hash of what translators translate: fields and body, white space folded."""
        text = "\n".join(" ".join(str(self.fields.get(f, "")).split()) for f in TRANSLATED_FIELDS)
        text += "\n" + " ".join(self.body.split())
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_source(path: Path | str, default_lang: str = "sr") -> SourceArticle:
    """Read the metadata header and the body of an article file."""
    fields, body = split_header(Path(path).read_text(encoding="utf-8-sig"))
    lang = article_language(language_code(path, fields, default_lang), "\n".join(
        (fields.get("title", ""), fields.get("summary", ""), body)))
    return SourceArticle(Path(path), article_key(path, fields), lang or "", fields, body)


def split_header(text: str) -> tuple[dict[str, str], str]:
    """({field: value}, body) of an article's text, the header read as the reader reads it:
    fields up to the first blank line or line that is not a field, a line indented four
    spaces continuing the field before it, empty fields left out; the body as written."""
    lines = text.split("\n")
    normalised = _HEADER.preprocessors["normalize_whitespace"].run(list(lines))
    read = len(normalised)
    rest = _HEADER.preprocessors["meta"].run(normalised)  # takes the header off the list
    meta: dict[str, list[str]] = _HEADER.Meta  # type: ignore[attr-defined]  # the extension's
    fields = {name: " ".join(values) for name, values in meta.items()
              if "".join(values).strip()}
    return fields, "\n".join(lines[read - len(rest):])


class SourceMemo(Memo):
    """Article files read in earlier builds, used again while their size and modification
    time are unchanged (the memo `sources`). Only the header is kept: the body, needed
    only to translate an article again, is read from the file then."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        super().__init__(settings, "sources")

    def read(self, path: Path | str, default_lang: str = "sr") -> SourceArticle:
        """read_source(path), a copy the caller may change."""
        stamp = file_stamp(path)
        kept = self.get(str(path))
        if kept and kept[0] == stamp and stamp:
            source = kept[1]
        else:
            source = read_source(path, default_lang)
            kept = (stamp, dataclasses.replace(source, body_text=None))
        self.put(str(path), kept)
        return dataclasses.replace(source, fields=dict(source.fields))


def find_sources(content: Path | str, article_paths: Iterable[str] = ("articles",),
                 default_lang: str = "sr") -> dict[str, dict[str, SourceArticle]]:
    """Every article file under the content folder, grouped by key: {key: {lang: source}}.
    A file reached through a link to outside the content folder, or with a key that cannot
    name an article, is reported and left out, as the build leaves it out."""
    groups: dict[str, dict[str, SourceArticle]] = {}
    for folder in article_paths:
        for path in content_files(content, folder, ".md"):
            outside = link_leading_out(content, path.relative_to(content))
            if outside:
                log.error("%s: a link to a file outside the content folder; left out",
                          where(Path(content) / outside))
                continue
            source = read_source(path, default_lang)
            problem = key_problem(source.key)
            if problem:
                log.error("%s: %s; left out", where(path), problem)
                continue
            if source.lang:
                groups.setdefault(source.key, {}).setdefault(source.lang, source)
    return groups


def in_script(source: SourceArticle, lang: str, convert: Callable[[str], str]
              ) -> SourceArticle:
    """The same article written in another script: every field and the body converted."""
    return SourceArticle(source.path, source.key, lang,
                         {k: convert(v) for k, v in source.fields.items()}, convert(source.body))
