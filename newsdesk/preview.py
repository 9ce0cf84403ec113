"""Preview server: serves the output on 127.0.0.1 and rebuilds when a source file changes."""

import functools
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchfiles import watch

WATCHED = ("content", "theme", "plugins", "newsdesk", "pelicanconf.py")


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves files; a missing page gets the 404 page of the edition its path is in."""

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        root = Path(self.directory)
        first = self.path.lstrip("/").split("/", 1)[0]
        page = root / first / "404.html"
        if not first or not page.is_file():
            page = root / "404.html"
        if not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


@contextmanager
def serve_folder(folder):
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
    def log_message(self, *args):
        pass


def rebuild(root, content):
    args = [sys.executable, "-m", "newsdesk.build"]
    if content:
        args += ["--content", str(content)]
    subprocess.run(args, cwd=root, check=False)


def serve_and_watch(root, port=8000, content=None):
    root = Path(root)
    rebuild(root, content)
    output = root / "output"
    handler = functools.partial(PreviewHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {output} on http://127.0.0.1:{port}/ (Ctrl+C stops)")
    paths = [root / name for name in WATCHED if (root / name).exists()]
    if content:
        paths.append(Path(content))
    try:
        for changes in watch(*paths, watch_filter=lambda _change, path: "/." not in path):
            print(f"{len(changes)} file(s) changed, rebuilding")
            rebuild(root, content)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
