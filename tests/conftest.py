"""Shared fixtures: real builds of real content into temporary folders."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
# The benchmark corpus generator lives in the shared folder beside the checkout.
CORPUS_SCRIPT = Path(os.environ.get("NEWSDESK_CORPUS_SCRIPT",
                                    ROOT.parent / "shared" / "bench" / "make_corpus.py"))
# Plugin modules import each other by package name, as Pelican's PLUGIN_PATHS lets them.
sys.path.insert(0, str(ROOT / "plugins"))


# Articles of the example site written in one language only: the translation memory holds
# their other edition.
SINGLE_LANGUAGE = ("citaonice-nocu", "eu-growth-plan-explainer")


def run_build(content, output, *flags, settings=None, cwd=ROOT, env=None):
    """Build a content folder with the project's build command; return the finished process.

    No translation provider is asked unless `env` names one (MT_PROVIDER, MT_URL).
    """
    args = [sys.executable, "-m", "newsdesk.build", "--content", str(content),
            "--output", str(output), *flags]
    if settings:
        args += ["--settings", str(settings)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", "MT_PROVIDER": "none",
           **(env or {})}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def read_html(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def copy_content(tmp_path, name="content", complete=True):
    """A private copy of the example content a test may change.

    complete=False: without the memory's translations of the articles written in one language
    only, which then wait for their translation (tests ask no provider).
    """
    target = tmp_path / name
    shutil.copytree(ROOT / "content", target)
    if not complete:
        for key in SINGLE_LANGUAGE:
            for path in target.glob(f"translations/*/{key}.po"):
                path.unlink()
    return target


def write_settings(tmp_path, **values):
    """A settings file: the project's settings with some values changed."""
    path = tmp_path / "testconf.py"
    lines = ["import sys", f"sys.path.insert(0, {str(ROOT)!r})", "from pelicanconf import *"]
    lines += [f"{key} = {value!r}" for key, value in values.items()]
    lines += [f"THEME = {str(ROOT / 'theme')!r}", f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]"]
    if "THEME" in values:
        lines[-2] = f"THEME = {values['THEME']!r}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def server():
    """A translation provider on 127.0.0.1, driven through deep-translator's HTTP code."""
    from .fake_provider import FakeTranslationServer

    with FakeTranslationServer() as srv:
        yield srv


@pytest.fixture(scope="session")
def example_site(tmp_path_factory):
    """The example site, built once for the whole session."""
    output = tmp_path_factory.mktemp("example") / "output"
    result = run_build(ROOT / "content", output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output, result


@pytest.fixture(scope="session")
def site(example_site):
    return example_site[0]


@pytest.fixture(scope="session")
def pending_site(tmp_path_factory):
    """The example site, built once, with its articles written in one language only waiting
    for their translation."""
    folder = tmp_path_factory.mktemp("pending")
    result = run_build(copy_content(folder, complete=False), folder / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "output"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under NEWSDESK_REQUIRE_TOOLS (CI), a test skipped for a missing tool fails instead."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("NEWSDESK_REQUIRE_TOOLS") and report.skipped and not hasattr(
        report, "wasxfail"
    ):
        report.outcome = "failed"
        report.longrepr = f"skipped, but NEWSDESK_REQUIRE_TOOLS is set: {report.longrepr}"
