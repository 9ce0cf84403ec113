"""Work spread over every core by forked workers, each doing its share of one walk.

Every worker walks the same list in the same order and does item n when
n % workers == its index, so each item is done exactly once and no work list has to be sent
anywhere. Workers are forked once the data is ready (copy-on-write, nothing to pickle on the
way in); what a job returns and the records it logs come back to the main process, which
handles the records as its own, so warnings reach the console once and still fail a strict
build.

What exists when the work starts is frozen for the garbage collector (gc.freeze) while it
runs: every process's collections skip it, so they stay small however large the archive, and
a worker's collections do not copy the memory it shares with this process. The collector runs
during the job even where the caller turned it off (newsdesk.build does, while it loads).
"""

import contextlib
import gc
import logging
import os
import pickle
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from newsdesk import processes

Result = TypeVar("Result")


class Share:
    """Which of the pages walked in order belong to this process."""

    def __init__(self, index: int = 0, count: int = 1) -> None:
        self.index, self.count, self.seen = index, count, 0

    @property
    def main(self) -> bool:
        return self.index == 0

    def take(self) -> bool:
        """Count one page; True if this process writes it."""
        mine = self.seen % self.count == self.index
        self.seen += 1
        return mine


class RecordCollector(logging.Handler):
    """Keeps log records, message formatted, so they can be pickled and replayed."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        record.exc_info = record.exc_text = None
        self.records.append(record)


def replay(records: Iterable[logging.LogRecord]) -> None:
    """Handle records logged in a worker as if logged here. A record Pelican's duplicate
    filter refuses (the same message was logged here already) is dropped, as it would be."""
    for record in records:
        try:
            logging.getLogger(record.name).handle(record)
        except Exception:  # pelican.log.FilteredMessage
            continue


def _worker(job: Callable[[Share], object], share: Share, pipe: int) -> None:
    root = logging.getLogger()
    capture = RecordCollector()
    root.handlers = [capture]
    failure = result = None
    try:
        result = job(share)
    except BaseException:  # reported to the main process, which raises
        failure = traceback.format_exc()
    with os.fdopen(pipe, "wb") as fp:
        pickle.dump((failure, capture.records, result), fp, protocol=pickle.HIGHEST_PROTOCOL)


@contextlib.contextmanager
def collecting_young_objects() -> Iterator[None]:
    """Collect garbage, but only among the objects made from now on (see the docstring)."""
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        gc.unfreeze()  # collectable again: garbage of a long-running process is not kept
        if not was_enabled:
            gc.disable()


def cores() -> int:
    """How many processors this machine has."""
    return os.cpu_count() or 1


def worker_count(settings: Mapping[str, Any], name: str, default: int | None = None) -> int:
    """How many processes a step runs on: the setting `name` as given when it is a positive
    whole number (even more than the cores, as a site asks); else `default`, at most the
    cores; else the cores."""
    given = settings.get(name)
    if isinstance(given, int) and given > 0:
        return given
    return cores() if default is None else max(1, min(default, cores()))


def run_shared(job: Callable[[Share], Result], workers: int) -> list[Result]:
    """Call job(Share) in `workers` processes (this one included); return their results."""
    with collecting_young_objects():
        if workers <= 1 or not hasattr(os, "fork"):
            return [job(Share())]
        return _run_forked(job, workers)


def _run_forked(job: Callable[[Share], Result], workers: int) -> list[Result]:
    children = []
    for index in range(1, workers):
        read_end, write_end = os.pipe()
        pid = processes.fork()
        if pid == 0:  # the worker: never returns into the caller's code
            os.close(read_end)
            try:
                _worker(job, Share(index, workers), write_end)
            finally:
                os._exit(0)
        os.close(write_end)
        children.append((pid, read_end))
    results = []
    try:
        results.append(job(Share(0, workers)))
    finally:
        failures = []
        for pid, read_end in children:
            with os.fdopen(read_end, "rb") as fp:
                try:
                    failure, records, result = pickle.load(fp)
                except EOFError:
                    failure, records, result = f"worker {pid} died", [], None
            os.waitpid(pid, 0)
            replay(records)
            results.append(result)
            if failure:
                failures.append(failure)
    if failures:
        raise RuntimeError("a worker failed:\n" + failures[0])
    return results
