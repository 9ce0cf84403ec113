"""Preview server: serves the output on 127.0.0.1 and rebuilds when a source file changes."""

import functools
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from watchfiles import Change, DefaultFilter, watch

from newsdesk import written

WATCHED = ("content", "newsdesk", "pelicanconf.py")
_DEFAULT_FILTER = DefaultFilter()


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves files of the output only; a missing page gets the 404 page of its edition.

    Every path is resolved (symlinks followed) and must stay inside the output, so no request
    (`..`, `%2e%2e`, backslashes, double slashes, a symlink pointing out) reads anything else.
    """

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
            journal: Path | str | None = None) -> None:
    """Build in a child process; `journal`: where it lists what it wrote (newsdesk.written)."""
    args = [sys.executable, "-m", "newsdesk.build"]
    if content:
        args += ["--content", str(content)]
    if output:
        args += ["--output", str(output)]
    env = dict(os.environ)
    if journal:
        Path(journal).write_bytes(b"")  # this build's writes only
        env[written.JOURNAL] = str(journal)
    subprocess.run(args, cwd=root, check=False, env=env)


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
                    output: Path | str | None = None) -> None:
    """Build, serve on 127.0.0.1:`port` and rebuild on every edit; PortBusy, before any build,
    if the port is taken."""
    root = Path(root)
    output = Path(output) if output else root / "output"
    handler = functools.partial(PreviewHandler, directory=str(output))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise PortBusy(f"port {port} on 127.0.0.1 is in use ({exc.strerror}); stop what uses "
                       f"it or choose another: invoke serve --port {port + 1}") from None
    rebuild(root, content, output)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {output} on http://127.0.0.1:{port}/ (Ctrl+C stops)", flush=True)
    paths = [root / name for name in WATCHED if (root / name).exists()]
    if content:
        paths.append(Path(content))
    try:
        rebuild_on_edits(paths, root, content, output)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


def rebuild_on_edits(paths: Iterable[Path], root: Path, content: Path | str | None, output: Path
                     ) -> None:
    """Rebuild after each batch of edits under `paths`; what a build wrote itself is no edit."""
    with tempfile.TemporaryDirectory(prefix="newsdesk-preview-") as work:
        journal = Path(work) / "written"
        for changes in watch(*paths, watch_filter=_watched):
            changed = edits(changes, journal)
            if changed:
                print(f"{len(changed)} file(s) changed, rebuilding", flush=True)
                rebuild(root, content, output, journal)
