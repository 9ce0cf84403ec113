"""The incremental check: after a passing check, only what changed and what depends on it."""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import (
    ROOT,
    SEED_SR,
    copy_content,
    read_html,
    run_build,
    tools_missing,
    write_settings,
)

pytestmark = pytest.mark.browser

EDITED = "articles/2024/beogradski-metro-tunel.sr.md"
ORIGIN = "http://127.0.0.1:8000"  # FEED_DOMAIN of pelicanconf.py
SUMMARY = re.compile(r"^(full check[^:]*|incremental check): (?:(\d+) changed or new, (\d+) "
                     r"depending on them: )?checked (\d+) pages and (\d+) feeds", re.M)


def check(output, settings, *flags, env=None):
    """Run the check; return (exit code, log, mode, pages checked)."""
    result = subprocess.run([sys.executable, "-m", "newsdesk.check", "--output", str(output),
                             "--settings", str(settings), *flags], cwd=ROOT,
                            capture_output=True, text=True, timeout=900,
                            env={**os.environ, **(env or {})})
    log = result.stdout + result.stderr
    match = SUMMARY.search(log)
    assert match, log
    return result.returncode, log, match.group(1), int(match.group(4))


def documents(output):
    """{site path: sha256} of the pages and feeds."""
    return {p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(output.rglob("*")) if p.suffix == ".html" or p.parent.name ==
            "feeds"}


def linked_pages(output, page):
    """The pages of this site that `page` links to with <a href> or <link href>."""
    targets = set()
    for tag in read_html(output / page).find_all(["a", "link"], href=True):
        parts = urlsplit(tag["href"])
        if parts.netloc not in ("", urlsplit(ORIGIN).netloc) or not parts.path.startswith("/"):
            continue
        path = unquote(parts.path).lstrip("/")
        targets.add(path + "index.html" if path.endswith("/") or not path else path)
    return targets


def test_after_a_one_article_edit_only_the_changed_pages_and_dependents_are_checked(tmp_path):
    content = copy_content(tmp_path)
    output = tmp_path / "output"
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    assert run_build(content, output).returncode == 0
    code, log, mode, full_count = check(output, settings, *["--skip", "vnu,axe"] * bool(
        tools_missing()))
    assert code == 0 and mode == "full check (no earlier passing check of this folder)", log
    before = documents(output)

    edited = content / EDITED
    edited.write_text(edited.read_text(encoding="utf-8") + "\nDopuna: radovi na stanici "
                      "„Slavija” počinju 3.4.2026. — piše Đorđe Šćepanović.\n", encoding="utf-8")
    assert run_build(content, output).returncode == 0
    after = documents(output)
    changed = {path for path in after if before.get(path) != after[path]}
    changed_pages = {path for path in changed if path.endswith(".html")}
    assert changed_pages, "the edit changed no page"
    dependents = {page for page in after if page.endswith(".html") and page not in changed
                  and linked_pages(output, page) & changed_pages}

    code, log, mode, count = check(output, settings, *["--skip", "vnu,axe"] * bool(
        tools_missing()))
    assert code == 0 and mode == "incremental check", log
    assert f"incremental check: {len(changed)} changed or new, " in log
    assert count == len(changed_pages) + len(dependents), log
    assert count < full_count / 3
    if not tools_missing():  # vnu and axe look at the changed pages only
        assert f"({len(changed_pages)} with vnu, " in log
        assert re.search(r", [1-9]\d* in Chromium with axe\)", log), log


def test_a_broken_link_in_an_edited_article_is_found(tmp_path):
    content = copy_content(tmp_path)
    output = tmp_path / "output"
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    assert run_build(content, output).returncode == 0
    assert check(output, settings, "--skip", "vnu,axe")[0] == 0
    edited = content / EDITED
    edited.write_text(edited.read_text(encoding="utf-8") + "\nVidite i [tekst o Čačku]"
                      "(/2024/cacak-nema-ovog-teksta/).\n", encoding="utf-8")
    assert run_build(content, output).returncode == 0

    code, log, mode, _ = check(output, settings, "--skip", "vnu,axe")
    assert code == 1 and mode == "incremental check", log
    assert ("2024/beogradski-metro-tunel/index.html: broken-link: /2024/cacak-nema-ovog-teksta/ "
            "leads nowhere") in log
    # Not remembered as passed: the next check finds it again.
    code, log, mode, _ = check(output, settings, "--skip", "vnu,axe")
    assert code == 1 and "cacak-nema-ovog-teksta/ leads nowhere" in log, log


def test_a_page_linking_to_a_deleted_page_is_found_though_it_did_not_change(site, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(site, output)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"),
                              PATH=str(ROOT / "content"))
    assert check(output, settings, "--skip", "vnu,axe")[0] == 0
    seed = (output / SEED_SR).read_bytes()
    (output / "tema" / "odbrana" / "index.html").unlink()

    code, log, mode, count = check(output, settings, "--skip", "vnu,axe")
    assert code == 1 and mode == "incremental check", log
    assert "incremental check: 0 changed or new, " in log
    assert f"{SEED_SR}: broken-link: /tema/odbrana/ leads nowhere" in log
    assert (output / SEED_SR).read_bytes() == seed
    assert 0 < count < 20


def test_a_theme_or_settings_change_checks_the_whole_site(site, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(site, output)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "newsdesk" / "theme", theme)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"), THEME=str(theme),
                              PATH=str(ROOT / "content"))
    code, log, mode, everything = check(output, settings, "--skip", "vnu,axe")
    assert code == 0 and mode == "full check (no earlier passing check of this folder)", log
    code, log, mode, count = check(output, settings, "--skip", "vnu,axe")
    assert (code, mode, count) == (0, "incremental check", 0), log
    # Which provider translates shows in the pages, compared one by one: publish and check
    # may run with another MT_* environment.
    code, log, mode, count = check(output, settings, "--skip", "vnu,axe",
                                   env={"MT_PROVIDER": "libre", "MT_URL": "http://127.0.0.1:9/"})
    assert (code, mode, count) == (0, "incremental check", 0), log

    stylesheet = theme / "static" / "css" / "site.css"
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\n/* Pregled */\n",
                          encoding="utf-8")
    code, log, mode, count = check(output, settings, "--skip", "vnu,axe")
    assert (code, mode, count) == (0, "full check (code, theme or settings changed)",
                                   everything), log
    assert check(output, settings, "--skip", "vnu,axe")[2] == "incremental check"

    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"), THEME=str(theme),
                              PATH=str(ROOT / "content"), DEFAULT_PAGINATION=7)
    code, log, mode, count = check(output, settings, "--skip", "vnu,axe")
    assert (code, mode, count) == (0, "full check (code, theme or settings changed)",
                                   everything), log
    # vnu left out of the last check: a check with it is a full one.
    if not tools_missing():
        assert check(output, settings, "--skip", "axe")[2] == (
            "full check (vnu left out of the last check)")


def test_invoke_check_all_checks_everything(site, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(site, output)
    pages = len(list(output.rglob("*.html")))
    settings = write_settings(tmp_path, PATH=str(ROOT / "content"))

    def invoke_check(*flags):
        result = subprocess.run([sys.executable, "-m", "invoke", "check", "--skip", "vnu,axe",
                                 "--output", str(output), "--settings", str(settings), *flags],
                                cwd=ROOT,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    assert f"checked {pages} pages" in invoke_check()
    assert "incremental check: 0 changed or new" in invoke_check()
    assert f"full check (--all): checked {pages} pages" in invoke_check("--all")


def test_every_article_whose_text_changed_is_opened_in_the_browser(tmp_path):
    """axe sees each edited article, not only a sample: in an incremental check with other
    changes, and in a full one after a settings change."""
    if tools_missing():
        pytest.skip(f"the browser check needs {', '.join(tools_missing())}")
    content = copy_content(tmp_path)
    output = tmp_path / "output"
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"), PATH=str(content))
    assert run_build(content, output, settings=settings).returncode == 0
    code, log, mode, _ = check(output, settings, "--skip", "vnu")
    assert code == 0, log

    pale = content / "articles/2024/liste-cekanja-operacije.sr.md"
    pale.write_text(pale.read_text(encoding="utf-8") + '\n<p style="color:#d4d4d4">Dr Đorđe '
                    "Šćekić: čekanje na operaciju kuka skraćeno je za trećinu.</p>\n",
                    encoding="utf-8")
    edited = content / EDITED
    edited.write_text(edited.read_text(encoding="utf-8") + "\nŽeleznička stanica Vukov spomenik "
                      "biće zatvorena tokom radova.\n", encoding="utf-8")
    assert run_build(content, output, settings=settings).returncode == 0
    expected = {"2024/liste-cekanja-operacije/index.html",
                "sr-cyrl/2024/liste-cekanja-operacije/index.html"}
    code, log, mode, _ = check(output, settings, "--skip", "vnu")
    assert code == 1 and mode == "incremental check", log
    assert set(re.findall(r"^(\S+): axe/color-contrast", log, re.M)) == expected, log

    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"), PATH=str(content),
                              RELATED_ARTICLES=3)
    assert run_build(content, output, settings=settings).returncode == 0
    code, log, mode, _ = check(output, settings, "--skip", "vnu")
    assert code == 1 and mode == "full check (code, theme or settings changed)", log
    assert set(re.findall(r"^(\S+): axe/color-contrast", log, re.M)) == expected, log
