"""Every way a build starts a process gives one that ends when the build is killed, and none
of them keeps the build's lock."""

import os
import re
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from newsdesk import processes
from newsdesk.build import _output_lock

from .conftest import ROOT

# Each starts a child that sleeps, from a parent that prints the child's pid and then waits.
STARTS = {
    "fork": """
        pid = processes.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        print(pid, flush=True)
    """,
    "process_pool": """
        pool = processes.process_pool(1)
        print(pool.submit(os.getpid).result(), flush=True)
    """,
    "run, from another thread": """
        threading.Thread(target=processes.run, args=(["sh", "-c", "echo $$; exec sleep 60"],)
                         ).start()
    """,
}


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.build
@pytest.mark.parametrize("start", STARTS)
def test_a_child_ends_when_its_parent_is_killed(start):
    script = "import os, threading, time\nfrom newsdesk import processes\n" + \
        textwrap.dedent(STARTS[start]) + "time.sleep(60)\n"
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True, start_new_session=True)
    try:
        child = int(parent.stdout.readline())
        assert _alive(child)
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 5
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not _alive(child), f"the child ({start}) outlived its killed parent"
    finally:
        os.killpg(parent.pid, signal.SIGKILL)


@pytest.mark.build
def test_a_forked_child_does_not_keep_the_build_lock(tmp_path):
    output = tmp_path / "out"
    with _output_lock(tmp_path, output):
        read_end, write_end = os.pipe()
        pid = processes.fork()
        if pid == 0:  # lives on after the block, until the test closes the pipe
            os.close(write_end)
            os.read(read_end, 1)
            os._exit(0)
        os.close(read_end)
    try:
        next_build = subprocess.run(
            [sys.executable, "-c", "import sys; from pathlib import Path; "
             "from newsdesk.build import _output_lock\n"
             "with _output_lock(Path(sys.argv[1]), Path(sys.argv[2])): print('locked')",
             str(tmp_path), str(output)], cwd=ROOT, capture_output=True, text=True)
        assert next_build.stdout == "locked\n", next_build.stderr
    finally:
        os.close(write_end)
        os.waitpid(pid, 0)


# Tasks that run beside a build, never in it, and start programs of their own.
NOT_IN_A_BUILD = {"newsdesk/audit.py", "newsdesk/bench.py", "newsdesk/check.py",
                  "newsdesk/preview.py", "newsdesk/publish/ghpages.py", "newsdesk/publish/ssh.py"}
STARTS_A_PROCESS = re.compile(r"\bos\.(fork|spawn\w*|posix_spawn\w*|exec\w*|system)\(|"
                              r"\bsubprocess\b|\bmultiprocessing\b|ProcessPoolExecutor")


def test_every_process_a_build_starts_comes_from_newsdesk_processes():
    code = list((ROOT / "newsdesk").rglob("*.py"))
    elsewhere = sorted(path.relative_to(ROOT).as_posix() for path in code
                       if STARTS_A_PROCESS.search(path.read_text(encoding="utf-8")))
    assert set(elsewhere) - NOT_IN_A_BUILD == {"newsdesk/processes.py"}


@pytest.mark.build
def test_a_foreground_program_answers_ctrl_c_and_its_exit_code_is_kept():
    """While a task's program runs, the task ignores SIGINT (the program answers it, and an
    interrupt raised in the task could lose the program's exit code); afterwards the task's own
    handler is back."""
    reads_its_parent = ("import sys\n"
                        "status = open(f'/proc/{__import__(\"os\").getppid()}/status').read()\n"
                        "ignored = int(status.split('SigIgn:')[1].split()[0], 16)\n"
                        f"sys.exit(7 if ignored & 1 << ({int(signal.SIGINT)} - 1) else 3)\n")
    before = signal.getsignal(signal.SIGINT)
    assert processes.foreground([sys.executable, "-c", reads_its_parent], cwd=ROOT) == 7
    assert signal.getsignal(signal.SIGINT) is before
