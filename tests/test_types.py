"""The modules listed in pyproject.toml's [tool.mypy] pass mypy."""

import subprocess
import sys

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.build


def test_mypy_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
