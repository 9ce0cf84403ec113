"""A translation server on 127.0.0.1 speaking the APIs of LibreTranslate, Google's web page,
MyMemory and Microsoft Translator.

Tests script its answers: a list of behaviours consumed one per request ("ok", a status code,
"hang", "malformed", "script", "break", "cyrillic"); when the list is empty it answers "ok".
Every request's text is recorded. The translation itself is deterministic: the text prefixed with
the target language ("EN: ..."), placeholders untouched, so tests can tell what came from here;
`answers` maps a text sent to the exact answer a test wants the provider to give.
"""

import contextlib
import json
import threading
import time
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from newsdesk.transliterate import to_cyrillic


class FakeTranslationServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = []
        self.answers = {}
        self.requests = []
        self.hang_seconds = 5
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()

    def next_behaviour(self):
        with self.lock:
            return self.script.pop(0) if self.script else "ok"

    def texts(self):
        return [r["q"] for r in self.requests]


def translate(text, target, behaviour):
    prefix = {"en": "EN", "sr": "SR"}.get(target.split("-")[0], target.upper())
    if behaviour == "script":
        return f"{prefix}: <script>alert('x')</script> {text}"
    if behaviour == "break":
        return f"{prefix}: " + text.replace("⟦0⟧", "")
    if behaviour == "cyrillic":
        return to_cyrillic(f"{prefix}: Prevedeno {text}")
    return f"{prefix}: {text}"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _params(self):
        query = parse_qs(urlparse(self.path).query)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if self.headers.get("Content-Type") == "application/json":
            query["q"] = [item["text"] for item in json.loads(body)]  # Microsoft's
        else:
            query.update(parse_qs(body))
        return {k: v[0] for k, v in query.items()}

    def _answer(self, status, body, content_type):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)  # the client may have given up waiting, as it should

    def _handle(self, google):
        params = self._params()
        text = params.get("q", "")
        mymemory = urlparse(self.path).path.endswith("/get")
        microsoft = "api-version" in params
        if mymemory:
            target = params.get("langpair", "|").split("|")[1]
        else:
            target = params.get("to" if microsoft else "tl" if google else "target", "")
        server = self.server
        behaviour = server.next_behaviour()
        with server.lock:
            server.requests.append({"q": text, "target": target, "behaviour": behaviour,
                                    "path": self.path,
                                    "api_key": params.get("api_key")
                                    or self.headers.get("Ocp-Apim-Subscription-Key")})
        if isinstance(behaviour, int):
            return self._answer(behaviour, json.dumps({"error": "scripted"}), "application/json")
        if behaviour == "hang":
            time.sleep(server.hang_seconds)
            return self._answer(504, "{}", "application/json")
        if behaviour == "malformed":
            return self._answer(200, "<html>no translation here" if google else "{not json",
                                "text/html" if google else "application/json")
        translated = server.answers.get(text) or translate(text, target, behaviour)
        if mymemory:
            answer = {"responseData": {"translatedText": translated}, "matches": []}
            return self._answer(200, json.dumps(answer), "application/json")
        if microsoft:
            answer = [{"translations": [{"text": translated, "to": target}]}]
            return self._answer(200, json.dumps(answer), "application/json")
        if google:
            page = f'<html><body><div class="result-container">{escape(translated)}</div>'
            return self._answer(200, page + "</body></html>", "text/html; charset=utf-8")
        return self._answer(200, json.dumps({"translatedText": translated}), "application/json")

    def do_GET(self):
        self._handle(google=True)

    def do_POST(self):
        self._handle(google=False)
