"""The preview server serves the output folder and nothing outside it, whatever the request."""

import http.client
import os
import time
from urllib.parse import urlsplit

import pytest

from newsdesk.preview import serve_folder

from .review_desk import preview

SECRET = "TAJNA-lozinka-urednistva-Čačak"
HOME = "<h1>Početna: Pregled</h1>"
NOT_FOUND = "<h1>Stranica nije pronađena</h1>"


@pytest.fixture
def output(tmp_path):
    """An output folder with a secret beside it, and symlinks inside it that point out."""
    (tmp_path / "tajna.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "404.html").write_text(f"<p>{SECRET}</p>", encoding="utf-8")
    (tmp_path / "spolja").mkdir()
    (tmp_path / "spolja" / "index.html").write_text(SECRET, encoding="utf-8")
    (tmp_path / "spolja" / "404.html").write_text(SECRET, encoding="utf-8")
    site = tmp_path / "output"
    (site / "en").mkdir(parents=True)
    (site / "sr-cyrl" / "vesti").mkdir(parents=True)
    (site / "index.html").write_text(HOME, encoding="utf-8")
    (site / "404.html").write_text(NOT_FOUND, encoding="utf-8")
    (site / "en" / "404.html").write_text("<h1>Page not found</h1>", encoding="utf-8")
    (site / "sr-cyrl" / "vesti" / "index.html").write_text("<h1>Вести</h1>", encoding="utf-8")
    os.symlink("../tajna.txt", site / "tajna.html")
    os.symlink("../spolja", site / "arhiva")
    os.symlink("../spolja", site / "sr-cyrl" / "vesti" / "spolja")
    os.symlink("../../spolja/index.html", site / "sr-cyrl" / "index.html")
    os.symlink("../spolja", site / "de")  # an "edition" whose 404 page lies outside
    os.symlink("petlja", site / "petlja")
    return site


def raw_get(base, path, method="GET", host=None):
    """Send `path` exactly as written (http.client does not normalise it); `host`: the Host
    header instead of the server's own ("": none)."""
    connection = http.client.HTTPConnection(urlsplit(base).hostname, urlsplit(base).port,
                                            timeout=10)
    connection.putrequest(method, path, skip_host=host is not None, skip_accept_encoding=True)
    if host:
        connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body.decode("utf-8", "replace")


ESCAPES = [
    "/../tajna.txt", "/..", "/../", "/../404.html", "/../nema-ovoga", "/../spolja/",
    "/%2e%2e/tajna.txt", "/%2E%2E/%2e%2e/tajna.txt", "/..%2ftajna.txt", "/%2e%2e%2ftajna.txt",
    "/..\\tajna.txt", "/%5c..%5ctajna.txt", "//../tajna.txt", "///..//..//tajna.txt",
    "/./../tajna.txt", "/en/../../tajna.txt", "/en/%2e%2e/%2e%2e/tajna.txt",
    "/tajna.html", "/arhiva/", "/arhiva/index.html", "/arhiva/404.html", "/arhiva/nema",
    "/sr-cyrl/", "/sr-cyrl/index.html", "/sr-cyrl/vesti/spolja/", "/de/", "/de/nema",
    "/../spolja/nema", "/..;/tajna.txt", "/%00../tajna.txt", "/petlja", "/petlja/",
    "/?../../tajna.txt",
]


@pytest.mark.build
def test_no_request_reads_outside_the_output(output):
    with serve_folder(output) as base:
        for path in ESCAPES:
            status, body = raw_get(base, path)
            assert SECRET not in body, f"{path} served a file from outside the output"
            assert status in (301, 404) or body in (HOME, NOT_FOUND), (path, status, body)
            if status == 404:  # and HEAD says no more than GET does
                assert raw_get(base, path, "HEAD") == (404, ""), path


@pytest.mark.build
def test_the_output_itself_is_still_served(output):
    with serve_folder(output) as base:
        assert raw_get(base, "/") == (200, HOME)
        assert raw_get(base, "/sr-cyrl/vesti/") == (200, "<h1>Вести</h1>")
        assert raw_get(base, "/sr-cyrl/vesti")[0] == 301
        assert raw_get(base, "/en/nema-stranice/") == (404, "<h1>Page not found</h1>")
        assert raw_get(base, "/nema/") == (404, NOT_FOUND)
        assert raw_get(base, "/de/nema") == (404, NOT_FOUND)
        assert raw_get(base, "/%2e%2e/") == (200, HOME), "`..` stays at home"


@pytest.mark.build
def test_a_request_naming_another_host_is_refused(output):
    """A page on a name that resolves to 127.0.0.1 (DNS rebinding) reads nothing of the preview."""
    with serve_folder(output) as base:
        port = urlsplit(base).port
        assert raw_get(base, "/", host=f"localhost:{port}") == (200, HOME)
        for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.nip.io:{port}",
                     "127.0.0.1", f"127.0.0.1:{port + 1}", ""):
            for method, path in (("GET", "/"), ("HEAD", "/"), ("GET", "/sr-cyrl/vesti/"),
                                 ("GET", "/nema/"), ("POST", "/_review/save")):
                status, body = raw_get(base, path, method, host)
                assert status == 421, (host, method, path, status)
                assert "Pregled" not in body and "Вести" not in body, (host, path)


ARTICLE = """Title: Čitaonice u Nišu rade do ponoći
Date: 2024-02-12 09:30
Author: Đorđe Šćekić
Category: Kultura
Tags: biblioteke, Niš

Gradska biblioteka u Nišu od ponedeljka radi do ponoći.
"""


@pytest.mark.build
def test_one_edit_is_one_rebuild(tmp_path):
    """The build's own writes to the translation memory do not wake the watcher again."""
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "translations").mkdir()
    article = content / "articles" / "citaonice-nis.sr.md"
    article.write_text(ARTICLE, encoding="utf-8")

    def wait_for(text, after=0, seconds=300):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(text in line for line in lines[after:]):
                return len(lines)
            time.sleep(0.1)
        raise AssertionError(f"no {text!r} in:\n{''.join(lines)}")

    with preview(tmp_path, content, tmp_path / "output") as (_, lines):
        time.sleep(3)  # the watcher starts
        memory = content / "translations" / "en" / "citaonice-nis.po"
        before = memory.read_bytes()
        seen = len(lines)
        article.write_text(ARTICLE + "\nU subotu i nedelju čitaonica radi od 10 časova.\n",
                           encoding="utf-8")
        built = wait_for("Built", after=wait_for("rebuilding", after=seen))
        assert memory.read_bytes() != before, "the build wrote the memory"
        time.sleep(6)  # long enough for a second rebuild to start
        rebuilds = [line for line in lines[seen:] if "rebuilding" in line]
        assert len(rebuilds) == 1, "".join(lines[seen:])
        assert not [line for line in lines[built:] if line.strip()], "".join(lines[built:])


def test_a_memory_write_is_the_runs_own_only_while_it_holds_what_the_run_wrote(tmp_path,
                                                                                monkeypatch):
    from babel.messages.pofile import read_po, write_po
    from watchfiles import Change

    from newsdesk.memory import MemoryFile
    from newsdesk.preview import edits

    journal = tmp_path / "written"
    monkeypatch.setenv("NEWSDESK_WRITTEN", str(journal))  # as the preview's builds have it
    root = tmp_path / "translations"
    path = root / "en" / "vest.po"
    change = {(Change.modified, str(path))}
    run = MemoryFile(root, "vest", "en", "sr-Latn")
    run.record("title", "Šabac dobija novi most", "EN: Šabac dobija novi most", "libre")
    assert run.save()
    assert edits(change, journal) == set(), "the run's own write"
    with open(path, "rb") as fp:
        catalog = read_po(fp)
    catalog.get("Šabac dobija novi most", context="title").string = "A new bridge for Šabac"
    catalog.get("Šabac dobija novi most", context="title").flags.discard("fuzzy")
    with open(path, "wb") as fp:  # an editor reviews it
        write_po(fp, catalog, width=100)
    assert edits(change, journal) == change
    journal.write_bytes(b"")  # the next build, which started before the editor saved
    run.record("paragraph", "Most će biti gotov u maju.", "EN: Most će biti gotov u maju.",
               "libre")
    assert run.save(drop_unused=False), "it merges the editor's work into the file"
    assert "A new bridge for Šabac" in path.read_text(encoding="utf-8")
    assert edits(change, journal) == change, "what it merged is the editor's edit"
