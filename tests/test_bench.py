"""`invoke bench`: real builds of a small corpus, our cold build and the peers in rounds, the
rebuilds after it (a new article among them), a peer stopped at its time limit, each build's
own peak memory, and the targets."""

import os
import subprocess
import sys
import time

import pytest

from newsdesk.bench import NEW_KEY, Result, report, scaling_report, timed

from .conftest import CORPUS_SCRIPT, ROOT

PEER_TIMEOUT = 15
# A peer that never finishes, with a child of its own: both must be stopped.
SLOW_HUGO = """#!/bin/sh
sleep 600 &
echo $! > "$SLOW_HUGO_CHILD"
exec sleep 600
"""


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """The bench's output on 12 articles, two runs, with a Hugo that never finishes; its work
    folder and the pid of the slow Hugo's child."""
    if not CORPUS_SCRIPT.is_file():
        pytest.skip(f"corpus generator not found at {CORPUS_SCRIPT}")
    tmp = tmp_path_factory.mktemp("bench")
    (tmp / "bin").mkdir()
    hugo = tmp / "bin" / "hugo"
    hugo.write_text(SLOW_HUGO)
    hugo.chmod(0o755)
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk.bench", "--articles", "12", "--runs", "2",
         "--workdir", str(tmp / "work"), "--peer-timeout", str(PEER_TIMEOUT)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
        env={**os.environ, "NEWSDESK_CORPUS_SCRIPT": str(CORPUS_SCRIPT),
             "PATH": f"{tmp / 'bin'}{os.pathsep}{os.environ['PATH']}",
             "SLOW_HUGO_CHILD": str(tmp / "child.pid")})
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    return lines, tmp / "work" / "12", int((tmp / "child.pid").read_text())


def runs_of(lines):
    return [line.split(":")[0] for line in lines if " run " in line and line.endswith("MiB")]


def table_of(lines):
    return {row.split(" | ")[0].removeprefix("| "): row.split(" | ")[1:] for row in lines
            if row.startswith(("| ours", "| Pelican", "| Hugo"))}


@pytest.mark.build
def test_the_bench_measures_our_cold_build_and_the_peers_in_rounds(bench):
    lines, _, _ = bench
    runs = runs_of(lines)
    # a drifting machine slows our cold build and the peers alike: they alternate
    rounds = [run for run in runs if run.startswith(("ours, cold", "Pelican, plain"))]
    assert rounds == ["ours, cold run 1", "Pelican, plain run 1",
                      "ours, cold run 2", "Pelican, plain run 2"], runs
    # the rebuilds start from the last cold build
    assert runs.index("ours, no change run 1") > runs.index("ours, cold run 2")
    assert runs[-5:] == ["ours, first edit run 1", "ours, one edit run 1",
                         "ours, one edit run 2", "ours, new article run 1",
                         "ours, new article run 2"], runs
    assert list(table_of(lines)) == [
        "ours, first build with photos", "ours, cold", "ours, no change", "ours, first edit",
        "ours, one edit", "ours, new article", "Pelican, plain",
        *["Pelican, i18n_subsites"] * ("Pelican, i18n_subsites run 1" in runs), "Hugo"]
    for name, row in table_of(lines).items():
        assert name == "Hugo" or float(row[1]) > 0, row  # peak MiB
    targets = lines[lines.index("targets:") + 1:]
    for start in ("no change ≤ 0.5 s: ", "one edit: ", "new article: ",
                  "peak memory ≤ 2048 MiB (cold and rebuilds): ",
                  "cold ≤ 1.0 × plain Pelican (stretch): "):
        assert any(line.startswith(start) for line in targets), (start, targets)


@pytest.mark.build
def test_the_breaking_story_is_built_in_three_editions_from_the_memory(bench):
    """Each run adds a Cyrillic article (a new key) to the last build; its English edition is
    translated from what the bench put in the memory, not left pending; the corpus is as it
    was afterwards."""
    _, work, _ = bench
    site = work / "out" / "ours"
    for run in (1, 2):
        key = f"{NEW_KEY}-{run}"
        cyrillic = (site / "sr-cyrl" / "2026" / key / "index.html").read_text(encoding="utf-8")
        latin = (site / "2026" / key / "index.html").read_text(encoding="utf-8")
        english = (site / "en" / "2026" / key / "index.html").read_text(encoding="utf-8")
        assert "<title>Влада усвојила хитне мере" in cyrillic
        assert "<title>Vlada usvojila hitne mere" in latin
        assert '"translator": {"@type": "Organization", "name": "Machine translation"}' \
            in english
        assert "notice-pending" not in english and "data-pagefind-body" in english
        log = (work / "logs" / f"ours-new-article-{run}.log").read_text(encoding="utf-8")
        assert ": 0 error(s), 0 warning(s)" in log, log
    front = (site / "index.html").read_text(encoding="utf-8")
    assert f"/2026/{NEW_KEY}-1/" in front and f"/2026/{NEW_KEY}-2/" in front  # the newest
    assert not list((work / "corpus").rglob(f"{NEW_KEY}-*"))


@pytest.mark.build
def test_a_peer_past_its_time_limit_is_stopped_with_its_whole_group(bench):
    lines, _, child = bench
    runs = runs_of(lines)
    assert [run for run in runs if run.startswith("Hugo")] == ["Hugo run 1"], runs  # once
    assert any(line.startswith(f"Hugo run 1: did not finish in {PEER_TIMEOUT} s, ")
               for line in lines), lines
    assert table_of(lines)["Hugo"][0] == f"did not finish in {PEER_TIMEOUT} s"
    assert table_of(lines)["Hugo"][2].startswith("> ")  # × ours cold: a bound
    assert "plain Pelican / Hugo: < " in "\n".join(lines)
    assert not running(child)


def running(pid):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return False
        except FileNotFoundError:
            return False
        time.sleep(0.2)
    return True


# Parent and child each hold 300 MiB, and then both together for 4 s: longer than the bench
# waits between looks on a busy machine (20 times a look, which then takes longer).
HOLD = """
import os, time
ready, held = os.pipe(), os.pipe()
pid = os.fork()
block = bytearray(300 * 2**20)
if pid:
    os.read(ready[0], 1)
    time.sleep(4)
    os.write(held[1], b"x")
    os.waitpid(pid, 0)
else:
    os.write(ready[1], b"x")
    os.read(held[0], 1)
"""


@pytest.mark.build
def test_each_build_has_its_own_peak_memory_that_of_all_its_processes():
    """A build's peak is what its processes held together (a worker's memory counts with its
    parent's), and none of the bench's own or of an earlier build's."""
    together = timed([sys.executable, "-c", HOLD])
    assert 550 < together.peak < 700, together
    held_here = bytearray(400 * 2**20)  # the bench's own memory: not the build's
    small = timed([sys.executable, "-c", "pass"])
    assert small.peak < 100, small
    del held_here


def test_the_targets_say_which_are_met_with_their_figures(capsys):
    def results(one_edit, new_article, peak, subsites):
        return {"ours, first build with photos": Result(90.0, 900.0),
                "ours, cold": Result(80.0, peak), "ours, no change": Result(0.3, 300.0),
                "ours, first edit": Result(9.0, 800.0), "ours, one edit": Result(one_edit, 800.0),
                "ours, new article": Result(new_article, 800.0),
                "Pelican, plain": Result(70.0, 700.0),
                "Pelican, i18n_subsites": subsites}

    report(20000, results(2.5, 3.5, 1500.0, Result(100.0, 900.0)))
    lines = capsys.readouterr().out.splitlines()
    assert "one edit ≤ 3 s: 2.5 s — met" in lines
    assert "new article ≤ 3 s: 3.5 s — NOT met" in lines
    assert "no change ≤ 0.5 s: 0.30 s — met" in lines
    assert "cold ≤ 1.0 × Pelican with i18n_subsites: 0.80 (80.0 s against 100.0 s) — met" \
        in lines
    assert "cold ≤ 1.0 × plain Pelican (stretch): 1.14 (80.0 s against 70.0 s) — NOT met" \
        in lines
    assert "peak memory ≤ 2048 MiB (cold and rebuilds): 1500 MiB (cold) — met" in lines

    report(100000, results(9.0, 7.0, 2500.0, Result(3600.0, 900.0, finished=False)))
    lines = capsys.readouterr().out.splitlines()
    assert "one edit ≤ 8 s: 9.0 s — NOT met" in lines
    assert "new article ≤ 8 s: 7.0 s — met" in lines
    assert "| Pelican, i18n_subsites | did not finish in 3600 s | 900 | > 45.00 |" in lines
    # stopped after an hour, it took longer than our 80 s
    assert ("cold ≤ 1.0 × Pelican with i18n_subsites: < 0.02 (80.0 s against 3600.0 s, "
            "stopped) — met") in lines
    assert "peak memory ≤ 2048 MiB (cold and rebuilds): 2500 MiB (cold) — NOT met" in lines

    scaling_report({2000: {"ours, cold": Result(10.0, 500.0)},
                    100000: {"ours, cold": Result(600.0, 2000.0)}})
    assert ("cold build per article at 100000 ≤ 1.25 × at 2000: 1.20 (6.0 ms against 5.0 ms) — "
            "met") in capsys.readouterr().out
