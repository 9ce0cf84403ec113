"""The translation stage: fill every missing edition of an article from the memory or a provider.

Used by the build (newsdesk/plugins/machine_translation) and on its own by `invoke translate`:

    python -m newsdesk.translate [--content DIR] [--settings FILE]

Settings (defaults in brackets), besides the MT_* ones of newsdesk.providers:
- TRANSLATION_MEMORY ["translations"]: the memory's folder, inside the content folder.
- MT_TARGETS [["sr-Latn", "en"]]: the editions machine translation may fill.
"""

import argparse
import contextlib
import hashlib
import logging
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog

from newsdesk import SITE_SETTINGS
from newsdesk.fields import caption_and_credit
from newsdesk.memo import Memo, file_stamp
from newsdesk.memory import (
    BrokenMemoryFile,
    MemoryFile,
    catalog_note,
    header_notes,
    read_memory,
)
from newsdesk.parallel import Share, run_shared, worker_count
from newsdesk.paths import Folder, is_within, readable_content_file
from newsdesk.progress import progress
from newsdesk.providers import (
    Provider,
    TranslationUnavailable,
    Translator,
    configuration_problem,
)
from newsdesk.report import where
from newsdesk.segments import (
    BrokenMarkup,
    markdown_text,
    normalise,
    plain_text,
    protect,
    restore,
    split_markdown,
)
from newsdesk.sources import SourceArticle, find_sources, in_script
from newsdesk.transliterate import to_latin
from newsdesk.versions import original_language, paired_terms

log = logging.getLogger(__name__)
GLOSSARY = "glossary"

Versions = Mapping[str, SourceArticle]  # the versions authors wrote of one key, by language
Job = tuple[str, SourceArticle, str]  # (key, the original version, target language)
Learned = Mapping[tuple[str, str, str, str], str]  # newsdesk.versions.paired_terms


@dataclass
class Translation:
    """One article in one target language, as the memory and the provider made it."""

    source: SourceArticle
    target: str
    fields: dict[str, str] = field(default_factory=dict)
    body: str = ""
    category: str = ""
    tags: list[str] = field(default_factory=list)
    waiting_terms: list[str] = field(default_factory=list)  # category and tags still untranslated
    segments: int = 0
    pending: int = 0
    reviewed: int = 0

    @property
    def fully_reviewed(self) -> bool:
        return self.segments > 0 and self.reviewed == self.segments


@dataclass
class Stats:
    segments: int = 0
    memory_hits: int = 0
    pending: int = 0

    def summary(self, provider: Provider) -> str:
        unreached = f" ({provider.unreached} more did not reach it)" if provider.unreached \
            else ""
        return (f"machine translation ({provider.name}): {self.segments} segments, "
                f"{self.memory_hits} from memory, {provider.chars_sent} characters sent in "
                f"{provider.requests} requests{unreached}, {provider.failures} failures, "
                f"{self.pending} pending")


def provider_problems(provider: Provider, stats: Stats) -> list[tuple[int, str]]:
    """What a run must tell about its provider, one line each (logging level, message): a
    setting that cannot work, a provider that failed, a character budget that ran out.
    A build that logs one is not taken as done (newsdesk.build): it asks again next time."""
    if provider.problem:
        return [(logging.ERROR, provider.problem)]
    problems = []
    if provider.failures:
        attempts = provider.requests + provider.unreached
        gave_up = ", then it was left alone for the rest of the run" \
            if provider.breaker_tripped else ""
        problems.append((logging.WARNING, (
            f"machine translation ({provider.name}) failed: {provider.last_error}; "
            f"{provider.requests} of {attempts} request(s) reached it ({provider.chars_sent} "
            f"characters); {provider.failures} text(s) failed{gave_up}; {stats.pending} "
            "segment(s) pending, shown in the original language until a build translates them")))
    if provider.over_budget:
        problems.append((logging.WARNING, (
            f"machine translation ({provider.name}): the character budget is spent "
            f"(MT_CHAR_BUDGET = {provider.budget}): {provider.over_budget} text(s), "
            f"{provider.over_budget_chars} characters, left pending; run `invoke translate` "
            "to go on with another budget's worth, or raise MT_CHAR_BUDGET")))
    return problems


class _NotInMemory(Exception):
    """A segment, category or tag the memory does not have."""


class _MemoryOnly:
    """The provider of a worker of `_from_memory`: it has nothing, so a job that needs it stops
    before recording anything."""

    name = "memory"

    def translate(self, text: str, source_lang: str, target: str) -> str:
        raise _NotInMemory(text)


def original_version(versions: Versions) -> SourceArticle | None:
    """The version others are translated from (newsdesk.versions.original_language)."""
    original = original_language({lang: source.fields for lang, source in versions.items()})
    return None if original is None else versions[original]


def translation_sources(versions: Versions) -> dict[str, SourceArticle]:
    """What the stage translates from, of the versions authors wrote of one key: a Cyrillic
    text alone is taken as its Latin spelling (the Latin edition is its transliteration, never
    a translation), and a Cyrillic version beside a Latin one is left aside."""
    sources = {lang: source for lang, source in versions.items()
               if not (lang == "sr-Cyrl" and "sr-Latn" in versions)}
    if "sr-Cyrl" in sources:
        sources["sr-Latn"] = in_script(sources.pop("sr-Cyrl"), "sr-Latn", to_latin)
    return sources


def edition_roles(versions: Versions, targets: Iterable[str]) -> dict[str, str]:
    """{edition: "original", "human", "transliteration" or "machine"} for the versions authors
    wrote of one key: the one rule every task and the build follow. The Cyrillic edition is
    always the transliteration of the Latin one, the Latin one that of a Cyrillic text alone."""
    original = original_version(versions)
    roles = {lang: "original" if source is original else "human"
             for lang, source in versions.items()}
    if "sr-Cyrl" in versions and "sr-Latn" not in versions:
        roles["sr-Latn"] = "transliteration"
    roles.setdefault("sr-Cyrl", "transliteration")
    for target in targets:
        roles.setdefault(target, "machine")
    return roles


class StageMemo(Memo):
    """The stage's results for articles whose inputs did not change since the last build.

    An article's inputs: its fields, its file, its memory file and the glossary (files by
    newsdesk.memo.file_stamp, taken after the run that used them), the protected terms and the names
    learned from human translations. Only complete translations are kept (nothing pending): they
    do not depend on the provider.
    """

    def __init__(self, settings: Mapping[str, Any]) -> None:
        super().__init__(settings, "translation-stage")

    @staticmethod
    def key(*parts: object) -> bytes:
        return hashlib.sha1(repr(parts).encode()).digest()


class TranslationStage:
    def __init__(self, settings: Mapping[str, Any], content_path: Path | str,
                 provider: Translator | None = None, memo: StageMemo | None = None) -> None:
        """`memo`: a StageMemo (the build's), or None to work on every article."""
        self.settings = settings
        self.memo = memo
        self.root = Path(content_path) / settings.get("TRANSLATION_MEMORY", "translations")
        self.root_outside = not is_within(content_path, self.root)  # a link out: never used
        self.targets = settings.get("MT_TARGETS", ["sr-Latn", "en"])
        self.provider: Translator = provider or Provider(settings)
        self.terms = _read_terms(content_path, self.root / "do-not-translate.txt")
        self.terms_key = hashlib.sha1("\n".join(sorted(self.terms)).encode()).hexdigest()
        self.stats = Stats()
        self.glossaries: dict[str, MemoryFile] = {}
        self.reported: set[Path] = set()  # memory files reported as unreadable
        self.swept: set[Path] = set()  # see MemoryFile

    # -- whole groups --------------------------------------------------------------------------

    def run(self, groups: Mapping[str, Versions], show_progress: bool = True
            ) -> dict[tuple[str, str], Translation]:
        """Translate every article missing in a target language: {(key, target): Translation}."""
        learned = _learned_terms(groups)
        jobs = [(key, original, target) for key, versions in sorted(groups.items())
                if (original := original_version(versions)) is not None
                for target in self.targets if target not in versions]
        results: dict[tuple[str, str], Translation] = {}
        # {job: memo key} of the results the memo had
        found: dict[tuple[str, str], bytes | None] = {}
        todo: list[Job] = []
        memo_keys = {(key, target): self._memo_key(original, target, learned)
                     for key, original, target in jobs} if self.memo else {}
        if self.memo:
            self.memo.prefetch(memo_keys.values())
        for key, original, target in jobs:
            memo_key = memo_keys.get((key, target))
            known = self.memo.get(memo_key) if self.memo and memo_key else None
            if known:
                results[key, target], found[key, target] = known, memo_key
            else:
                todo.append((key, original, target))
        results.update(self._from_memory(todo, learned))
        for result in results.values():
            self.stats.segments += result.segments
            self.stats.memory_hits += result.segments
        todo = [job for job in todo if (job[0], job[2]) not in results]
        for key, original, target in progress(todo, "Translating", enabled=show_progress):
            results[key, target] = self.translate(original, target, learned)
        self._track_human_translations(groups)
        for glossary in self.glossaries.values():
            glossary.save(drop_unused=False)
        if self.memo is not None:
            for job, result in results.items():
                if not result.pending:  # keyed by the memory files as this run left them
                    self.memo.put(found.get(job) or self._memo_key(
                        result.source, result.target, learned), result)
            self.memo.save()
        return results

    def _from_memory(self, jobs: Sequence[Job], learned: Learned
                     ) -> dict[tuple[str, str], Translation]:
        """Translate on READ_WORKERS forked processes, when there are PREFETCH_MIN jobs or more,
        the articles whose every segment, category and tag the memory has (reading it is most
        of the work); {(key, target): Translation}. Those that need the provider are left to
        this process, which alone talks to it."""
        workers = worker_count(self.settings, "READ_WORKERS")
        if workers <= 1 or len(jobs) < self.settings.get("PREFETCH_MIN", 200):
            return {}

        def translate_share(share: Share) -> dict[tuple[str, str], Translation]:
            provider, stats = self.provider, self.stats
            self.provider, self.stats = _MemoryOnly(), Stats()
            done = {}
            try:
                for key, original, target in jobs:
                    if share.take():
                        with contextlib.suppress(_NotInMemory):
                            done[key, target] = self.translate(original, target, learned)
            finally:
                self.provider, self.stats = provider, stats
            return done

        results = {}
        for done in run_shared(translate_share, workers):
            results.update(done)
        log.info("%d of %d translation(s) made from the memory on %d processes", len(results),
                 len(jobs), workers)
        return results

    def _memo_key(self, source: SourceArticle, target: str, learned: Learned) -> bytes:
        terms = [learned.get(("category", source.lang, target, source.fields.get("category", "")))]
        terms += [learned.get(("tag", source.lang, target, tag)) for tag in article_tags(source)]
        # The body by its file when there is one: a version made from it (the Latin of a
        # Cyrillic file) is made the same way every time.
        return StageMemo.key(source.lang, target, sorted(source.fields.items()),
                             str(source.path), file_stamp(source.path) or source.body,
                             file_stamp(self.root / target / f"{source.key}.po"),
                             file_stamp(self.root / target / f"{GLOSSARY}.po"), self.terms_key,
                             terms)

    # -- one article ---------------------------------------------------------------------------

    def _memory(self, key: str, target: str, source_lang: str) -> MemoryFile:
        """The memory file of a key in a target language. One that cannot be read is reported
        once and left as it is: its segments wait, shown in the original."""
        refused = "its folder is a link out of the content folder" if self.root_outside else None
        memory = MemoryFile(self.root, key, target, source_lang, refused, self.swept)
        if memory.broken:
            if isinstance(self.provider, _MemoryOnly):
                raise _NotInMemory(memory.path)  # reported by the process that asks
            if memory.path not in self.reported:
                self.reported.add(memory.path)
                log.error("%s: %s; the file is left as it is, and what it translates waits "
                          "in the original language until it is fixed", where(memory.path),
                          memory.broken)
        return memory

    def translate(self, source: SourceArticle, target: str, learned: Learned | None = None
                  ) -> Translation:
        memory = self._memory(source.key, target, source.lang)
        result = Translation(source=source, target=target)
        terms = self.protected_terms(source)
        for name, text, quote in field_segments(source):
            result.fields[name] = self._segment(memory, name, text, source.lang, target, terms,
                                                result, quote)
        credit = caption_and_credit(source.fields.get("caption", ""),
                                    source.fields.get("credit", ""))[1]
        if credit:
            result.fields["credit"] = credit
        document = split_markdown(source.body)
        result.body = document.render(
            lambda seg: self._segment(memory, seg.kind, seg.text, source.lang, target, terms,
                                      result, seg.quote))
        memory.set_note("source-hash", source.digest)
        memory.save()
        result.category = self.term("category", source.fields.get("category", ""), source.lang,
                                    target, learned, result.waiting_terms)
        result.tags = [self.term("tag", t, source.lang, target, learned, result.waiting_terms)
                       for t in article_tags(source)]
        return result

    def protected_terms(self, source: SourceArticle) -> set[str]:
        """The names sent back as written in an article: the list's and its authors'."""
        return set(self.terms) | _author_names(source)

    def _segment(self, memory: MemoryFile, kind: str, text: str, source_lang: str, target: str,
                 terms: Iterable[str], result: Translation,
                 quote: Callable[[str], str] | None = None) -> str:
        """The segment's translation (`quote`: see segments.restore), or its text while it
        waits for one."""
        key = normalise(text)
        result.segments += 1
        self.stats.segments += 1
        if memory.broken:
            return self._pending(result, text)
        entry = memory.lookup(kind, key)
        if entry is not None:
            self.stats.memory_hits += 1
            result.reviewed += entry.reviewed
            return entry.translation
        protected, tokens = protect(key, terms)
        try:
            answer = self.provider.translate(protected, source_lang, target)
            translation = restore(answer, tokens, quote)
        except TranslationUnavailable:
            memory.record(kind, key, "", self.provider.name)
            return self._pending(result, text)
        except BrokenMarkup as exc:
            log.warning("%s: a %s kept in the original: the translation broke its markup (%s)",
                        memory.path.name, kind, exc)
            memory.record(kind, key, "", self.provider.name)
            return self._pending(result, text)
        memory.record(kind, key, translation, self.provider.name)
        return translation

    def _pending(self, result: Translation, text: str) -> str:
        result.pending += 1
        self.stats.pending += 1
        return text

    # -- categories and tags -------------------------------------------------------------------

    def term(self, kind: str, name: str, source_lang: str, target: str,
             learned: Learned | None = None, waiting: list[str] | None = None) -> str:
        """A category or tag name in the target language: glossary, learned, then provider;
        the name itself, added to the list `waiting`, while it waits for its translation."""
        if not name:
            return name
        glossary = self.glossaries.get(target)
        if glossary is None:
            glossary = self.glossaries[target] = self._memory(GLOSSARY, target, source_lang)
        entry = glossary.lookup(kind, name)
        if entry is not None:
            return entry.translation
        known = (learned or {}).get((kind, source_lang, target, name))
        if known:
            return known
        try:
            translation = normalise(self.provider.translate(name, source_lang, target))
        except TranslationUnavailable:
            glossary.record(kind, name, "", self.provider.name)  # waits for an editor
            if waiting is not None:
                waiting.append(name)
            return name
        glossary.record(kind, name, translation, self.provider.name)
        return translation

    # -- human translations --------------------------------------------------------------------

    def _track_human_translations(self, groups: Mapping[str, Versions]) -> None:
        """Record the original's hash beside each human translation, to tell when it is outdated."""
        root = Folder(self.root)
        pairs = [(key, lang, version, original, self.root / lang / f"{key}.po")
                 for key, versions in groups.items()
                 if (original := original_version(versions)) is not None
                 for lang, version in versions.items() if version is not original]
        told = self._notes_remembered(
            [(path, version) for _, _, version, _, path in pairs
             if not self.root_outside and root.holds(path)])
        for key, lang, version, original, path in pairs:
            if path in told:
                continue  # the common case, told without parsing the catalog
            memory = self._memory(key, lang, original.lang)
            if memory.note("translation-hash") != version.digest:
                memory.set_note("translation-hash", version.digest)
                memory.set_note("source-hash", original.digest)
            memory.set_note("human-translation", str(version.path.name))
            memory.save(drop_unused=True)

    def _notes_remembered(self, pairs: list[tuple[Path, SourceArticle]]) -> set[Path]:
        """The memory files of human translations that already say all there is to say (as
        found in an earlier build when neither file has changed since)."""
        if self.memo is None:
            return {path for path, version in pairs if _notes_current(path, version)}
        keys = [StageMemo.key("notes", str(path), file_stamp(path), str(version.path),
                              file_stamp(version.path)) for path, version in pairs]
        self.memo.prefetch(keys)
        current = set()
        for memo_key, (path, version) in zip(keys, pairs, strict=True):
            if self.memo.get(memo_key) or _notes_current(path, version):
                self.memo.put(memo_key, True)
                current.add(path)
        return current


def _notes_current(path: Path, version: SourceArticle) -> bool:
    """Whether a human translation's memory file already says all there is to say."""
    found = header_notes(path)
    if found is None:
        return False
    notes, entries = found
    return (entries == 0 and notes.get("translation-hash") == version.digest
            and notes.get("human-translation") == version.path.name)


def field_segments(source: SourceArticle) -> list[tuple[str, str, Callable[[str], str]]]:
    """The fields of an article the stage translates, in order: (name, text, quote); the
    summary is Markdown, the others text."""
    found: list[tuple[str, str, Callable[[str], str]]] = [
        (name, source.fields[name], markdown_text if name == "summary" else plain_text)
        for name in ("title", "summary", "alt", "correction") if source.fields.get(name)]
    caption = caption_and_credit(source.fields.get("caption", ""),
                                 source.fields.get("credit", ""))[0]
    if caption:
        found.append(("caption", caption, plain_text))
    return found


def _author_names(source: SourceArticle) -> set[str]:
    names = re.split(r"[;,]", source.fields.get("author", "") + "," + source.fields.get(
        "authors", ""))
    return {n.strip() for n in names if n.strip()}


def _read_terms(content_path: Path | str, path: Path) -> set[str]:
    if not readable_content_file(content_path, path):
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")}


def _learned_terms(groups: Mapping[str, Versions]) -> dict[tuple[str, str, str, str], str]:
    """Category and tag names that human translations already pair up."""
    return paired_terms({source.lang: (source.fields.get("category"), article_tags(source))
                         for source in versions.values()} for versions in groups.values())


def article_tags(source: SourceArticle) -> list[str]:
    """The tags of an article, as its `Tags` field lists them."""
    return [t.strip() for t in source.fields.get("tags", "").split(",") if t.strip()]


# -- reports ---------------------------------------------------------------------------------


def status_report(settings: Mapping[str, Any], content_path: Path | str
                  ) -> list[tuple[str, str, str, str]]:
    """Per article and language: human, machine, reviewed, pending or outdated."""
    root = Path(content_path) / settings.get("TRANSLATION_MEMORY", "translations")
    groups = find_sources(content_path, settings.get("ARTICLE_PATHS", ["articles"]))
    targets = settings.get("MT_TARGETS", ["sr-Latn", "en"])
    rows = []
    for key, versions in sorted(groups.items()):
        original = original_version(translation_sources(versions))
        for lang, role in sorted(edition_roles(versions, targets).items()):
            if role in ("original", "transliteration"):
                detail = "" if role == "original" else "made from the other script"
                rows.append((key, lang, role, detail))
                continue
            path = root / lang / f"{key}.po"
            catalog = _read_catalog(path) if is_within(root, path) else None
            if lang in versions:
                recorded = catalog_note(catalog, "source-hash")
                state = "outdated" if recorded and original and recorded != original.digest \
                    else "human"
                detail = "the original changed after this translation" if state == "outdated" \
                    else ""
                rows.append((key, lang, state, detail))
                continue
            messages = [m for m in catalog if m.id] if catalog is not None else []
            pending = sum(not m.string for m in messages)
            machine = sum(bool(m.string) and "fuzzy" in m.flags for m in messages)
            reviewed = len(messages) - pending - machine
            state = ("pending" if pending or not messages else
                     "reviewed" if machine == 0 else "machine")
            rows.append((key, lang, state,
                         f"{len(messages)} segments: {reviewed} reviewed, {machine} machine, "
                         f"{pending} pending"))
    return rows


def _read_catalog(path: Path) -> Catalog | None:
    if not path.exists():
        return None
    try:
        return read_memory(path)
    except BrokenMemoryFile as exc:
        log.error("%s: %s", where(path), exc)
        return None


def main(argv: Sequence[str] | None = None) -> int:
    from pelican.settings import read_settings

    parser = argparse.ArgumentParser(prog="python -m newsdesk.translate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--content", type=Path, help="content folder (default: PATH setting)")
    parser.add_argument("--settings", type=Path, default=SITE_SETTINGS)
    parser.add_argument("--report", action="store_true",
                        help="report the state of every translation instead of translating")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    override = {"PATH": str(args.content.resolve())} if args.content else None
    settings = read_settings(str(args.settings), override=override)
    content = Path(settings["PATH"])
    problem = configuration_problem(settings)
    if args.report:
        if problem:
            print(f"warning: {problem}", file=sys.stderr)
        rows = status_report(settings, content)
        width = max((len(r[0]) for r in rows), default=10)
        for key, lang, state, detail in rows:
            print(f"{key:<{width}}  {lang:<8} {state:<9} {detail}")
        return 0
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    provider = Provider(settings)
    stage = TranslationStage(settings, content, provider)
    groups = find_sources(content, settings.get("ARTICLE_PATHS", ["articles"]),
                          settings.get("DEFAULT_LANG", "sr"))
    sources = {key: translation_sources(versions) for key, versions in groups.items()}
    results = stage.run(sources, show_progress=True)
    print(f"{len(results)} article translations; " + stage.stats.summary(provider))
    for level, message in provider_problems(provider, stage.stats):
        print(f"{logging.getLevelName(level).lower()}: {message}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
