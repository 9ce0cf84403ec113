"""The package as a user installs it: not editable, used from a site folder of its own."""

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from .conftest import ROOT, SEED_EN, SEED_SR, copy_content, read_html

pytestmark = pytest.mark.build

SITE_SETTINGS = """from newsdesk.defaults import *

SITENAME = "Vesti sa Đerdapa"
"""


def tracked_files(target):
    """The checkout as git has it: what a clone holds, nothing built or cached."""
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, names):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def test_a_site_folder_builds_with_the_installed_package(tmp_path):
    """pip install of the checkout (not editable) into a new environment; the example content
    with its own pelicanconf.py, in another folder, is built by the `newsdesk` command: every
    edition, with the package's theme and plugins."""
    checkout = tracked_files(tmp_path / "checkout")
    venv.create(tmp_path / "env", with_pip=False)
    python = tmp_path / "env" / "bin" / "python"
    site_packages = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                                    "['purelib'])"], capture_output=True, text=True,
                                   check=True).stdout.strip()
    # The dependencies come from the tests' environment; the package itself is installed anew.
    Path(site_packages, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    clean_env = {key: value for key, value in os.environ.items()
                 if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         str(checkout)], cwd=tmp_path, env=clean_env, capture_output=True, text=True,
        timeout=600)
    assert install.returncode == 0, install.stdout + install.stderr

    site = tmp_path / "site"
    site.mkdir()
    copy_content(site)
    (site / "pelicanconf.py").write_text(SITE_SETTINGS, encoding="utf-8")
    where = subprocess.run([python, "-c", "import newsdesk; print(newsdesk.__file__)"], cwd=site,
                           env=clean_env, capture_output=True, text=True)
    assert where.stdout.startswith(site_packages), where.stdout + where.stderr

    # The `newsdesk` command, started inside the site folder, builds the site it is in.
    build = subprocess.run([python.parent / "newsdesk", "build"], cwd=site / "content",
                           capture_output=True, text=True, timeout=600,
                           env={**clean_env, "MT_PROVIDER": "none", "COLUMNS": "200"})
    assert build.returncode == 0, build.stdout + build.stderr
    assert "0 error(s), 0 warning(s)" in build.stdout, build.stdout + build.stderr
    output = site / "output"
    article = read_html(output / SEED_SR)
    assert "Vesti sa Đerdapa" in article.title.text
    cyrillic = read_html(output / "sr-cyrl" / SEED_SR)
    assert "Вести са Ђердапа" in cyrillic.title.text
    for page in (article, cyrillic, read_html(output / SEED_EN)):
        named = [page.title.text, page.find("meta", property="og:site_name")["content"],
                 page.select_one(".brand").text, page.select_one(".source").text,
                 page.find("footer").text,
                 *(tag.text for tag in page.find_all("script", type="application/ld+json"))]
        assert not [text for text in named if "Pregled" in text or "Преглед" in text], \
            "the site's name, not the example outlet's"
        assert not page.select(".newsletter"), "no newsletter box without NEWSLETTER_ACTION"
    assert (output / "theme" / "css" / "site.css").is_file()
    assert list((output / "sr-cyrl").glob("2024/*/index.html")), "the Cyrillic edition"
    assert list((output / "en").glob("2024/*/index.html")), "the English edition"
    assert (site / ".cache" / "build-state.sqlite").is_file(), "the site's own build cache"
