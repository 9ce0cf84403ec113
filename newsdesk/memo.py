"""Work on articles kept in the build cache between builds (CACHE_PATH/<name>.pickle).

Used for work done on every article at every build whose result depends on its inputs alone
(Markdown of translated texts, the Cyrillic of a Latin article, the translation stage). A memo
is loaded only when REUSE_CACHE (set by newsdesk.build) says the build cache was made by the
same code, theme, photos and settings, and saved only when CACHE_CONTENT is on.

A memo is two files: the whole (`<name>.pickle`) and what builds since added or changed
(`<name>.pickle.add`), so that a rebuild after a small change writes little. The whole is
written again, with only the entries that build used, once the additions or the entries no
longer used pass a fifth of it. Every entry is either a pure function of its key or checks
its own inputs when used, so an entry kept longer than needed is never wrong.
"""

import contextlib
import hashlib
import logging
import os
import pickle
from collections.abc import Callable, Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

from newsdesk.atomic import write_atomic
from newsdesk.parallel import run_shared, worker_count

log = logging.getLogger(__name__)


class Memo:
    """Values by key: those of the last build (`known`) and those this build used (`used`)."""

    def __init__(self, settings: Mapping[str, Any], name: str) -> None:
        self.name = name
        self.path = os.path.join(settings["CACHE_PATH"], f"{name}.pickle")
        self.enabled = settings.get("CACHE_CONTENT", False)
        self.known: dict[Hashable, Any] = {}
        self.used: dict[Hashable, Any] = {}
        self.added: set[Hashable] = set()
        if self.enabled and settings.get("REUSE_CACHE"):
            self.known = _load(self.path)
            if self.known:
                additions = _load(self.path + ".add")
                self.known.update(additions)
                self.added = set(additions)

    def get(self, key: Hashable) -> Any:
        return self.known.get(key)

    def put(self, key: Hashable, value: object) -> None:
        self.used[key] = value

    def save(self) -> None:
        """Keep what this build used (each file written whole or not at all)."""
        if not self.enabled:
            return
        new = {k: v for k, v in self.used.items() if self.known.get(k) is not v}
        unused = len(self.known.keys() - self.used.keys())
        if self.known and not new and not unused:
            return
        additions = {k: self.known[k] for k in self.added}
        additions.update(new)
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        if self.known and 5 * max(len(additions), unused) <= len(self.known):
            _dump(additions, self.path + ".add")
            return
        # The additions first: without them the old whole is still right, only older.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path + ".add")
        _dump(self.used, self.path)


def file_stamp(path: Path | str) -> tuple[int, int] | None:
    """A file's (size, modification time in ns), or None if it cannot be read: how memo
    entries tell that a file they were made from changed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _load(path: str) -> dict[Hashable, Any]:
    try:
        with open(path, "rb") as fp:
            return pickle.load(fp)
    except (OSError, pickle.PickleError, EOFError, AttributeError):
        return {}


def _dump(value: object, path: str) -> None:
    write_atomic(path, lambda fp: pickle.dump(value, fp, protocol=pickle.HIGHEST_PROTOCOL))


class TextMemo(Memo):
    """function(text), remembered by the text's hash."""

    def __init__(self, function: Callable[[str], Any], settings: Mapping[str, Any], name: str,
                 salt: str = "") -> None:
        super().__init__(settings, name)
        self.function = function
        self.salt = salt.encode()
        self.workers = worker_count(settings, "READ_WORKERS")
        self.minimum = settings.get("PREFETCH_MIN", 200)
        self.prefilled: dict[bytes, Any] = {}

    def __call__(self, text: str) -> Any:
        key = self._key(text)
        result = self.used.get(key)
        if result is None:
            result = self.prefilled.get(key)
            if result is None:
                result = self.known.get(key)
            if result is None:
                result = self.function(text)
            self.used[key] = result
        return result

    def prefill(self, texts: Iterable[str]) -> None:
        """Work out, on READ_WORKERS forked processes, the texts not remembered yet (when there
        are at least PREFETCH_MIN of them: fewer are not worth forking)."""
        keyed = {self._key(text): text for text in texts}
        missing = [(key, text) for key, text in keyed.items() if key not in self.known]
        if len(missing) < self.minimum or self.workers <= 1:
            return
        for results in run_shared(lambda share: {
                key: self.function(text) for key, text in missing if share.take()},
                self.workers):
            self.prefilled.update(results)
        log.info("%s: %d text(s) worked out on %d processes", self.name, len(missing),
                 self.workers)

    def _key(self, text: str) -> bytes:
        return hashlib.sha1(self.salt + b"\0" + text.encode()).digest()
