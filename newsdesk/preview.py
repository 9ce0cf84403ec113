"""Preview server: serves the output on 127.0.0.1 and rebuilds when a source file changes;
the review desk (newsdesk.review) answers under /_review/."""

import functools
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

from watchfiles import Change, DefaultFilter, watch

from newsdesk import written

if TYPE_CHECKING:
    from newsdesk.review.web import ReviewDesk

WATCHED = ("content", "newsdesk", "pelicanconf.py")
_DEFAULT_FILTER = DefaultFilter()


def own_hosts(port: int) -> tuple[str, str]:
    """The `Host` of a request for the preview on 127.0.0.1:`port`: any other is refused (a
    page on another name that resolves to 127.0.0.1, DNS rebinding, reads nothing)."""
    return f"127.0.0.1:{port}", f"localhost:{port}"


class PreviewServer(ThreadingHTTPServer):
    """The preview's server, with the review desk that answers /_review/ once it has one."""

    desk: "ReviewDesk | None" = None


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves files of the output only; a missing page gets the 404 page of its edition.

    Every path is resolved (symlinks followed) and must stay inside the output, so no request
    (`..`, `%2e%2e`, backslashes, double slashes, a symlink pointing out) reads anything else.
    A request naming another `Host` than the server's own (own_hosts) gets 421, whatever it
    asks. A PreviewServer's `desk`, if it has one, answers /_review/.
    """

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        address = self.server.server_address
        host = (self.headers.get("Host") or "").strip().lower()
        if isinstance(address, tuple) and host in own_hosts(address[1]):
            return True
        self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "Unknown host")
        return False

    def _desk(self) -> "ReviewDesk | None":
        desk = self.server.desk if isinstance(self.server, PreviewServer) else None
        return desk if desk is not None and desk.owns(self.path) else None

    def do_GET(self) -> None:
        desk = self._desk()
        return desk.get(self) if desk else super().do_GET()

    def do_HEAD(self) -> None:
        desk = self._desk()
        return desk.get(self) if desk else super().do_HEAD()

    def do_POST(self) -> None:
        desk = self._desk()
        return desk.post(self) if desk else self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)

    def in_output(self, path: Path | str) -> Path | None:
        """The real path of `path` if it is inside the output, else None."""
        root = Path(self.directory).resolve()
        try:
            real = Path(path).resolve()
        except (OSError, ValueError, RuntimeError):  # a NUL byte, a symlink loop
            return None
        return real if real == root or root in real.parents else None

    def send_head(self) -> BinaryIO | None:
        path = self.in_output(self.translate_path(self.path))
        if path is not None and path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the redirect to the folder's address with a slash
            path = self.in_output(path / "index.html")
        if path is None or not path.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        file = path.open("rb")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(os.fstat(file.fileno()).st_size))
        self.end_headers()
        return file

    def send_error(self, code: int, message: str | None = None, explain: str | None = None
                   ) -> None:
        if code != HTTPStatus.NOT_FOUND:
            return super().send_error(code, message, explain)
        root = Path(self.directory)
        edition = Path(self.translate_path(self.path)).relative_to(root).parts[:1]
        page = self.in_output(root.joinpath(*edition, "404.html"))
        if edition and (page is None or not page.is_file()):
            page = self.in_output(root / "404.html")
        if page is None or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


@contextmanager
def serve_folder(folder: Path | str) -> Iterator[str]:
    """Serve a folder on http://127.0.0.1:PORT/ (a free port) for the duration of the block."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(PreviewHandler):
    def log_message(self, *args: object) -> None:
        pass


def rebuild(root: Path | str, content: Path | str | None, output: Path | str | None = None,
            journal: Path | str | None = None, settings: Path | str | None = None) -> None:
    """Build in a child process; `journal`: where it lists what it wrote (newsdesk.written)."""
    args = [sys.executable, "-m", "newsdesk.build"]
    if content:
        args += ["--content", str(content)]
    if output:
        args += ["--output", str(output)]
    if settings:
        args += ["--settings", str(settings)]
    env = dict(os.environ)
    if journal:
        Path(journal).write_bytes(b"")  # this build's writes only
        env[written.JOURNAL] = str(journal)
    subprocess.run(args, cwd=root, check=False, env=env)


class Rebuilder:
    """The preview's builds, one at a time: after edits, and after the review desk's writes,
    which are then no edits to the watcher."""

    def __init__(self, root: Path, content: Path | str | None, output: Path,
                 settings: Path | str | None, journal: Path) -> None:
        self.root, self.content, self.output = root, content, output
        self.settings, self.journal = settings, journal
        self.lock = threading.Lock()

    def build(self, journal: bool = True) -> None:
        with self.lock:
            rebuild(self.root, self.content, self.output, self.journal if journal else None,
                    self.settings)

    def edits(self, changes: Iterable[tuple[Change, str]]) -> set[tuple[Change, str]]:
        """The changes that are edits (neither a build's writes nor the desk's)."""
        with self.lock:
            return edits(changes, self.journal)

    def after(self, write: Callable[[], list[Path]]) -> list[Path]:
        """Run `write()` (the desk's: it returns the files it wrote), then rebuild; what
        `write` returns."""
        with self.lock:
            paths = write()
            rebuild(self.root, self.content, self.output, self.journal, self.settings)
            own = written.read(self.journal)
            for path in paths:  # unless the build wrote it again since
                if os.path.realpath(path) not in own and Path(path).exists():
                    written.record(path, Path(path).read_bytes(), self.journal)
            return paths


def _watched(change: Change, path: str) -> bool:
    """Files that are inputs: no hidden files, editor backups or compiled Python."""
    return "/." not in path and _DEFAULT_FILTER(change, path)


def edits(changes: Iterable[tuple[Change, str]], journal: Path | str) -> set[tuple[Change, str]]:
    """The changes that are not the last build's own writes (see newsdesk.written)."""
    own = written.read(journal)
    return {(change, path) for change, path in changes if not written.own(path, own)}


class PortBusy(Exception):
    """The preview's port is taken; the message says what to do."""


def serve_and_watch(root: Path | str, port: int = 8000, content: Path | str | None = None,
                    output: Path | str | None = None, settings: Path | str | None = None
                    ) -> None:
    """Build, serve on 127.0.0.1:`port` with the review desk and rebuild on every edit;
    PortBusy, before any build, if the port is taken."""
    from newsdesk.review.web import review_desk

    root = Path(root)
    output = Path(output) if output else root / "output"
    handler = functools.partial(PreviewHandler, directory=str(output))
    try:
        server = PreviewServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise PortBusy(f"port {port} on 127.0.0.1 is in use ({exc.strerror}); stop what uses "
                       f"it or choose another: invoke serve --port {port + 1}") from None
    with tempfile.TemporaryDirectory(prefix="newsdesk-preview-") as work:
        rebuilder = Rebuilder(root, content, output, settings, Path(work) / "written")
        rebuilder.build(journal=False)
        desk = review_desk(root, content, settings, port, rebuilder.after)
        server.desk = desk
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"Serving {output} on http://127.0.0.1:{port}/ (Ctrl+C stops)", flush=True)
        print(f"Review desk: http://127.0.0.1:{port}/_review/ (reviews signed as "
              f"{desk.desk.reviewer})", flush=True)
        paths = [root / name for name in WATCHED if (root / name).exists()]
        if content:
            paths.append(Path(content))
        try:
            rebuild_on_edits(paths, rebuilder)
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()


def rebuild_on_edits(paths: Iterable[Path], rebuilder: Rebuilder) -> None:
    """Rebuild after each batch of edits under `paths`; what a build or the desk wrote itself
    is no edit."""
    for changes in watch(*paths, watch_filter=_watched):
        changed = rebuilder.edits(changes)
        if changed:
            print(f"{len(changed)} file(s) changed, rebuilding", flush=True)
            rebuilder.build()
