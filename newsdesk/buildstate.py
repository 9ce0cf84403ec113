"""Everything a build keeps between runs: one SQLite database, CACHE_PATH/build-state.sqlite.

Its tables:
- memo (name, key, value): work on articles remembered by key (newsdesk.memo: kept articles,
  source headers, the translation stage, translated and Cyrillic HTML, related reading), each
  entry read when asked for, never the whole memo;
- page_sets (output, slot, site, stamp, keys): the key of every page of an output folder
  ('live') and of the build before last kept beside it ('spare'), with the site key they were
  made with and the folder they describe (newsdesk.pagecache), each set one row: a build
  reads and writes them whole;
- builds (output, inputs, stamp, strict, early, files_read): the fingerprint of the last good
  build of an output folder, and what a build needs to find it before it reads its settings
  with Pelican (newsdesk.fingerprint.look_early);
- meta (name, value): the site key the memos were made with;
- checks (output, data): what the last passing check of an output folder saw
  (newsdesk.checkstate).

The database is in WAL mode. Each process has a connection of its own (a forked worker opens
one when it first reads; the one it inherited is never used), and only the process that made
the Store writes, in transactions: a memo when its stage has used it, and what a build decided
about its output (page keys, spare, fingerprint) in one transaction at its end. A build killed
at any moment leaves the database as its last finished transaction left it.

The files of the caches this replaced are deleted when the database is made.
"""

import contextlib
import hashlib
import marshal
import os
import pickle
import shutil
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

FILE = "build-state.sqlite"
VERSION = 3  # of the tables' layout
# What the caches this database replaced left in CACHE_PATH.
LEGACY_FILES = ("*.pickle", "*.pickle.add", "pages-*.json", "pages-*.lock", "build-state.json",
                "content-cache-key")
LEGACY_FOLDERS = ("check-state",)
SCHEMA = """
CREATE TABLE memo (name TEXT, key BLOB, value BLOB, PRIMARY KEY (name, key)) WITHOUT ROWID;
CREATE TABLE page_sets (output TEXT, slot TEXT, site TEXT, stamp TEXT, keys BLOB,
                        PRIMARY KEY (output, slot));
CREATE TABLE builds (output TEXT PRIMARY KEY, inputs TEXT, stamp TEXT, strict INTEGER,
                     early TEXT, files_read TEXT);
CREATE INDEX builds_early ON builds (early);
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE checks (output TEXT PRIMARY KEY, data BLOB);
"""
Key = str | bytes
BATCH = 500  # keys asked for in one query (SQLite takes up to 32766 parameters)


def lock_file(cache: str | Path, output: str | Path) -> Path:
    """The file whose lock one build of `output` holds while it runs (newsdesk.build)."""
    name = hashlib.sha1(str(output).encode()).hexdigest()[:16]
    return Path(cache) / f"build-{name}.lock"


class Store:
    """The build state database of one cache folder, as one process sees it."""

    def __init__(self, cache: str | Path) -> None:
        self.path = Path(cache) / FILE
        self.owner = os.getpid()
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._inherited: list[sqlite3.Connection] = []

    @property
    def db(self) -> sqlite3.Connection:
        """This process's connection (made when first used)."""
        if self._db is None or self._pid != os.getpid():
            if self._db is not None:  # a forked process's copy: the parent's, never used here
                self._inherited.append(self._db)
            self._db, self._pid = self._connect(), os.getpid()
        return self._db

    def close(self) -> None:
        """Fold the write-ahead log into the database file and close this process's connection:
        between builds the file alone holds the whole state (a copy of it is a backup)."""
        if self._db is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.OperationalError):  # busy: a reader folds it later
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()
        self._db = None

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in (1, 2):
            db = sqlite3.connect(self.path, isolation_level=None, timeout=60)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                if db.execute("PRAGMA user_version").fetchall()[0][0] != VERSION:
                    self._create(db)
                return db
            except sqlite3.DatabaseError:
                db.close()
                if attempt == 2 or os.getpid() != self.owner:
                    raise
                # not a database (a broken cache): made again, empty
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        raise AssertionError("unreachable")

    def _create(self, db: sqlite3.Connection) -> None:
        """Make the tables, and delete what the caches they replace left (in the same
        transaction: a build killed meanwhile does it again)."""
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchall()[0][0] != VERSION:
                for (table,) in db.execute(
                        "SELECT name FROM sqlite_master WHERE type='table'").fetchall():
                    db.execute(f'DROP TABLE "{table}"')
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version={VERSION}")
                cache = self.path.parent
                for pattern in LEGACY_FILES:
                    for path in cache.glob(pattern):
                        path.unlink(missing_ok=True)
                for name in LEGACY_FOLDERS:
                    shutil.rmtree(cache / name, ignore_errors=True)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _rows(self, sql: str, *params: object) -> list[Any]:
        return self.db.execute(sql, params).fetchall()  # read to the end: no read lock kept

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Transaction"]:
        """Writes that are kept all together or not at all (only in the process that made
        this Store: workers read)."""
        if os.getpid() != self.owner:
            raise RuntimeError(f"{self.path}: only the build's own process writes")
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield Transaction(db)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    # -- reading -------------------------------------------------------------------------------

    def memo(self, name: str, key: Key) -> Any:
        """The memo entry, or None."""
        rows = self._rows("SELECT value FROM memo WHERE name=? AND key=?", name, stored_key(key))
        return pickle.loads(rows[0][0]) if rows else None

    def memos(self, name: str, keys: Iterable[Key]) -> dict[bytes, Any]:
        """{stored key: value} of the memo entries of `keys` that there are (read in batches)."""
        wanted = [stored_key(key) for key in keys]
        found: dict[bytes, Any] = {}
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start:start + BATCH]
            found.update((key, pickle.loads(value)) for key, value in self._rows(
                f"SELECT key, value FROM memo WHERE name=? AND key IN "
                f"({','.join('?' * len(batch))})", name, *batch))
        return found

    def site_key(self) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE name='site'")
        return rows[0][0] if rows else None

    def page_set(self, output: str | Path, slot: str) -> tuple[str, list[int]] | None:
        """(site key, folder stamp) of the page keys of `output`'s slot, or None."""
        rows = self._rows("SELECT site, stamp FROM page_sets WHERE output=? AND slot=?",
                          str(output), slot)
        return (rows[0][0], _load_stamp(rows[0][1])) if rows else None

    def page_keys(self, output: str | Path, slot: str) -> dict[str, Any]:
        """{page: key} of `output`'s slot (a folder's key, its path ending in "/", is data)."""
        rows = self._rows("SELECT keys FROM page_sets WHERE output=? AND slot=?", str(output),
                          slot)
        return marshal.loads(rows[0][0]) if rows else {}

    def build(self, output: str | Path) -> tuple[str, list[int], bool] | None:
        """(inputs, folder stamp, strict) of the last good build of `output`, or None."""
        rows = self._rows("SELECT inputs, stamp, strict FROM builds WHERE output=?", str(output))
        return (rows[0][0], _load_stamp(rows[0][1]), bool(rows[0][2])) if rows else None

    def build_by_early_key(self, key: str) -> tuple[str, list[int], bool, str] | None:
        """(output, folder stamp, strict, files read) of the last good build recorded under
        an early look's key, or None."""
        rows = self._rows("SELECT output, stamp, strict, files_read FROM builds WHERE early=?",
                          key)
        return (rows[0][0], _load_stamp(rows[0][1]), bool(rows[0][2]), rows[0][3]) if rows \
            else None

    def check(self, output: str) -> Any:
        rows = self._rows("SELECT data FROM checks WHERE output=?", output)
        return pickle.loads(rows[0][0]) if rows else None

    def memo_size(self, name: str) -> int:
        return self._rows("SELECT count(*) FROM memo WHERE name=?", name)[0][0]


class Transaction:
    """The writes of one transaction (Store.transaction)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def put_memo(self, name: str, entries: Mapping[Key, object]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO memo VALUES (?, ?, ?)", (
            (name, stored_key(key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            for key, value in entries.items()))

    def memo_size(self, name: str) -> int:
        return self.db.execute("SELECT count(*) FROM memo WHERE name=?", (name,)).fetchall()[0][0]

    def keep_only_memo(self, name: str, keys: Collection[Key]) -> None:
        """Delete the memo's entries but those of `keys`."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key BLOB PRIMARY KEY)")
        self.db.execute("DELETE FROM used")
        self.db.executemany("INSERT OR IGNORE INTO used VALUES (?)",
                            ((stored_key(k),) for k in keys))
        self.db.execute("DELETE FROM memo WHERE name=? AND key NOT IN (SELECT key FROM used)",
                        (name,))
        self.db.execute("DELETE FROM used")

    def new_site(self, site_key: str) -> None:
        """Record the site key, and drop every memo (made with another)."""
        self.db.execute("DELETE FROM memo")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('site', ?)", (site_key,))

    def put_pages(self, output: str | Path, slot: str, site: str, stamp: list[int],
                  keys: Mapping[str, Any]) -> None:
        self.db.execute("INSERT OR REPLACE INTO page_sets VALUES (?, ?, ?, ?, ?)",
                        (str(output), slot, site, _dump_stamp(stamp), marshal.dumps(dict(keys))))

    def move_pages(self, output: str | Path, source: str, target: str,
                   stamp: list[int]) -> None:
        """The page keys of one slot become those of another, describing the folder `stamp`."""
        self.drop_pages(output, target)
        self.db.execute("UPDATE page_sets SET slot=?, stamp=? WHERE output=? AND slot=?",
                        (target, _dump_stamp(stamp), str(output), source))

    def drop_pages(self, output: str | Path, slot: str) -> None:
        self.db.execute("DELETE FROM page_sets WHERE output=? AND slot=?", (str(output), slot))

    def put_build(self, output: str | Path, inputs: str, stamp: list[int], strict: bool) -> None:
        self.db.execute("INSERT OR REPLACE INTO builds VALUES (?, ?, ?, ?, NULL, NULL)",
                        (str(output), inputs, _dump_stamp(stamp), int(strict)))

    def put_early(self, output: str | Path, early: str, files_read: str) -> None:
        """The early look's key and files read of the last good build of `output`."""
        self.db.execute("UPDATE builds SET early=?, files_read=? WHERE output=?",
                        (early, files_read, str(output)))

    def drop_build(self, output: str | Path) -> None:
        self.db.execute("DELETE FROM builds WHERE output=?", (str(output),))

    def put_check(self, output: str, data: object) -> None:
        self.db.execute("INSERT OR REPLACE INTO checks VALUES (?, ?)",
                        (output, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)))


_STORES: dict[str, Store] = {}


def store(cache: str | Path) -> Store:
    """The Store of a cache folder (one per folder and process tree)."""
    path = os.path.abspath(cache)
    found = _STORES.get(path)
    if found is None:
        found = _STORES[path] = Store(path)
    return found


def stored_key(key: Key) -> bytes:
    """A memo key as the table keeps it."""
    if isinstance(key, bytes):
        return b"b" + key
    if isinstance(key, str):
        return b"s" + key.encode()
    raise TypeError(f"a memo key is text or bytes, not {type(key).__name__}")


def _dump_stamp(stamp: list[int]) -> str:
    return " ".join(map(str, stamp))


def _load_stamp(text: str) -> list[int]:
    return [int(part) for part in text.split()]
