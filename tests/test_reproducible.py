"""Two builds of the same content give the same bytes, so a deploy uploads only real changes."""

import filecmp

import pytest

from .conftest import ROOT, run_build

pytestmark = pytest.mark.build


def test_two_builds_are_byte_identical(tmp_path):
    for name in ("a", "b"):
        assert run_build(ROOT / "content", tmp_path / name).returncode == 0
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*")
                   if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*")
                           if p.is_file())
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", files,
                                               shallow=False)
    assert (mismatch, errors) == ([], []) and len(match) > 250
