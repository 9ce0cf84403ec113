"""A build killed at any moment (kill -9) leaves nothing behind that lives: no worker, no
program it started, nothing holding its lock or its output stream; the build state as its last
finished transaction left it, even when killed while it writes it; and the next build makes
the same site as a build of the same content into a new folder."""

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from newsdesk import buildstate

from .conftest import ROOT, build_folder, copy_content, run_build, tree, write_settings

pytestmark = pytest.mark.build

ROUNDS = 10
# Where the kill lands, round after round: while photos are processed (once the first shows in
# the image cache), anywhere in a build with every photo to process, anywhere in one with none,
# once the n-th child (reading, clearing, image and writing workers, Pagefind) of such a build
# has started, and while it runs Pagefind.
MODES = ("images", "anywhere, photos to process", "anywhere, photos cached",
         "n-th child, photos cached", "Pagefind, photos cached")
GONE_WITHIN = 5  # seconds
EDITED = "articles/2024/festival-nauke-novi-sad.sr.md"
# Each build gets a version of it of its own, so it has pages to write and to index.
ADDENDUM = ("\n\nDopuna {n}: Đorđe Šćepanović iz Niša javlja da je čitaonica „Ćirilica & Co.” "
            "otvorena i nedeljom; predavanje Љубице Жарковић počinje u {n} časova (#nauka).\n")
PHOTO_SIZE = (2400, 1600)


def big_photos(content):
    """Every photo of the content replaced by a large one (distinct, so each is processed)."""
    for n, path in enumerate(sorted((content / "images").glob("*.jpg"))):
        noise = Image.effect_noise((PHOTO_SIZE[0] // 4, PHOTO_SIZE[1] // 4), 40 + n)
        gradient = Image.linear_gradient("L").resize(PHOTO_SIZE)
        Image.merge("RGB", (gradient, noise.resize(PHOTO_SIZE),
                            gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT))).save(path,
                                                                                      quality=85)


def _live(pid):
    """The process group of a live process, or None if it is gone or a zombie (ended, not yet
    reaped: it holds nothing)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, _ppid, group = text[text.rindex(")") + 2:].split()[:3]
    return None if state == "Z" else int(group)


def _opens(pid, targets):
    """Which of `targets` (what /proc/PID/fd links read) the process has open."""
    found = set()
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                found.add(os.readlink(f"/proc/{pid}/fd/{fd}"))
    return found & targets


def _program(pid):
    with contextlib.suppress(OSError):
        return Path(os.readlink(f"/proc/{pid}/exe")).name
    return "?"


class Build:
    """A build started the way run_build starts it, in a process group of its own, its output
    read by a thread until end of file."""

    def __init__(self, content, output, settings, cache, cwd):
        args = [sys.executable, "-m", "newsdesk.build", "--content", str(content),
                "--output", str(output), "--settings", str(settings)]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", "MT_PROVIDER": "none"}
        self.process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.process.pid
        self.pipe = f"pipe:[{os.fstat(self.process.stdout.fileno()).st_ino}]"
        self.lock = str(buildstate.lock_file(cache, output))
        self.ended = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while self.process.stdout.read1(65536):
            pass
        self.ended.set()

    def running(self):
        return self.process.poll() is None

    def children(self):
        """{pid: program} of the live processes of its group but itself."""
        return {int(name): _program(name) for name in os.listdir("/proc")
                if name.isdigit() and int(name) != self.pid and _live(name) == self.pid}

    def remains(self):
        """{pid: why} of the live processes of this build: in its process group, or holding
        its lock file or the write end of its output pipe open."""
        found = {}
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) == os.getpid() or (group := _live(name)) is None:
                continue
            why = ["in the build's process group"] if group == self.pid else []
            why += [f"holds {target} open" for target in
                    sorted(_opens(name, {self.lock, self.pipe}))]
            if why:
                found[int(name)] = f"{_program(name)}: {', '.join(why)}"
        return found

    def kill(self):
        """SIGKILL, unless it has ended (and been reaped) already; whether it was running."""
        running = self.running()
        self.process.kill()
        self.process.wait()
        return running


def wait_for_photo_work(images, build):
    """Until a worker has started writing a processed photo, or the build ended."""
    while build.running() and not (images.is_dir() and any(images.iterdir())):
        time.sleep(0.01)


def wait_for_child(build, n=1, program=None):
    """Until the n-th child of the build (running `program`, if given) has started, or the
    build ended; return the children alive then."""
    seen = set()
    while build.running():
        children = build.children()
        seen |= {pid for pid, name in children.items() if program in (None, name)}
        if len(seen) >= n:
            return children
        time.sleep(0.002)
    return {}


def wait_for_kill(mode, build, images, durations, rng):
    """Until the moment to kill the build in this mode; return its children alive then."""
    if mode == "images":
        wait_for_photo_work(images, build)
        time.sleep(rng.uniform(0, 1))
    elif mode.startswith("n-th child"):
        return wait_for_child(build, rng.randint(1, 8))
    elif mode.startswith("Pagefind"):
        return wait_for_child(build, program="pagefind")
    else:
        time.sleep(rng.uniform(0, durations["cached" if "cached" in mode else "to process"]))
    return build.children()


def test_a_killed_build_leaves_nothing_running_and_the_next_build_makes_the_site(tmp_path):
    seed = int(os.environ.get("NEWSDESK_KILL_SEED", time.time_ns() % 1_000_000))
    print(f"seed {seed} (NEWSDESK_KILL_SEED={seed} repeats these kills)")
    rng = random.Random(seed)
    content = copy_content(tmp_path)
    big_photos(content)
    edited = content / EDITED
    text = edited.read_text(encoding="utf-8")

    def configure(name):
        # Few widths keep a round short; every kind of worker is forked even for one edit.
        (tmp_path / name).mkdir()
        return write_settings(tmp_path / name, CACHE_PATH=str(tmp_path / name / "cache"),
                              IMAGE_WIDTHS=[480, 1200], IMAGE_WORKERS=2, PREFETCH_MIN=1,
                              READ_WORKERS=2, WRITE_WORKERS=2)

    def build(version, output, settings, photos="cached"):
        """Build a version of the content; return how long it took."""
        edited.write_text(text + ADDENDUM.format(n=version), encoding="utf-8")
        if photos != "cached":
            shutil.rmtree(images, ignore_errors=True)
        started = time.monotonic()
        result = run_build(content, output, settings=settings, cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        return time.monotonic() - started

    reference_settings, settings = configure("reference"), configure("killed")
    output, images = tmp_path / "output", tmp_path / "killed" / "cache" / "images"
    # How long a build of the output takes, caches filled: with every photo to process, none.
    build(-1, output, settings)
    durations = {photos: build(version, output, settings, photos)
                 for version, photos in ((-2, "to process"), (-3, "cached"))}

    builds = []
    try:
        for round_ in range(ROUNDS):
            mode = MODES[round_ % len(MODES)]
            where = f"round {round_} ({mode}, seed {seed})"
            reference = tmp_path / f"reference-{round_}"
            build(round_, reference, reference_settings)
            if "cached" not in mode:
                shutil.rmtree(images, ignore_errors=True)
            killed_build = Build(content, output, settings, images.parent, cwd=tmp_path)
            builds.append(killed_build)
            children = wait_for_kill(mode, killed_build, images, durations, rng)
            killed = killed_build.kill()
            after_kill = time.monotonic()
            print(f"{where}: killed with these children alive: {sorted(children.values())}"
                  if killed else f"{where}: the build had ended")
            if mode == "images":
                assert children, f"{where}: no image worker ran when the build was killed"

            assert killed_build.ended.wait(GONE_WITHIN), \
                f"{where}: the build's output pipe is still open {GONE_WITHIN} s after the kill"
            while (left := killed_build.remains()) and time.monotonic() - after_kill < GONE_WITHIN:
                time.sleep(0.05)
            assert not left, f"{where}: still running {GONE_WITHIN} s after the kill: {left}"

            result = run_build(content, output, settings=settings, cwd=tmp_path)
            assert result.returncode == 0, f"{where}: " + result.stdout + result.stderr
            assert tree(output) == tree(reference), \
                f"{where}: the next build made another site than a build into a new folder"
    finally:  # what the code under test left running goes too
        for killed_build in builds:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(killed_build.pid, signal.SIGKILL)


# A build that stops, its writes made, inside the first transaction that calls this method of
# buildstate.Transaction (until killed).
STOPPED_BUILD = """
import os, sys, time
from newsdesk import build, buildstate
method = os.environ["STOP_IN"]
original = getattr(buildstate.Transaction, method)

def stopped(self, *args, **kwargs):
    original(self, *args, **kwargs)
    open(os.environ["STOP_MARKER"], "w").close()
    time.sleep(600)

setattr(buildstate.Transaction, method, stopped)
sys.exit(build.main(sys.argv[1:]))
"""


def state_tables(cache, *tables):
    with sqlite3.connect(cache / buildstate.FILE) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall())
                for table in tables}


# Where the build is killed: while it saves a memo (the first: the edited file's header), and
# in the transaction that ends it (page keys, spare, fingerprint).
@pytest.mark.parametrize("method, tables", [
    ("put_memo", ("memo", "meta", "page_sets", "builds")),
    ("put_pages", ("page_sets", "builds"))])
def test_a_build_killed_while_it_saves_its_state_leaves_it_as_it_was(tmp_path, method, tables):
    content = copy_content(tmp_path)
    cache, output = tmp_path / "cache", tmp_path / "output"
    settings = write_settings(tmp_path, CACHE_PATH=str(cache))
    assert run_build(content, output, settings=settings, cwd=tmp_path).returncode == 0
    edited = content / EDITED
    edited.write_text(edited.read_text(encoding="utf-8") + ADDENDUM.format(n=1), "utf-8")
    before = state_tables(cache, *tables)

    marker = tmp_path / "stopped"
    args = [sys.executable, "-c", STOPPED_BUILD, "--content", str(content), "--output",
            str(output), "--settings", str(settings)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MT_PROVIDER": "none", "STOP_IN": method,
           "STOP_MARKER": str(marker)}
    process = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert marker.exists(), f"the build never called {method}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    assert state_tables(cache, *tables) == before, "what the killed transaction wrote is gone"
    result = run_build(content, output, settings=settings, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    reference = tmp_path / "reference"
    assert run_build(content, reference, settings=write_settings(reference), cwd=tmp_path
                     ).returncode == 0
    assert tree(output) == tree(reference)
    again = run_build(content, output, settings=settings, cwd=tmp_path)
    assert "Nothing changed" in again.stdout, "the next build's state was saved"


def test_between_builds_the_database_file_alone_holds_the_state(example_site, tmp_path):
    """The build leaves nothing waiting in the write-ahead log: a copy of build-state.sqlite,
    as a backup takes it, is the whole state."""
    output, _ = example_site
    cache = build_folder(output) / "cache"
    wal = cache / f"{buildstate.FILE}-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "backup.sqlite"
    shutil.copy(cache / buildstate.FILE, copy)
    with contextlib.closing(sqlite3.connect(copy)) as db:
        assert db.execute("SELECT count(*) FROM memo").fetchall()[0][0] > 0
        assert db.execute("SELECT count(*) FROM page_sets").fetchall()[0][0] > 0
        assert db.execute("SELECT count(*) FROM builds").fetchall()[0][0] == 1
