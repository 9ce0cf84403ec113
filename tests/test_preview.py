"""The preview server serves the output folder and nothing outside it, whatever the request."""

import http.client
import os
from urllib.parse import urlsplit

import pytest

from newsdesk.preview import serve_folder

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


def raw_get(base, path, method="GET"):
    """Send `path` exactly as written (http.client does not normalise it)."""
    connection = http.client.HTTPConnection(urlsplit(base).hostname, urlsplit(base).port,
                                            timeout=10)
    connection.putrequest(method, path, skip_accept_encoding=True)
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


def test_no_request_reads_outside_the_output(output):
    with serve_folder(output) as base:
        for path in ESCAPES:
            status, body = raw_get(base, path)
            assert SECRET not in body, f"{path} served a file from outside the output"
            assert status in (301, 404) or body in (HOME, NOT_FOUND), (path, status, body)
            if status == 404:  # and HEAD says no more than GET does
                assert raw_get(base, path, "HEAD") == (404, ""), path


def test_the_output_itself_is_still_served(output):
    with serve_folder(output) as base:
        assert raw_get(base, "/") == (200, HOME)
        assert raw_get(base, "/sr-cyrl/vesti/") == (200, "<h1>Вести</h1>")
        assert raw_get(base, "/sr-cyrl/vesti")[0] == 301
        assert raw_get(base, "/en/nema-stranice/") == (404, "<h1>Page not found</h1>")
        assert raw_get(base, "/nema/") == (404, NOT_FOUND)
        assert raw_get(base, "/de/nema") == (404, NOT_FOUND)
        assert raw_get(base, "/%2e%2e/") == (200, HOME), "`..` stays at home"
