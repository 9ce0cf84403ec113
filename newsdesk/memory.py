"""The translation memory: one gettext PO file per article and target language, in git.

Each entry's msgctxt says what the text is (title, paragraph, caption...), msgid is the source
text with its white space folded, msgstr the translation. A machine translation is flagged
`fuzzy` and says which provider made it and when; an editor reviews it by correcting msgstr and
removing the `fuzzy` flag. Reviewed entries are never overwritten. An empty msgstr is a segment
still waiting for a translation. Files are replaced atomically, under a lock, so two runs at once
or a run killed midway never leave a broken or half-written file. A file is written only when
what it holds changes, and the same entries always make the same bytes: its dates come from its
entries (the newest `translated:` day), not from the clock.
"""

import contextlib
import datetime as dt
import fcntl
import io
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, write_po

from newsdesk import written
from newsdesk.atomic import leftovers, remove_orphans, write_atomic
from newsdesk.fields import caption_and_credit
from newsdesk.memo import file_stamp
from newsdesk.paths import is_within

MACHINE_FLAG = "fuzzy"
MessageKey = tuple[Any, str | None]  # (msgid, msgctxt), as Babel keys a message
REVIEWED_BY = "Reviewed-by: "  # the translator's comment of a segment reviewed on the desk
CONFLICT_MARKERS = (b"<<<<<<< ", b"=======", b">>>>>>> ")


class BrokenMemoryFile(Exception):
    """A memory file that cannot be read as a PO file; the message says where and why."""


@dataclass
class Entry:
    translation: str
    reviewed: bool
    provider: str = ""


class MemoryFile:
    """The memory of one article in one target language."""

    def __init__(self, root: Path | str, key: str, target: str, source_lang: str,
                 refused: str | None = None, swept: set[Path] | None = None) -> None:
        """`refused`: why the file must not be read or written (it is then empty). `swept`:
        the folders a run of many saves already cleared of what killed runs left, shared by its
        memory files (clearing a folder of a file per article at every save is quadratic);
        None clears the file's own leftovers at each save."""
        self.path = Path(root) / target / f"{key}.po"
        self.key, self.target, self.source_lang = key, target, source_lang
        self.swept = swept
        self.broken = refused  # why the file cannot be used: it is then never written
        self.catalog = self._new()
        self.seen: bytes | None = None  # the file's bytes as this run read or wrote them
        if refused is None and not is_within(root, self.path):
            self.broken = "a link to a file outside the translation memory"
        elif refused is None and self.path.exists():
            try:
                self.seen = self.path.read_bytes()
                self.catalog = parse_memory(self.seen)
            except BrokenMemoryFile as exc:
                self.broken = str(exc)
        self.used: set[MessageKey] = set()
        self.reviews: set[MessageKey] = set()  # reviewed by an editor in this run: wins on save
        self.changed = False

    def _new(self) -> Catalog:
        today = dt.datetime.combine(dt.date.today(), dt.time(), dt.UTC)
        catalog = Catalog(locale=self.target.replace("-", "_"), project=self.key, fuzzy=False,
                          creation_date=today, revision_date=today)
        catalog.header_comment = (f"# article: {self.key}\n# source-language: {self.source_lang}"
                                  f"\n# target-language: {self.target}")
        return catalog

    def lookup(self, kind: str, text: str) -> Entry | None:
        """The entry for a segment, or None; marks it as still in use."""
        self.used.add((text, kind))
        message = self.catalog.get(text, context=kind)
        if message is None and kind == "caption":
            message = self._caption_kept_with_credit(text)
        if message is None or not message.string:
            return None
        return Entry(cast(str, message.string), MACHINE_FLAG not in message.flags,
                     _provider(message))

    def _caption_kept_with_credit(self, caption: str) -> Message | None:
        """An entry of a photo's caption written when its credit was still part of the text
        (`Caption. [Credit]`), moved to the caption alone with its review state kept."""
        for message in list(self.catalog):
            if message.context != "caption" or not isinstance(message.id, str):
                continue
            old_caption, credit = caption_and_credit(message.id)
            if credit and old_caption == caption:
                translation = caption_and_credit(cast(str, message.string))[0]
                self.catalog.delete(message.id, context="caption")
                self.catalog.add(caption, translation, context="caption",
                                 flags=message.flags, auto_comments=message.auto_comments,
                                 user_comments=message.user_comments)
                self.changed = True
                return self.catalog.get(caption, context="caption")
        return None

    def record(self, kind: str, text: str, translation: str, provider: str) -> None:
        """Store a machine translation (or a pending segment, with translation "")."""
        self.used.add((text, kind))
        existing = self.catalog.get(text, context=kind)
        if existing is not None and existing.string and MACHINE_FLAG not in existing.flags:
            return  # reviewed by a person: never overwritten
        if existing is not None and existing.string == translation:
            return
        comments = [f"provider: {provider}", f"translated: {dt.date.today().isoformat()}"] \
            if translation else ["pending: no translation yet"]
        if existing is not None:  # Babel's add() would keep the old msgstr and comments
            self.catalog.delete(text, context=kind)
        self.catalog.add(text, translation, context=kind, flags=[MACHINE_FLAG] if translation
                         else [], auto_comments=comments)
        self.changed = True

    def review(self, kind: str, text: str, translation: str, signature: str) -> None:
        """Store an editor's translation of a segment as reviewed: no `fuzzy` flag, and the
        translator's comment `signature` (`Reviewed-by: NAME, TIME`) in place of an older one."""
        existing = self.catalog.get(text, context=kind)
        auto, user, flags = [], [], []
        if existing is not None:
            auto = [c for c in existing.auto_comments if not c.startswith("pending: ")]
            user = [c for c in existing.user_comments if not c.startswith(REVIEWED_BY)]
            flags = [f for f in existing.flags if f != MACHINE_FLAG]
            self.catalog.delete(text, context=kind)
        self.catalog.add(text, translation, context=kind, flags=flags, auto_comments=auto,
                         user_comments=[*user, signature])
        self.used.add((text, kind))
        self.reviews.add((text, kind))
        self.changed = True

    def note(self, name: str) -> str | None:
        """A note of the file's header comment (`catalog_note`)."""
        return catalog_note(self.catalog, name)

    def set_note(self, name: str, value: str) -> None:
        if self.note(name) == value:
            return
        lines = [ln for ln in (self.catalog.header_comment or "").splitlines()
                 if ln.startswith("# ") and not ln.startswith(f"# {name}: ")
                 and ": " in ln]
        lines.append(f"# {name}: {value}")
        self.catalog.header_comment = "\n".join(sorted(lines))
        self.changed = True

    def save(self, drop_unused: bool = True) -> bool:
        """Merge into the file on disk under a lock and replace it atomically, unless that
        would leave it as it is. Whether it was written."""
        unused = {(m.id, m.context) for m in self.catalog if m.id} - self.used
        if drop_unused and unused:
            self.changed = True
        if not self.changed or self.broken:
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(self.path.parent):
            old = self.path.read_bytes() if self.path.exists() else None
            on_disk = parse_memory(old) if old is not None else None
            data = _po_bytes(self._merged(on_disk, unused if drop_unused else set()))
            changes = on_disk is None or data not in (old, _po_bytes(on_disk))
            if changes:
                before = file_stamp(self.path)
                _replace(self.path, data, self.swept)
                # what another run or an editor saved meanwhile is theirs, not this run's
                if old == self.seen:
                    written.record(self.path, data, before=before)
            self.seen = data if changes else old
        self.changed = False
        return changes

    def _merged(self, on_disk: Catalog | None, unused: set[MessageKey]) -> Catalog:
        """This run's catalog, keeping what another run or an editor saved meanwhile."""
        catalog = self.catalog
        if on_disk is not None:
            for message in on_disk:
                if not message.id or (message.id, message.context) in self.reviews:
                    continue
                mine = catalog.get(message.id, context=message.context)
                theirs_reviewed = message.string and MACHINE_FLAG not in message.flags
                if mine is None or theirs_reviewed or (message.string and not mine.string):
                    if mine is not None:  # Babel's __setitem__ would keep mine's msgstr
                        catalog.delete(message.id, context=message.context)
                    catalog[message.id] = message  # keyed by id; context kept on the message
            for key, message in on_disk.obsolete.items():
                catalog.obsolete.setdefault(key, message)
        for msgid, context in unused:
            left = catalog.get(msgid, context=context)
            if left is None:
                continue
            catalog.delete(msgid, context=context)
            if left.string and MACHINE_FLAG not in left.flags:
                # an editor's work is kept, as obsolete (keyed as Babel keys it)
                catalog.obsolete[(msgid, context) if context else msgid] = left
        catalog.revision_date = _revised(catalog)
        return catalog


def _revised(catalog: Catalog) -> dt.datetime | str:
    """The catalog's revision date: its newest `translated:` day, never before the date it
    had (an editor's)."""
    dates = [catalog.creation_date]
    if isinstance(catalog.revision_date, dt.datetime):
        dates.append(catalog.revision_date)
    for message in catalog:
        for comment in message.auto_comments:
            if comment.startswith("translated: "):
                with contextlib.suppress(ValueError):  # a date an editor mistyped
                    day = dt.date.fromisoformat(comment.removeprefix("translated: "))
                    dates.append(dt.datetime.combine(day, dt.time(), dt.UTC))
    return max(dates)


def read_memory(path: Path | str) -> Catalog:
    """The catalog of a memory file; BrokenMemoryFile naming the line of what is wrong."""
    return parse_memory(Path(path).read_bytes())


def parse_memory(data: bytes) -> Catalog:
    """The catalog of a memory file's bytes; BrokenMemoryFile naming what is wrong."""
    for number, line in enumerate(data.splitlines(), 1):
        if line.startswith(CONFLICT_MARKERS):
            raise BrokenMemoryFile(f"line {number}: a Git conflict marker; resolve the "
                                   "conflict and remove the markers")
    try:
        return read_po(io.BytesIO(data), abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as exc:
        raise BrokenMemoryFile(f"not a valid PO file ({exc})") from None


def read_notes(lines: Iterable[str]) -> dict[str, str]:
    """{name: value} of the `# name: value` lines that open a memory file's header comment
    (what the memory notes of an article: hashes, the human translation's file)."""
    notes: dict[str, str] = {}
    for line in lines:
        if not line.startswith("# "):
            break
        name, sep, value = line[2:].partition(": ")
        if sep:
            notes.setdefault(name, value)
    return notes


def catalog_note(catalog: Catalog | None, name: str) -> str | None:
    """One note of a catalog's header comment, or None (also for no catalog)."""
    comment = catalog.header_comment if catalog is not None else ""
    return read_notes((comment or "").splitlines()).get(name)


def header_notes(path: Path | str) -> tuple[dict[str, str], int] | None:
    """The notes of a memory file and how many entries it has, read without parsing the
    catalog (for the many files that hold notes only); None if there is no file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    lines = text.splitlines()
    entries = sum(1 for line in lines if line.startswith("msgid ")) - 1
    return read_notes(lines), entries


def _provider(message: Message) -> str:
    for comment in message.auto_comments:
        if comment.startswith("provider: "):
            return comment.removeprefix("provider: ")
    return ""


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on a folder, held by one process at a time."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _po_bytes(catalog: Catalog) -> bytes:
    """The catalog as the memory writes it."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, omit_header=False,
             include_previous=False)
    return buffer.getvalue()


def _replace(path: Path, data: bytes, swept: set[Path] | None) -> None:
    """Write `path` whole; called under the folder's lock, so any older temporary file of it
    was left by a run that was killed, and goes. `swept`: see MemoryFile."""
    if swept is None:
        for stale in leftovers(path):
            stale.unlink()
    elif path.parent not in swept:
        remove_orphans(path.parent)
        swept.add(path.parent)
    write_atomic(path, data, durable=True)
