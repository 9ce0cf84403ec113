"""`invoke bench`: real builds of a small corpus, our cold build and the peers in rounds."""

import os
import subprocess
import sys

import pytest

from .conftest import CORPUS_SCRIPT, ROOT

pytestmark = pytest.mark.build


def test_the_bench_measures_our_cold_build_and_the_peers_in_rounds(tmp_path):
    if not CORPUS_SCRIPT.is_file():
        pytest.skip(f"corpus generator not found at {CORPUS_SCRIPT}")
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk.bench", "--articles", "12", "--runs", "2",
         "--workdir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "NEWSDESK_CORPUS_SCRIPT": str(CORPUS_SCRIPT)})
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    runs = [line.split(":")[0] for line in lines if " run " in line and line.endswith("MiB")]
    # a drifting machine slows our cold build and the peers alike: they alternate
    rounds = [run for run in runs if run.startswith(("ours, cold", "Pelican, plain"))]
    assert rounds == ["ours, cold run 1", "Pelican, plain run 1",
                      "ours, cold run 2", "Pelican, plain run 2"], runs
    # the rebuilds start from the last cold build
    assert runs.index("ours, no change run 1") > runs.index("ours, cold run 2")
    assert runs[-3:] == ["ours, first edit run 1", "ours, one edit run 1",
                         "ours, one edit run 2"], runs
    table = [line for line in lines if line.startswith("| ours") or line.startswith("| Pelican")]
    assert [row.split(" | ")[0] for row in table] == [
        "| ours, first build with photos", "| ours, cold", "| ours, no change",
        "| ours, first edit", "| ours, one edit", "| Pelican, plain",
        *["| Pelican, i18n_subsites"] * ("Pelican, i18n_subsites run 1" in runs)], table
    assert any(line.startswith("one edit ≤ 0.1 × cold: ") for line in lines), result.stdout
