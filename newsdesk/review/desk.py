"""What waits for review in the translation memory, and the editor's writes to it.

An article's segments are the ones the translation stage translates (newsdesk.translate), each
addressed by a hash of its memory entry; the memory file is found from the article's key and
edition, both checked against the site's own articles, never from a path in a request. Every
write goes through newsdesk.memory (atomic, under its lock, the PO file as the build writes it).
"""

import datetime as dt
import getpass
import hashlib
import os
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from newsdesk import processes
from newsdesk.dates import DateError, parse_date
from newsdesk.memory import MACHINE_FLAG, REVIEWED_BY, MemoryFile
from newsdesk.paths import is_within
from newsdesk.providers import Provider, TranslationUnavailable
from newsdesk.review.editing import editable, likeness, made_safe
from newsdesk.segments import (
    BrokenMarkup,
    markdown_text,
    normalise,
    plain_text,
    protect,
    split_markdown,
)
from newsdesk.segments import Segment as Piece
from newsdesk.sources import SourceArticle, find_sources
from newsdesk.translate import (
    GLOSSARY,
    TranslationStage,
    article_tags,
    edition_roles,
    field_segments,
    original_version,
    status_report,
    translation_sources,
)
from newsdesk.transliterate import serbian_in_latin

STATES = ("machine", "pending", "outdated", "reviewed")  # in the order the list names them
TO_REVIEW = ("machine", "pending", "outdated")
OUTDATED_LIKENESS = 0.5  # an old reviewed original at least this alike is the segment's old text


class Refused(Exception):
    """A request the desk does not carry out; `word` names why (newsdesk.review.words)."""

    def __init__(self, word: str, status: int = 400, detail: str = ""):
        super().__init__(word)
        self.word, self.status, self.detail = word, status, detail


@dataclass
class Segment:
    """One entry of an article's memory (or of the glossary) as the desk shows it."""

    ident: str
    kind: str  # title, summary, paragraph, ..., category, tag
    original: str  # the memory's msgid
    translation: str  # its msgstr; "" while pending
    state: str  # one of STATES
    tokens: list[str]  # the original's protected parts, by placeholder number
    sent: str  # the original as a provider gets it: its protected parts as placeholders
    quote: Callable[[str], str]
    glossary: bool = False
    reviewed_by: str = ""
    previous: str = ""  # outdated: the original the last review was of
    previous_translation: str = ""

    @property
    def stamp(self) -> str:
        """What the segment held when the editor opened it (a save of something else fails)."""
        return hashlib.sha256(f"{self.state}\0{self.translation}".encode()).hexdigest()[:16]

    @property
    def shown(self) -> str:
        """The text the desk puts in the segment's field (newsdesk.review.editing.editable)."""
        return editable(self.translation or self.previous_translation, self.tokens, self.quote)

    def unchanged(self, text: str) -> bool:
        """Whether `text` is the stored translation as the desk showed it."""
        return bool(self.translation) and normalise(text) == normalise(self.shown)


@dataclass
class ArticleReview:
    key: str
    target: str
    source: SourceArticle
    segments: list[Segment] = field(default_factory=list)
    broken: str = ""  # why the memory file cannot be read (it is then left as it is)

    @property
    def counts(self) -> Counter:
        return Counter(segment.state for segment in self.segments)


@dataclass
class Row:
    """One article in one edition, in the desk's list."""

    key: str
    target: str
    # Each of STATES one of its segments is in; ("human",) for an outdated human translation.
    states: tuple[str, ...]
    title: str
    source_lang: str
    date: dt.datetime | None
    counts: Counter
    detail: str = ""


def reviewer_name(folder: Path) -> str:
    """Who signs reviews: REVIEWER, else Git's user.name, else the login name; one line."""
    name = os.environ.get("REVIEWER", "")
    if not name.strip():
        try:
            name = processes.run(["git", "config", "user.name"], cwd=folder, timeout=10,
                                 capture_output=True, text=True, check=False).stdout
        except OSError:
            name = ""
    return " ".join(name.split()) or getpass.getuser()


def signature(name: str, when: dt.datetime | None = None) -> str:
    """The translator's comment of a reviewed entry: `Reviewed-by: NAME, TIME`."""
    when = when or dt.datetime.now().astimezone()
    return f"{REVIEWED_BY}{name}, {when.isoformat(timespec='minutes')}"


class Desk:
    """The memory of one site's content folder, as editors review it."""

    def __init__(self, settings: dict, content: Path, reviewer: str):
        self.settings, self.content, self.reviewer = settings, Path(content), reviewer
        self.root = self.content / settings.get("TRANSLATION_MEMORY", "translations")
        self.targets = list(settings.get("MT_TARGETS", ["sr-Latn", "en"]))
        self.lock = threading.Lock()  # one write at a time

    # -- reading -------------------------------------------------------------------------------

    def _groups(self) -> dict:
        return find_sources(self.content, self.settings.get("ARTICLE_PATHS", ["articles"]),
                            self.settings.get("DEFAULT_LANG", "sr"))

    def rows(self) -> list[Row]:
        """Every article with a translation an editor may look at, newest first."""
        groups = self._groups()
        rows = []
        for key, target, state, detail in status_report(self.settings, self.content):
            if state not in STATES or key not in groups:
                continue
            original = original_version(translation_sources(groups[key]))
            if original is None:  # never: every key found has a version
                continue
            counts: Counter = Counter()
            states: tuple[str, ...] = ("human",)
            if state != "outdated":  # the stage's translation: look at its segments
                counts = self.article(target, key, groups).counts
                states = tuple(name for name in STATES if counts[name])
                detail = ""
            else:
                detail = groups[key][target].path.relative_to(self.content).as_posix()
            rows.append(Row(key, target, states, original.fields.get("title", key),
                            original.lang, _date(original), counts, detail))
        rows.sort(key=lambda row: (row.date is not None, row.date and row.date.timestamp(),
                                   row.key), reverse=True)
        return rows

    def article(self, target: str, key: str, groups: dict | None = None) -> ArticleReview:
        """The segments of an article's machine translation into `target`; Refused (404) for
        anything that is not one."""
        groups = self._groups() if groups is None else groups
        if target not in self.targets or key not in groups:
            raise Refused("no-such-article", 404)
        versions = groups[key]
        if edition_roles(versions, self.targets).get(target) != "machine":
            raise Refused("no-such-article", 404)
        source = original_version(translation_sources(versions))
        if source is None:
            raise Refused("no-such-article", 404)
        review = ArticleReview(key, target, source)
        memory = self._memory(key, target, source.lang)
        glossary = self._memory(GLOSSARY, target, source.lang)
        review.broken = memory.broken or ""
        terms = TranslationStage(self.settings, self.content, provider=_NoProvider()) \
            .protected_terms(source)
        seen = set()
        for kind, text, quote in _segments(source):
            msgid = normalise(text)
            if (kind, msgid) not in seen:
                seen.add((kind, msgid))
                review.segments.append(_segment(memory, kind, msgid, *protect(msgid, terms),
                                                quote))
        _mark_outdated(review.segments, memory)
        for kind, name in [("category", source.fields.get("category", "")),
                           *(("tag", tag) for tag in article_tags(source))]:
            if name and glossary.catalog.get(name, context=kind) is not None:
                review.segments.append(_segment(glossary, kind, name, name, [], plain_text,
                                                True))
        return review

    def _memory(self, key: str, target: str, source_lang: str) -> MemoryFile:
        refused = None if is_within(self.content, self.root) \
            else "its folder is a link out of the content folder"
        return MemoryFile(self.root, key, target, source_lang, refused)

    # -- writing -------------------------------------------------------------------------------

    def save(self, target: str, key: str, ident: str, text: str, stamp: str) -> list[Path]:
        """The editor's translation of one segment, as reviewed; the files written. Text as the
        desk showed it approves the stored translation as it is; new text is made safe, and
        Latin in a Serbian edition. Refused for a segment that is not the article's, that
        changed since the editor opened it, or text that breaks a protected part."""
        with self.lock:
            review = self.article(target, key)
            segment = _find(review, ident, stamp)
            if not text.strip():
                raise Refused("empty", 422)
            if segment.unchanged(text):
                return self._write(review, [(segment, segment.translation)])
            text = serbian_in_latin(text, target)
            try:
                translation = normalise(text) if segment.glossary \
                    else made_safe(text, segment.tokens, segment.quote)
            except BrokenMarkup:
                raise Refused("broken-markup", 422) from None
            return self._write(review, [(segment, translation)])

    def approve_all(self, target: str, key: str) -> tuple[int, list[Path]]:
        """Every machine translation of the article (and of its category and tags) as
        reviewed, as it is; how many, and the files written."""
        with self.lock:
            review = self.article(target, key)
            chosen = [(s, s.translation) for s in review.segments
                      if s.translation and s.state in ("machine", "outdated")]
            return len(chosen), self._write(review, chosen)

    def send(self, target: str, key: str, ident: str, stamp: str) -> list[Path]:
        """A pending segment sent to the configured provider, as the build sends it; its
        answer is a machine translation to review; the files written. Refused when no answer
        came."""
        with self.lock:
            review = self.article(target, key)
            segment = _find(review, ident, stamp)
            if segment.translation or segment.glossary:
                raise Refused("not-pending", 409)
            provider = Provider(self.settings)
            stage = TranslationStage(self.settings, self.content,
                                     provider=_OneSegment(provider, segment.sent))
            stage.translate(review.source, target)
            if not _find(self.article(target, key), ident, None).translation:
                raise Refused("provider-failed", 502, provider.problem or provider.last_error
                              or provider.disabled_reason or "")
            return [self._memory(key, target, review.source.lang).path]

    def _write(self, review: ArticleReview, chosen: list[tuple[Segment, str]]) -> list[Path]:
        if review.broken:
            raise Refused("broken-memory", 409, review.broken)
        files: dict[bool, MemoryFile] = {}
        note = signature(self.reviewer)
        for segment, translation in chosen:
            if segment.glossary not in files:
                files[segment.glossary] = self._memory(
                    GLOSSARY if segment.glossary else review.key, review.target,
                    review.source.lang)
            files[segment.glossary].review(segment.kind, segment.original, translation, note)
        return [memory.path for memory in files.values() if memory.save(drop_unused=False)]


class _NoProvider:
    """The provider of a stage that only reads: it has none."""

    name = "none"

    def translate(self, text: str, source_lang: str, target: str) -> str:
        raise TranslationUnavailable("the desk only reads the memory")


class _OneSegment:
    """A provider that answers for one text only (a segment as the stage sends it): the
    stage's other pending segments stay pending, as they were."""

    def __init__(self, provider: Provider, wanted: str):
        self.provider, self.wanted = provider, wanted
        self.name, self.problem = provider.name, provider.problem

    def translate(self, text: str, source_lang: str, target: str) -> str:
        if text != self.wanted:
            raise TranslationUnavailable("not the segment the editor sent")
        return self.provider.translate(text, source_lang, target)


def _segments(source: SourceArticle) -> list[tuple[str, str, Callable[[str], str]]]:
    """(kind, text, quote) of every segment the stage translates, in the article's order."""
    found = list(field_segments(source))
    found += [(piece.kind, piece.text, piece.quote or markdown_text)
              for piece in split_markdown(source.body).pieces if isinstance(piece, Piece)]
    return found


def _segment(memory: MemoryFile, kind: str, msgid: str, sent: str, tokens: list[str],
             quote: Callable[[str], str], glossary: bool = False) -> Segment:
    message = memory.catalog.get(msgid, context=kind)
    translation = cast(str, message.string) if message is not None else ""
    state = "pending" if message is None or not translation else \
        "machine" if MACHINE_FLAG in message.flags else "reviewed"
    reviewed_by = next((c.removeprefix(REVIEWED_BY) for c in (message.user_comments if message
                        else []) if c.startswith(REVIEWED_BY)), "")
    ident = hashlib.sha256(f"{glossary}\0{kind}\0{msgid}".encode()).hexdigest()[:20]
    return Segment(ident, kind, msgid, translation, state, tokens, sent, quote, glossary,
                   reviewed_by)


def _mark_outdated(segments: list[Segment], memory: MemoryFile) -> None:
    """Segments not reviewed whose original an editor reviewed before it changed: the old
    original is the most alike reviewed entry the memory keeps as obsolete."""
    old = [m for m in memory.catalog.obsolete.values()
           if m.string and MACHINE_FLAG not in m.flags]
    for segment in segments:
        if segment.state == "reviewed":
            continue
        alike = [(likeness(cast(str, m.id), segment.original), n) for n, m in enumerate(old)
                 if m.context == segment.kind]
        best = max(alike, default=None)
        if best and best[0] >= OUTDATED_LIKENESS:
            message = old.pop(best[1])
            segment.state, segment.previous = "outdated", cast(str, message.id)
            segment.previous_translation = cast(str, message.string)


def _find(review: ArticleReview, ident: str, stamp: str | None) -> Segment:
    """The article's segment of that ident, as the editor saw it (`stamp`; None: as it is)."""
    segment = next((s for s in review.segments if s.ident == ident), None)
    if segment is None:
        raise Refused("no-such-segment", 404)
    if stamp is not None and stamp != segment.stamp:
        raise Refused("changed-meanwhile", 409)
    return segment


def _date(source: SourceArticle) -> dt.datetime | None:
    try:
        return parse_date(source.fields.get("date", ""))
    except (DateError, ValueError, TypeError):
        return None
