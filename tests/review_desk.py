"""The review desk for tests: the real preview with its desk in a child process, or the desk
alone on 127.0.0.1 in the test process, and plain HTTP requests with any Host or field."""

import functools
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bs4 import BeautifulSoup

from newsdesk.preview import PreviewServer, QuietHandler
from newsdesk.review.desk import Desk
from newsdesk.review.web import ReviewDesk

from .conftest import ROOT
from .servers import free_port

REVIEWER = "Milica Jovanović"


@contextmanager
def preview(folder, content, output, settings=None, env=None):
    """`serve_and_watch` (newsdesk.preview) of `content` in a child process: (base URL, its
    output lines)."""
    port = free_port()
    (folder / "pelicanconf.py").write_text("from newsdesk.defaults import *\n")  # a site folder
    code = ("from newsdesk.preview import serve_and_watch; "
            f"serve_and_watch({str(folder)!r}, {port}, {str(content)!r}, {str(output)!r}, "
            f"{str(settings) if settings else None!r})")
    process = subprocess.Popen(
        [sys.executable, "-u", "-c", code], cwd=folder, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "MT_PROVIDER": "none",
             "REVIEWER": REVIEWER, **(env or {})})
    lines = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    deadline = time.monotonic() + 300
    while not any("Review desk:" in line for line in lines):
        assert process.poll() is None and time.monotonic() < deadline, "".join(lines)
        time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}", lines
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def desk_alone(content, settings_file, rebuilds=None):
    """The desk of `content` on 127.0.0.1 in this process, without builds (each write is
    noted in `rebuilds`): base URL."""
    from pelican.settings import read_settings

    settings = read_settings(str(settings_file), override={"PATH": str(content)})
    handler = functools.partial(QuietHandler, directory=str(content.parent))
    server = PreviewServer(("127.0.0.1", 0), handler)
    port = server.server_address[1]

    def after(write):
        written = write()
        if rebuilds is not None:
            rebuilds.append(written)
        return written

    server.desk = ReviewDesk(Desk(settings, Path(content), REVIEWER), port, after)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


def request(base, path, fields=None, host=None, origin=None):
    """GET `path`, or POST `fields` as a form; `host`: the Host header to send (default: the
    server's own). (status, headers, body)."""
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    body = urlencode(fields).encode() if fields is not None else None
    connection.putrequest("POST" if body is not None else "GET", path, skip_host=True,
                          skip_accept_encoding=True)
    connection.putheader("Host", host or url.netloc)
    if origin:
        connection.putheader("Origin", origin)
    if body is not None:
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    answer = response.status, dict(response.getheaders()), response.read().decode()
    connection.close()
    return answer


def token_of(page):
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def segment_forms(page):
    """{original text: the fields of its segment's form} of a review page."""
    soup = BeautifulSoup(page, "html.parser")
    forms = {}
    for item in soup.select("li.segment"):
        form = item.select_one("form")
        fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
        fields["text"] = form.select_one("textarea").get_text()
        forms[item.select_one(".original .text, .original .diff").get_text()] = fields
    return forms
