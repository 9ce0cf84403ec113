"""The code stays ruff-clean."""

import subprocess
import sys

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.build


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_file_keeps_git_conflict_markers():
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    marked = []
    for name in filter(None, tracked):
        path = ROOT / name
        if path.suffix not in (".py", ".md", ".html", ".po", ".toml", ".txt", ".css", ".js"):
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        if any(line.startswith(("<<<<<<< ", ">>>>>>> ")) for line in lines):
            marked.append(name)
    assert marked == []
