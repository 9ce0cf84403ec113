"""Work on articles kept in the build state between builds (newsdesk.buildstate, table memo).

Used for work done on every article at every build whose result depends on its inputs alone
(Markdown of translated texts, the Cyrillic of a Latin article, the translation stage). A memo
is read only when REUSE_CACHE (set by newsdesk.build) says the build state was made by the
same code, theme, photos and settings, and saved only when CACHE_CONTENT is on.

Entries are read one by one, when asked for. `save` writes, in one transaction, the entries
this build made or changed; once the entries this build did not use pass a fifth of the memo,
they are deleted. Every entry is either a pure function of its key or checks its own inputs
when used, so an entry kept longer than needed is never wrong.
"""

import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from newsdesk import buildstate
from newsdesk.buildstate import Key
from newsdesk.parallel import run_shared, worker_count

log = logging.getLogger(__name__)


class Memo:
    """Values by key: those of earlier builds (`get`) and those this build used (`put`)."""

    def __init__(self, settings: Mapping[str, Any], name: str) -> None:
        self.name = name
        enabled = bool(settings.get("CACHE_CONTENT", False))
        self.reuse = enabled and bool(settings.get("REUSE_CACHE"))
        self.store = buildstate.store(settings["CACHE_PATH"]) if enabled else None
        self.used: dict[Key, Any] = {}
        self.kept: set[Key] = set()  # keys used with the value the store has
        self.got: dict[Key, Any] = {}  # values read from the store, until put

    def get(self, key: Key) -> Any:
        if key in self.got:
            return self.got[key]
        if not self.reuse or self.store is None:
            return None
        value = self.got[key] = self.store.memo(self.name, key)
        return value

    def prefetch(self, keys: Iterable[Key]) -> None:
        """Read the entries of `keys` in a few queries, rather than one each when asked."""
        if not self.reuse or self.store is None:
            return
        wanted = {buildstate.stored_key(key): key for key in keys if key not in self.got}
        found = self.store.memos(self.name, wanted.values())
        for stored, key in wanted.items():
            self.got[key] = found.get(stored)

    def put(self, key: Key, value: object) -> None:
        got = self.got.pop(key, None)
        if got is not None and got is value:
            self.kept.add(key)
        else:
            self.kept.discard(key)
        self.used[key] = value

    def save(self) -> None:
        """Keep what this build used, in one transaction."""
        if self.store is None:
            return
        new = {k: v for k, v in self.used.items() if k not in self.kept}
        if not new and not _worth_pruning(self.store.memo_size(self.name), len(self.used)):
            return
        with self.store.transaction() as writes:
            writes.put_memo(self.name, new)
            if _worth_pruning(writes.memo_size(self.name), len(self.used)):
                writes.keep_only_memo(self.name, self.used.keys())

    def forget(self) -> None:
        """Let go of what this build read and used (after `save`)."""
        self.used, self.kept, self.got = {}, set(), {}


def _worth_pruning(size: int, used: int) -> bool:
    """Whether the entries a build did not use pass a fifth of the memo."""
    return 5 * (size - used) > size


Stamp = tuple[int, int, int]


def file_stamp(path: Path | str) -> Stamp | None:
    """A file's (size, modification time, change time in ns), or None if it cannot be read:
    how memo entries tell that a file they were made from changed. The change time is set by
    the system alone: a file put back with its old size and modification time (cp -p,
    rsync -a, tar, touch -r) has a new one."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns


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
                result = self.get(key)
                if result is not None:
                    self.put(key, result)
                    return result
                result = self.function(text)
            self.used[key] = result
        return result

    def prefill(self, texts: Iterable[str]) -> None:
        """Work out, on READ_WORKERS forked processes, the texts not remembered yet (when there
        are at least PREFETCH_MIN of them: fewer are not worth forking)."""
        keyed = {self._key(text): text for text in texts}
        self.prefetch(keyed)
        missing = [(key, text) for key, text in keyed.items() if self.get(key) is None]
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
