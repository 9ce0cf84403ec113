"""Run one Pelican pass into a staging folder and put it in place only when it is good.

Every warning and error logged during the build is collected. A preview build keeps going and
publishes what it could build; a strict build (CI, publishing) fails on any of them and leaves
the previous output untouched. The output folder is swapped in whole, never half-written.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import fcntl
import gc
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from newsdesk import SITE_SETTINGS, atomic, buildstate, fingerprint, paths, written

if TYPE_CHECKING:
    from newsdesk import pagecache

log = logging.getLogger(__name__)


class BuildFailed(Exception):
    """A build that must not replace the output."""


class ProblemCollector(logging.Handler):
    """Keeps every warning and error logged while it is attached."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def summary(self) -> tuple[int, int]:
        errors = sum(r.levelno >= logging.ERROR for r in self.records)
        return errors, len(self.records) - errors


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically where the kernel can (renameat2 RENAME_EXCHANGE)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def replace_folder(staging: Path, output: Path) -> Path | None:
    """Put the staging folder where the output is; readers see the old or the new, whole.
    Return where the old site now is (`.<output>.old-…`), or None if there was none."""
    from newsdesk import pagecache

    if not output.exists():
        os.rename(staging, output)
        return None
    retired = pagecache.retired_folder(output)
    if _exchange(staging, output):
        os.rename(staging, retired)
    else:
        os.rename(output, retired)
        os.rename(staging, output)
    return retired


def _remove_leftovers(output: Path) -> None:
    """What builds of `output` that were killed left beside it: staging folders and their
    search work folders (no other build of it runs: see _output_lock), and old sites a
    background delete did not finish within ten minutes. The spare stays (pagecache)."""
    for pattern in (f".{output.name}.new-*", f"..{output.name}.new-*"):
        for path in output.parent.glob(pattern):
            shutil.rmtree(path, ignore_errors=True)
    for path in output.parent.glob(f".{output.name}.old-*"):
        if time.time() - path.stat().st_ctime > 600:
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _output_lock(cache: str | Path, output: Path) -> Iterator[None]:
    """One build of an output folder at a time: a lock on a file in the build cache. A POSIX
    record lock (lockf) belongs to this process alone, not to the children it forks, and the
    system releases it when the process ends, however it ends. Nothing else in the build opens
    the file: closing any descriptor of it releases the lock."""
    path = buildstate.lock_file(cache, output)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as lock:
        try:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):  # EAGAIN or EACCES, as the system has it
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise BuildFailed(f"{output}: already being built by {holder}; "
                              "try again when it has finished") from None
        lock.truncate(0)
        lock.write(f"process {os.getpid()}")
        lock.flush()
        try:
            yield
        finally:
            lock.truncate(0)


def _check_paths(content: Path, output: Path) -> None:
    if not content.is_dir():
        raise BuildFailed(f"{content}: content folder not found")
    if output == content or output in content.parents or content in output.parents:
        raise BuildFailed(f"{output}: the output folder must not contain or be inside the content")
    if output == Path(output.anchor) or output == Path.home():
        raise BuildFailed(f"{output}: refusing to replace this folder with a build")


def _left_as_it_was(output: str | Path) -> None:
    print(f"Nothing changed since the last build of {output}: left as it was")


def build(content: str | Path | None = None, output: str | Path | None = None, *,
          settings_file: str | Path | None = None, strict: bool = False,
          overrides: dict[str, Any] | None = None, force: bool = False) -> list[logging.LogRecord]:
    """Build the site; return the collected problems. Raise BuildFailed if it must not be used.

    Nothing is done when nothing the build reads changed since the last good build of the same
    output folder (see newsdesk.fingerprint), unless `force`.
    """
    settings_file = Path(settings_file or SITE_SETTINGS).resolve()
    if not settings_file.is_file():
        raise BuildFailed(f"{settings_file}: settings file not found")
    early = None if overrides else fingerprint.look_early(
        settings_file, Path(content).resolve() if content else None,
        Path(output).resolve() if output else None, strict)
    if early and early.unchanged and early.output and not force:
        with _output_lock(early.cache, Path(early.output)):
            _remove_leftovers(Path(early.output))
            atomic.remove_orphans(early.cache)
        _left_as_it_was(early.output)
        return []
    # Pelican is imported only once there is a build to do: importing it takes longer than
    # finding that nothing changed (the early look above).
    from pelican.settings import read_settings

    override = {"PATH": str(Path(content).resolve())} if content else None
    try:
        defaults = read_settings(str(settings_file), override=override)
    except (ValueError, OSError, SyntaxError) as exc:
        raise BuildFailed(f"{settings_file}: {exc}") from exc
    content = Path(defaults["PATH"]).resolve()
    output = Path(output or defaults["OUTPUT_PATH"]).resolve()
    _check_paths(content, output)
    cache = defaults["CACHE_PATH"]
    with _output_lock(cache, output):
        try:
            return _build(settings_file, defaults, content, output, cache, strict, overrides,
                          force, early)
        finally:
            buildstate.store(cache).close()


def _build(settings_file: Path, defaults: dict[str, Any], content: Path, output: Path,
           cache: str, strict: bool, overrides: dict[str, Any] | None,
           force: bool, early: fingerprint.EarlyLook | None) -> list[logging.LogRecord]:
    from pelican import Pelican
    from pelican.settings import read_settings

    from newsdesk import pagecache

    _remove_leftovers(output)
    atomic.remove_orphans(cache)
    state = buildstate.store(cache)
    files_before = early.files(defaults) if early else fingerprint.files(defaults)
    fingerprint_of = fingerprint.with_files(defaults)
    before = fingerprint_of(files_before)
    files_read = (fingerprint.folders(defaults), files_before)
    if not force and fingerprint.unchanged(state, output, before, strict):
        if early:  # found by the full look: the next build finds it early
            with state.transaction() as writes:
                fingerprint.remember_early(writes, output, early, files_read)
        _left_as_it_was(output)
        return []

    staging = output.with_name(f".{output.name}.new-{os.getpid()}")
    site_key = fingerprint.site_key(defaults)
    # --force keeps nothing from earlier builds: no page, no kept article, no memo entry.
    reuse = (defaults.get("CACHE_CONTENT") and fingerprint.site_key_valid(state, site_key)
             and not force)
    known = None if force else pagecache.previous_build(state, output, site_key)
    # The build before last, kept as the spare, is the staging folder when it can be reused.
    clearing = (pagecache.take_spare(state, output, site_key, staging) if known is not None
                else None)
    if known is None:
        pagecache.drop_spare(output)
    overrides = {**(overrides or {})}
    links_left_out = _folder_links_left_out({**defaults, **overrides}, content, overrides)
    settings = read_settings(
        str(settings_file),
        # Pelican's own cache of what the reader made of each file is not loaded: the kept
        # articles (newsdesk/plugins/newsmeta/kept.py) take its place between builds.
        override={"LOAD_CONTENT_CACHE": False, "REUSE_CACHE": bool(reuse),
                  **overrides, "PATH": str(content), "OUTPUT_PATH": str(staging),
                  "STRICT": strict},
    )
    collector = ProblemCollector()
    logging.getLogger().addHandler(collector)
    paths.report_links_left_out(content, links_left_out)
    started = time.perf_counter()
    pages = pagecache.WrittenPages()
    try:
        with _page_cache_ready(known, None if known is None else str(output), clearing,
                               pages), _journal_of_writes() as own_writes:
            Pelican(settings).run()
    except KeyboardInterrupt:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except Exception as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(f"build stopped: {str(exc).strip() or repr(exc)}") from exc
    finally:
        logging.getLogger().removeHandler(collector)

    errors, warnings = collector.summary()
    elapsed = time.perf_counter() - started
    if strict and collector.records:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(
            f"strict build failed with {errors} error(s) and {warnings} warning(s); "
            f"{output} was left as it was"
        )
    spare = pagecache.retire(output, replace_folder(staging, output),
                             reusable=known is not None)
    with state.transaction() as writes:
        pagecache.remember(writes, output, site_key, pages.keys, spare)
        # Remembered only if no input changed while it ran but by its own writes (the
        # translation memory's notes): an edit made meanwhile must not be taken for built.
        # Nor if it logged a problem: translations a configured provider left pending do
        # (newsdesk.translate), so the next build asks it again.
        files_after = fingerprint.files(defaults)
        if not collector.records and (files_after == files_before or fingerprint.only_own_writes(
                defaults, files_before, own_writes)):
            fingerprint.remember(writes, output, fingerprint_of(files_after), strict)
            if early:
                fingerprint.remember_early(writes, output, early, (files_read[0], files_after))
        else:
            writes.drop_build(output)
    print(f"Built {output} in {elapsed:.1f} s: {errors} error(s), {warnings} warning(s); "
          f"{pages.rendered} page(s) rendered, {pages.unchanged} unchanged")
    return collector.records


@contextlib.contextmanager
def _journal_of_writes() -> Iterator[dict[str, written.Write]]:
    """Have the build's processes list the input files they write (newsdesk.written): in the
    preview's journal, or in one of the build's own. Gives the dict that takes what this
    build wrote, once it ends."""
    journal = os.environ.get(written.JOURNAL)
    offset = os.path.getsize(journal) if journal and os.path.exists(journal) else 0
    own = None
    if journal is None:
        handle, own = tempfile.mkstemp(prefix="newsdesk-written-")
        os.close(handle)
        os.environ[written.JOURNAL] = own
    writes: dict[str, written.Write] = {}
    try:
        yield writes
    finally:
        writes.update(written.writes(journal or str(own), offset))
        if own is not None:
            del os.environ[written.JOURNAL]
            os.unlink(own)


def _folder_links_left_out(settings: dict[str, Any], content: Path,
                           overrides: dict[str, Any]) -> list[tuple[str, str]]:
    """The links to folders that Pelican must not walk into (paths.folder_links_left_out),
    added to `overrides` as excluded from the articles, pages and static files."""
    left_out = paths.folder_links_left_out(content, [
        *settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"], *settings["STATIC_PATHS"]])
    if left_out:
        for name in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES", "STATIC_EXCLUDES"):
            overrides[name] = [*settings[name], *(link for link, _ in left_out)]
    return left_out


def main(argv: list[str] | None = None) -> int:
    # A build makes mostly objects that live until it ends (articles, memos, page keys): the
    # collector would scan them all again and again while they grow, for nothing (about a
    # quarter of a one-edit rebuild at 20,000 articles). It runs where garbage is made: in the
    # work spread over the cores (newsdesk.parallel), with what exists then left out.
    gc.disable()
    parser = argparse.ArgumentParser(prog="python -m newsdesk.build", description=__doc__)
    parser.add_argument("--content", type=Path, help="content folder (default: PATH setting)")
    parser.add_argument("--output", type=Path, help="output folder (default: OUTPUT_PATH)")
    parser.add_argument("--settings", type=Path, help="settings file (default: pelicanconf.py)")
    parser.add_argument("--strict", action="store_true", help="fail on any warning or error")
    parser.add_argument("--verbose", action="store_true", help="log every file written")
    parser.add_argument("--force", action="store_true", help="build even if nothing changed")
    args = parser.parse_args(argv)
    handler = logging.StreamHandler()  # one unwrapped line per problem, for people and CI logs
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    # As pelican.log.init does it, without importing Pelican before a build needs it.
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(message)s", handlers=[handler])
    try:
        build(args.content, args.output, settings_file=args.settings, strict=args.strict,
              force=args.force)
    except BuildFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the output was left as it was", file=sys.stderr)
        return 130
    return 0


@contextlib.contextmanager
def _page_cache_ready(known: dict[str, Any] | None, previous: str | None,
                      clearing: pagecache.SpareClearing | None,
                      written: pagecache.WrittenPages) -> Iterator[None]:
    """Give the generators that use the page cache its PageCacheConfig once every generator's
    context is made (all_generators_finalized), before they write; by then the spare taken as
    the staging folder, cleared while Pelican read the content, is ready."""
    from pelican import signals

    from newsdesk import pagecache

    def hand_over(generators: list[object]) -> None:
        config = pagecache.PageCacheConfig(known=known or {}, previous=previous,
                                           staged=clearing.wait() if clearing else {},
                                           written=written)
        for generator in generators:
            if isinstance(generator, pagecache.UsesPageCache):
                generator.page_cache_config = config

    try:
        with signals.all_generators_finalized.connected_to(hand_over):
            yield
    finally:
        if clearing:  # a build stopped while it ran: it must end before the folder goes
            clearing.wait()


def exit_now(status: int) -> NoReturn:
    """Leave without freeing the build's objects one by one (half a second per 2,000 articles):
    the process ends here, so only the output streams need flushing."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    exit_now(main())
