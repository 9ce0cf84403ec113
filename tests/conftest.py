"""Shared fixtures and helpers: real builds of real content into temporary folders."""

import fcntl
import gzip
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
# The benchmark corpus generator lives in the shared folder beside the checkout.
CORPUS_SCRIPT = Path(os.environ.get("NEWSDESK_CORPUS_SCRIPT",
                                    ROOT.parent / "shared" / "bench" / "make_corpus.py"))


# One article of the example site, in Serbian (Latin) and in English.
SEED_SR = "2024/srbija-i-rusija-obecale-dublju-saradnju/index.html"
SEED_EN = "en/2024/serbia-russia-pledge-deeper-cooperation/index.html"

# Articles of the example site written in one language only: the translation memory holds
# their other edition.
SINGLE_LANGUAGE = ("citaonice-nocu", "eu-growth-plan-explainer")


def run_build(content, output, *flags, settings=None, cwd=ROOT, env=None):
    """Build a content folder with the project's build command; return the finished process.

    Without `settings`: the project's settings with a build cache of the output's own (not
    beside it: tests look at what a build changes there). No translation provider is asked
    unless `env` names one (MT_PROVIDER, MT_URL).
    """
    if settings is None:
        settings = write_settings(build_folder(output))
    args = [sys.executable, "-m", "newsdesk.build", "--content", str(content),
            "--output", str(output), "--settings", str(settings), *flags]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", "MT_PROVIDER": "none",
           **(env or {})}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


_BUILD_FOLDERS = []  # where this test process keeps the settings and caches of run_build


@pytest.fixture(scope="session", autouse=True)
def build_folders(tmp_path_factory):
    _BUILD_FOLDERS.append(tmp_path_factory.mktemp("builds"))


def build_folder(output):
    """The settings and build cache of builds into `output` that name no settings of their
    own: the same for every build into it, in this test process's temporary folder."""
    name = hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:16]
    return _BUILD_FOLDERS[0] / name


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


def write_settings(tmp_path, name="testconf.py", **values):
    """A settings file: the project's settings with some values changed, and a build cache
    in `tmp_path` unless CACHE_PATH is given."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    values = {"CACHE_PATH": str(tmp_path / "cache"), **values}
    lines = ["import sys", f"sys.path.insert(0, {str(ROOT)!r})", "from pelicanconf import *"]
    lines += [f"{key} = {value!r}" for key, value in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def article_pages(site):
    """Every article page of every edition."""
    return [page for prefix in ("", "sr-cyrl/", "en/")
            for page in site.glob(f"{prefix}2024/*/index.html")]


def tools_missing():
    missing = [t for t in ("java", "npm") if not shutil.which(t)]
    if not os.path.exists("/usr/bin/chromium"):
        missing.append("chromium")
    return missing


def tree(folder):
    """Every file of a site, each edition's search index as what a search can find in it: a
    rebuild may index an edited page in the recent bundle where a full build indexes it in its
    shard (plugins/search)."""
    files = {p.relative_to(folder).as_posix(): p.read_bytes()
             for p in sorted(folder.rglob("*")) if p.is_file() and "pagefind/" not in
             p.relative_to(folder).as_posix()}
    for root in sorted(folder.rglob("pagefind")):
        files[f"{root.relative_to(folder).as_posix()}/ (searchable)"] = searchable(root)
    return files


def searchable(root):
    """{URL: what Pagefind keeps of the page} over an edition's bundles, leaving out the
    superseded pages; the search bundles' files as they are listed (shards.json)."""
    manifest = json.loads((root / "shards.json").read_text(encoding="utf-8"))
    pages = {}
    for bundle in manifest["bundles"]:
        for fragment in sorted((root / bundle / "fragment").glob("*.pf_fragment")):
            data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
            if manifest["superseded"].get(fragment.stem) == data["url"]:
                continue
            assert pages.setdefault(data["url"], data) == data, "one version of each page"
    return pages


def iptc_jpeg(path, size, fields, exif=None):
    """A real JPEG carrying IPTC IIM fields in a Photoshop APP13 segment."""
    image = Image.new("RGB", size, (120, 140, 160))
    for x in range(0, size[0], 40):  # some detail, so copies of other widths differ
        image.paste((200, 80, 60), (x, 0, x + 10, size[1]))
    image.save(path, "JPEG", quality=92, exif=exif or b"")
    iim = b"\x1c\x01\x5a\x00\x03\x1b%G"  # 1:90, UTF-8
    for (record, dataset), value in fields.items():
        data = value.encode("utf-8")
        iim += struct.pack(">BBBH", 0x1C, record, dataset, len(data)) + data
    if len(iim) % 2:
        iim += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim))
    payload = b"Photoshop 3.0\x00" + resource + iim
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    raw = path.read_bytes()
    path.write_bytes(raw[:2] + segment + raw[2:])


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


KINDS = ("build", "browser")  # a test marked neither is a unit test


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test not marked build or browser is marked unit."""
    for item in items:
        if not any(item.get_closest_marker(name) for name in KINDS):
            item.add_marker(pytest.mark.unit)


@pytest.fixture(autouse=True)
def unit_tests_start_no_process(request, monkeypatch):
    """A unit test runs no program (no build, server, tool or browser; forking is quick): so
    `-m unit` stays quick."""
    if not request.node.get_closest_marker("unit"):
        return

    def refuse(*args, **kwargs):
        raise AssertionError("a unit test runs no program: mark it build (or browser)")

    monkeypatch.setattr(subprocess.Popen, "_execute_child", refuse)


@pytest.fixture(scope="session")
def check_tools_fetched():
    """The check's vnu.jar, fetched once into the checkout's .cache/ before a browser test
    runs, by one test process at a time (pytest -n), so that two never write it at once."""
    lock_path = ROOT / ".cache" / "tools.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as lock:
        fcntl.lockf(lock, fcntl.LOCK_EX)
        subprocess.run([sys.executable, "-c", "from newsdesk.check import vnu_jar; vnu_jar()"],
                       cwd=ROOT, check=False, timeout=900)


@pytest.fixture(autouse=True)
def browser_tests_find_the_check_tools(request):
    if request.node.get_closest_marker("browser") and not tools_missing():
        request.getfixturevalue("check_tools_fetched")
