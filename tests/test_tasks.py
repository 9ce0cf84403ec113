"""The Invoke tasks, run as a user runs them."""

import contextlib
import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, copy_content, read_html, run_build, write_settings

pytestmark = pytest.mark.build


def invoke(*args, cwd=ROOT, env=None):
    env = {**os.environ, "MT_PROVIDER": "none", **(env or {})}
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_every_task_is_listed_with_its_docstring():
    listing = invoke("--list").stdout
    for task in ("build", "clean", "serve", "new", "i18n", "lint", "test"):
        line = next((ln for ln in listing.splitlines() if ln.strip().startswith(task + " ")), "")
        assert len(line.split(None, 1)) == 2, f"{task} has no description in:\n{listing}"


def test_new_scaffolds_an_article_that_builds(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "images").mkdir()
    result = invoke("new", "--title", "Nova vest o Đerdapu", "--category", "Ekonomija",
                    "--author", "Jelena Ljubičić", "--content", str(content))
    assert result.returncode == 0, result.stderr
    created = list((content / "articles").rglob("*.sr.md"))
    assert [p.name for p in created] == ["nova-vest-o-djerdapu.sr.md"]
    text = created[0].read_text(encoding="utf-8")
    for field in ("Title", "Date", "Modified", "Author", "Category", "Tags", "Type", "Source",
                  "Summary", "Image", "Caption", "Credit"):
        assert f"\n{field}:" in "\n" + text, field
    again = invoke("new", "--title", "Nova vest o Đerdapu", "--content", str(content))
    assert again.returncode != 0 and "already exists" in again.stderr
    build = run_build(content, tmp_path / "out")
    assert "0 error(s), 1 warning(s)" in build.stdout, build.stdout + build.stderr
    assert ("nova-vest-o-djerdapu.sr.md: the text still holds the placeholder of `invoke new` "
            "('Prvi pasus članka.')") in build.stderr, "a first draft is not published as is"
    created[0].write_text(text.replace("Prvi pasus članka.", "Radovi na Đerdapu počinju u "
                                       "ponedeljak, 7.12.2026."), encoding="utf-8")
    build = run_build(content, tmp_path / "out")
    assert "0 error(s), 0 warning(s)" in build.stdout, build.stdout + build.stderr
    page = next((tmp_path / "out").glob("*/nova-vest-o-djerdapu/index.html"))
    assert read_html(page).h1.text == "Nova vest o Đerdapu"


def test_catalogs_are_complete():
    result = invoke("i18n", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_strict_build_task_exits_non_zero_on_bad_input(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "x.sr.md").write_text("Title: X\n\nNo date.\n")
    result = invoke("build", "--content", str(content), "--output", str(tmp_path / "o"),
                    "--settings", str(write_settings(tmp_path)), "--strict")
    assert result.returncode == 1
    assert not (tmp_path / "o").exists()


def test_new_help_shows_help_and_creates_nothing(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    for args in (("new", "--help"), ("--help", "new"), ("new", "-h")):
        result = invoke(*args, cwd=ROOT)
        assert result.returncode == 0, result.stderr
        assert "--title" in result.stdout and "--lang" in result.stdout
    assert not list(ROOT.glob("content/articles/**/*help*"))
    missing = invoke("new", "--content", str(content))
    assert missing.returncode != 0 and "--title" in missing.stderr
    assert not list(content.rglob("*.md"))


def test_new_refuses_an_unknown_language_or_type_at_once(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    wrong_lang = invoke("new", "--title", "Vest", "--lang", "srb", "--content", str(content))
    assert wrong_lang.returncode != 0 and "unknown language 'srb'" in wrong_lang.stderr
    wrong_type = invoke("new", "--title", "Vest", "--type", "gossip", "--content", str(content))
    assert wrong_type.returncode != 0 and "unknown type 'gossip'" in wrong_type.stderr
    assert not list(content.rglob("*.md"))


def test_new_writes_every_documented_field_and_words_in_the_articles_language(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "images").mkdir()
    documented = [line.split("`")[1] for line in (ROOT / "docs" / "authors.md").read_text(
        encoding="utf-8").splitlines() if line.startswith("| `")]
    expected = {"sr": ("Prvi pasus članka.", "Vesti"), "sr-Cyrl": ("Први пасус чланка.", "Вести"),
                "en": ("The first paragraph.", "News")}
    for lang, (paragraph, section) in expected.items():
        result = invoke("new", "--title", f"Vest {lang}", "--key", f"vest-{lang.lower()}",
                        "--lang", lang, "--type", "analysis", "--content", str(content))
        assert result.returncode == 0, result.stderr
        text = next(content.rglob(f"vest-{lang.lower()}.{lang}.md")).read_text(encoding="utf-8")
        for field in documented:
            assert f"\n{field}:" in "\n" + text, (lang, field)
        assert text.endswith(f"\n\n{paragraph}\n") and f"Category: {section}\n" in text
    build = run_build(content, tmp_path / "out")
    assert "0 error(s), 3 warning(s)" in build.stdout, build.stdout + build.stderr
    for lang, (paragraph, _) in expected.items():  # each placeholder, in its language
        assert f"vest-{lang.lower()}.{lang}.md: the text still holds the placeholder of " \
               f"`invoke new` ('{paragraph}')" in build.stderr, build.stderr


def test_serve_on_a_busy_port_says_so_in_one_line_before_building(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke("serve", "--port", str(port), "--content", str(tmp_path / "none"))
    assert result.returncode != 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and f"port {port} on 127.0.0.1 is in use" in lines[0], lines
    assert f"--port {port + 1}" in lines[0]


def test_new_with_a_cyrillic_title_writes_cyrillic_placeholders(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    result = invoke("new", "--title", "Опозициони протест у Нишу", "--content", str(content))
    assert result.returncode == 0, result.stderr
    text = next(content.rglob("*.sr.md")).read_text(encoding="utf-8")
    assert "Author: Редакција\n" in text and "Category: Вести\n" in text
    assert text.endswith("\n\nПрви пасус чланка.\n")
    assert next(content.rglob("*.sr.md")).name == "opozicioni-protest-u-nisu.sr.md"


def test_new_dates_the_article_in_the_sites_time_zone(tmp_path):
    import datetime as dt
    from zoneinfo import ZoneInfo

    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    result = invoke("new", "--title", "Vest u podne", "--content", str(content),
                    env={"TZ": "America/New_York"})
    assert result.returncode == 0, result.stderr
    text = next(content.rglob("*.sr.md")).read_text(encoding="utf-8")
    written = dt.datetime.strptime(text.split("Date: ")[1][:16], "%Y-%m-%d %H:%M")
    belgrade = dt.datetime.now(ZoneInfo("Europe/Belgrade")).replace(tzinfo=None)
    assert abs(belgrade - written) < dt.timedelta(minutes=5), (written, belgrade)


def running(pid):
    """Whether a process runs (a zombie waiting to be reaped does not)."""
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def signal_masks(pid):
    """{"SigIgn": mask, "SigBlk": mask} of a process, from /proc."""
    return {name: int(value, 16) for name, _, value in
            (line.partition(":") for line in Path(f"/proc/{pid}/status").read_text().split("\n"))
            if name in ("SigIgn", "SigBlk")}


def build_holding_the_lock(cache, running_task):
    """The pid of the build a task started, once it holds its lock ("process N");
    `running_task()` says whether the task still runs."""
    deadline = time.monotonic() + 120
    while True:
        held = [p.read_text() for p in cache.glob("build-*.lock")]
        if held and held[0].startswith("process "):
            return int(held[0].split()[1])
        assert running_task() and time.monotonic() < deadline, "the build never started"
        time.sleep(0.01)


def test_a_build_task_killed_takes_its_build_with_it(tmp_path):
    """kill -9 on `invoke build` ends the build it started: the next build starts at once."""
    content, output = copy_content(tmp_path), tmp_path / "o"
    args = ("build", "--force", "--content", str(content), "--output", str(output),
            "--settings", str(write_settings(tmp_path)))
    with open(tmp_path / "build.log", "wb") as log:  # as from cron or nohup: into a file
        task = subprocess.Popen([sys.executable, "-m", "invoke", *args], cwd=ROOT,
                                env={**os.environ, "MT_PROVIDER": "none"},
                                stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    build = build_holding_the_lock(tmp_path / "cache", lambda: task.poll() is None)
    assert build != task.pid and running(build)
    # Stopped, the build cannot end on its own (nor at its next line to the task's pipe).
    os.kill(build, signal.SIGSTOP)
    try:
        os.kill(task.pid, signal.SIGKILL)
        task.wait(10)
        deadline = time.monotonic() + 10
        while running(build):
            assert time.monotonic() < deadline, "the build outlived the task that started it"
            time.sleep(0.05)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(build, signal.SIGKILL)
    again = invoke(*args)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "0 error(s), 0 warning(s)" in again.stdout


def test_ctrl_c_stops_a_build_task_cleanly(tmp_path):
    """Ctrl-C on a terminal reaches the build: it stops, says so in one line, leaves the output
    as it was and no staging folder; the task waits for it and exits 130."""
    content, output = copy_content(tmp_path), tmp_path / "o"
    args = ["build", "--force", "--content", str(content), "--output", str(output),
            "--settings", str(write_settings(tmp_path))]
    pid, terminal = pty.fork()
    if pid == 0:  # the task, on a terminal of its own
        try:
            os.chdir(ROOT)
            os.environ["MT_PROVIDER"] = "none"
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # as a shell starts it (xdist ignores)
            os.execv(sys.executable, [sys.executable, "-m", "invoke", *args])
        finally:
            os._exit(127)
    build = build_holding_the_lock(tmp_path / "cache", lambda: os.waitpid(pid, os.WNOHANG)[0] == 0)
    printed = os.read(terminal, 65536)  # the build has started writing to the terminal
    # What the interrupt relies on, checked first so that a failure names its cause: the build
    # is in the terminal's foreground process group and neither ignores nor blocks SIGINT.
    assert os.tcgetpgrp(terminal) == os.getpgid(build), "the build is not in the foreground"
    # While it starts a program, the build blocks every signal for a moment (vfork): waited out.
    deadline = time.monotonic() + 10
    masks = signal_masks(build)
    while masks["SigBlk"] & 1 << (signal.SIGINT - 1) and time.monotonic() < deadline:
        time.sleep(0.005)
        masks = signal_masks(build)
    assert not any(mask & 1 << (signal.SIGINT - 1) for mask in masks.values()), masks
    os.write(terminal, b"\x03")
    with contextlib.suppress(OSError):  # the terminal closes with the task
        while chunk := os.read(terminal, 65536):
            printed += chunk
    os.close(terminal)
    _, status = os.waitpid(pid, 0)
    text = printed.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 130, text
    assert "interrupted: the output was left as it was" in text and "Traceback" not in text, text
    assert not output.exists() and not list(tmp_path.glob(".o.*"))
