"""Writing pages on every core: forked workers each render their share of the pages.

Every worker walks the same list of pages in the same order and renders page n when
n % workers == its index, so each page is written exactly once and no work list has to be
sent anywhere. Workers are forked after the whole context is built (copy-on-write, nothing to
pickle); their log records come back to the main process, which handles them as its own, so
warnings still reach the console once and still fail a strict build.
"""

import logging
import os
import pickle
import traceback


class Share:
    """Which of the pages walked in order belong to this process."""

    def __init__(self, index=0, count=1):
        self.index, self.count, self.seen = index, count, 0

    @property
    def main(self):
        return self.index == 0

    def take(self):
        """Count one page; True if this process writes it."""
        mine = self.seen % self.count == self.index
        self.seen += 1
        return mine


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        record.msg, record.args = record.getMessage(), None
        record.exc_info = record.exc_text = None
        self.records.append(record)


def _worker(job, share, pipe):
    root = logging.getLogger()
    capture = _Capture()
    root.handlers = [capture]
    failure = None
    try:
        job(share)
    except BaseException:  # noqa: BLE001 - reported to the main process, which raises
        failure = traceback.format_exc()
    with os.fdopen(pipe, "wb") as fp:
        pickle.dump((failure, capture.records), fp)


def run_shared(job, workers):
    """Call job(Share) in `workers` processes (this one included); return when all are done."""
    if workers <= 1 or not hasattr(os, "fork"):
        job(Share())
        return
    children = []
    for index in range(1, workers):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns into the caller's code
            os.close(read_end)
            try:
                _worker(job, Share(index, workers), write_end)
            finally:
                os._exit(0)
        os.close(write_end)
        children.append((pid, read_end))
    try:
        job(Share(0, workers))
    finally:
        failures = []
        for pid, read_end in children:
            with os.fdopen(read_end, "rb") as fp:
                try:
                    failure, records = pickle.load(fp)
                except EOFError:
                    failure, records = f"worker {pid} died", []
            os.waitpid(pid, 0)
            for record in records:
                logging.getLogger(record.name).handle(record)
            if failure:
                failures.append(failure)
    if failures:
        raise RuntimeError("writing pages failed in a worker:\n" + failures[0])
