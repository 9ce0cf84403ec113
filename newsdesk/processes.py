"""The processes of a build: every one it starts ends when it ends, even when it is killed
(kill -9). Every process a build starts comes from here: `fork`, `process_pool`, `run`,
`foreground` for the command a task runs, and `detached` for a program meant to outlive it.

A child asks the kernel to kill it when its parent ends (Linux: PR_SET_PDEATHSIG), then checks
that its parent is still the process that started it, which may have ended before that. The
kernel sends the signal when the *thread* that started the child ends, so children are forked
by the main thread only, and a program is waited for by the thread that started it. Elsewhere
than on Linux, the children of a killed build may outlive it. (The build's lock is not the
children's either: see newsdesk.build._output_lock.)
"""

import ctypes
import functools
import multiprocessing
import os
import signal
import subprocess
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

_PR_SET_PDEATHSIG = 1
_prctl: Callable[..., int] | None
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here, not in a new child
except (OSError, AttributeError):
    _prctl = None


def _end_with(parent: int) -> None:
    """In a new child of `parent`: be killed when it ends; end now if it already has."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _main_thread_only(what: str) -> None:
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError(f"{what} from the main thread only: a child is killed when the "
                           "thread that started it ends")


def fork() -> int:
    """os.fork(), for a child that ends when this process does."""
    _main_thread_only("fork")
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        _end_with(parent)
    return pid


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A ProcessPoolExecutor whose workers end when this process does. They are forked when the
    first job is submitted, by the thread that submits it: use it in the main thread."""
    _main_thread_only("process_pool")
    # The pool's only hook in its workers is the initializer, which runs once multiprocessing
    # has set the worker up: _end_with's check covers a parent that ended before it.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_end_with, initargs=(os.getpid(),))


def run(args: Sequence[str | Path], **options: Any) -> subprocess.CompletedProcess[Any]:
    """subprocess.run() for a program that ends when this process does (the calling thread
    waits for it, so any thread may call this)."""
    # preexec_fn is no risk in a process with threads here: _end_with takes no lock.
    return subprocess.run(args, preexec_fn=functools.partial(_end_with, os.getpid()),
                          **options)


def foreground(args: Sequence[str | Path], cwd: Path | str) -> int:
    """Run a program on this process's terminal and output until it ends; return its exit
    code. It ends when this process does, even killed; an interrupt (Ctrl-C) reaches it too,
    and it is waited for while it stops."""
    _main_thread_only("foreground")
    process = subprocess.Popen(args, cwd=cwd, preexec_fn=functools.partial(_end_with,
                                                                             os.getpid()))
    # Ctrl-C is the program's to answer, so it is ignored here while the program runs. An
    # interrupt raised here just after the program ended would lose its exit code: Popen.wait
    # gives 0 for a child already reaped.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return process.wait()
    finally:
        signal.signal(signal.SIGINT, previous)


def detached(args: Sequence[str | Path]) -> subprocess.Popen[bytes]:
    """Start a program that may outlive the build: it holds nothing of it (no output stream;
    programs inherit no other descriptor) and runs in its own session."""
    return subprocess.Popen(args, start_new_session=True, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
