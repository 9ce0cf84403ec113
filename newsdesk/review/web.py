"""The desk's pages under /_review/ of the preview server (newsdesk.preview).

Safe on a laptop: the preview listens on 127.0.0.1 only and answers only requests that name
it in their `Host` (newsdesk.preview.own_hosts: no DNS rebinding); every write is a
POST carrying the server's own random token (no request from another site) and names an entry
of the memory by the article's key, its edition and the entry's hash, all checked against the
site's own (newsdesk.review.desk). Pages are Jinja2 templates with autoescape: whatever the
memory or an author wrote is escaped once. Forms are plain POSTs answered with a redirect;
the script only adds comfort.
"""

import hmac
import secrets
from collections import Counter
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from newsdesk.preview import own_hosts
from newsdesk.review.desk import STATES, TO_REVIEW, Desk, Refused, reviewer_name
from newsdesk.review.editing import changes, marked, parts
from newsdesk.review.words import LANGUAGES, OWN_NAMES, words

PREFIX = "/_review"
STATIC = {"desk.css": "text/css; charset=utf-8", "desk.js": "text/javascript; charset=utf-8"}
MAX_FORM = 1_000_000  # bytes of one form
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # a form's Origin is then this server, not null
    "Cache-Control": "no-store",
}
HERE = Path(__file__).parent


class ReviewDesk:
    """The desk's web side: one per preview server, with its own token."""

    def __init__(self, desk: Desk, port: int,
                 after: Callable[[Callable[[], list[Path]]], list[Path]]):
        """`after(write)`: runs the desk's `write` and rebuilds the preview
        (newsdesk.preview.Rebuilder.after)."""
        self.desk, self.port, self.after = desk, port, after
        self.token = secrets.token_urlsafe(32)
        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                                     autoescape=select_autoescape(default=True),
                                     trim_blocks=True, lstrip_blocks=True)

    @staticmethod
    def owns(path: str) -> bool:
        location = urlsplit(path).path
        return location == PREFIX or location.startswith(PREFIX + "/")

    # -- requests ------------------------------------------------------------------------------

    def get(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        parts_ = [p for p in url.path.removeprefix(PREFIX).split("/") if p]
        if url.path == PREFIX:
            return self._redirect(handler, PREFIX + "/")
        if len(parts_) == 1 and parts_[0] in STATIC:
            return self._static(handler, parts_[0])
        if not parts_:
            return self._list(handler, query)
        if len(parts_) == 2 and url.path.endswith("/"):
            return self._article(handler, parts_[0], parts_[1], query)
        return self._error_page(handler, Refused("no-such-article", 404), query.get("ui"))

    def post(self, handler: BaseHTTPRequestHandler) -> None:
        form = self._form(handler)
        ui = form.get("ui") if form else None
        if form is None or urlsplit(handler.path).path != f"{PREFIX}/save":
            return self._error_page(handler, Refused("bad-request", 400), ui)
        if not (self._token_matches(form.get("token", "")) and self._origin_allowed(handler)):
            return self._error_page(handler, Refused("forbidden", 403), ui)
        target, key, ident = form.get("edition", ""), form.get("key", ""), form.get("segment", "")
        done: dict[str, str] = {}

        def write() -> list[Path]:
            written, answer = self._act(form)
            done.update(answer)
            return written

        try:
            self.after(write)
        except Refused as refused:
            if refused.status in (400, 404):
                return self._error_page(handler, refused, ui)
            return self._article(handler, target, key, {"ui": ui or ""}, refused=refused,
                                 ident=ident, text=form.get("text", ""))
        anchor = f"#s-{ident}" if ident and done.get("done") != "approved" else ""
        query = urlencode({**done, **({"ui": ui} if ui in LANGUAGES else {})})
        return self._redirect(handler, f"{PREFIX}/{quote(target)}/{quote(key)}/?{query}{anchor}")

    def _act(self, form: dict[str, str]) -> tuple[list[Path], dict[str, str]]:
        """Carry out a form's action: the files written, and what the page then says."""
        target, key, ident = form.get("edition", ""), form.get("key", ""), form.get("segment", "")
        stamp, action = form.get("stamp", ""), form.get("action", "")
        if action == "approve-all":
            count, written = self.desk.approve_all(target, key)
            return written, {"done": "approved", "count": str(count)}
        if action == "send":
            return self.desk.send(target, key, ident, stamp), {"done": "sent"}
        if action == "save":
            return self.desk.save(target, key, ident, form.get("text", ""), stamp), \
                {"done": "saved"}
        raise Refused("bad-request", 400)

    # -- checks --------------------------------------------------------------------------------

    def _origin_allowed(self, handler: BaseHTTPRequestHandler) -> bool:
        """A browser's Origin, when it sends one, is this server."""
        origin = handler.headers.get("Origin")
        return origin is None or origin.lower() in [f"http://{host}"
                                                    for host in own_hosts(self.port)]

    def _token_matches(self, token: str) -> bool:
        return hmac.compare_digest(token.encode(), self.token.encode())

    @staticmethod
    def _form(handler: BaseHTTPRequestHandler) -> dict[str, str] | None:
        """The fields of a plain form POST, one value each; None if it is not one."""
        kind = (handler.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            length = int(handler.headers.get("Content-Length") or "")
        except ValueError:
            return None
        if kind != "application/x-www-form-urlencoded" or not 0 <= length <= MAX_FORM:
            return None
        try:
            body = handler.rfile.read(length).decode("utf-8")
            fields = parse_qs(body, keep_blank_values=True, strict_parsing=bool(body))
        except (UnicodeDecodeError, ValueError):
            return None
        if any(len(values) != 1 for values in fields.values()):
            return None
        return {name: values[0] for name, values in fields.items()}

    # -- pages ---------------------------------------------------------------------------------

    def _list(self, handler: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        ui = _interface(query, _edition_of(self.desk.settings.get("DEFAULT_LANG", "sr")))
        edition = query.get("edition") if query.get("edition") in self.desk.targets else ""
        state = query.get("state") if query.get("state") in (*STATES, "human", "all") else ""
        rows = [row for row in self.desk.rows() if not edition or row.target == edition]
        counts = Counter(name for row in rows for name in row.states)
        wanted = {state} if state and state != "all" else {*TO_REVIEW, "human"}
        shown = [row for row in rows if state == "all" or wanted.intersection(row.states)]
        page = self._render("list.html", ui, rows=shown, counts=counts,
                            states=(*STATES, "human"), edition=edition, state=state,
                            targets=self.desk.targets, here=PREFIX + "/")
        self._html(handler, HTTPStatus.OK, page)

    def _article(self, handler: BaseHTTPRequestHandler, target: str, key: str,
                 query: dict[str, str], refused: Refused | None = None, ident: str = "",
                 text: str = "") -> None:
        ui = _interface(query, target)
        try:
            review = self.desk.article(target, key)
        except Refused as exc:
            return self._error_page(handler, exc, ui)
        say = words(ui)
        shown = []
        for segment in review.segments:
            failed = refused if refused is not None and segment.ident == ident else None
            shown.append({
                "segment": segment,
                "original": marked(segment.original, segment.tokens),
                "parts": parts(segment.tokens),
                "text": text if failed else segment.shown,  # nothing typed is lost
                "stored": segment.shown if failed and failed.word == "changed-meanwhile"
                else "",
                "error": say(failed.word, detail=failed.detail) if failed else "",
                "changes": changes(segment.previous, segment.original)
                if segment.previous else [],
            })
        done = query.get("done")
        message = say("done-approved", count=query.get("count", "0")) if done == "approved" \
            else say(f"done-{done}") if done in ("saved", "sent") else ""
        general = say(refused.word, detail=refused.detail) \
            if refused is not None and not any(s["error"] for s in shown) else ""
        page = self._render("article.html", ui, review=review, segments=shown,
                            token=self.token, message=message, general=general,
                            here=f"{PREFIX}/{quote(target)}/{quote(key)}/", back=PREFIX + "/")
        status = HTTPStatus(refused.status) if refused is not None else HTTPStatus.OK
        self._html(handler, status, page)

    def _error_page(self, handler: BaseHTTPRequestHandler, refused: Refused,
                    ui: str | None) -> None:
        """A refused write ("Not saved"), or a page that is not there ("Not found")."""
        ui = ui if ui in LANGUAGES else LANGUAGES[0]
        reading = handler.command in ("GET", "HEAD")
        page = self._render("error.html", ui,
                            heading="not-found" if reading and refused.status == 404
                            else "error",
                            message=words(ui)(refused.word, detail=refused.detail),
                            back=PREFIX + "/", here=PREFIX + "/")
        self._html(handler, HTTPStatus(refused.status), page)

    def _render(self, name: str, ui: str, **values: object) -> str:
        """A page in the interface language `ui`."""
        return self.templates.get_template(name).render(
            t=words(ui), ui=ui, languages=LANGUAGES, own_names=OWN_NAMES, **values)

    # -- answers -------------------------------------------------------------------------------

    def _html(self, handler: BaseHTTPRequestHandler, status: HTTPStatus, page: str) -> None:
        self._send(handler, status, page.encode("utf-8"), "text/html; charset=utf-8")

    def _static(self, handler: BaseHTTPRequestHandler, name: str) -> None:
        self._send(handler, HTTPStatus.OK, (HERE / "static" / name).read_bytes(), STATIC[name])

    def _redirect(self, handler: BaseHTTPRequestHandler, location: str) -> None:
        handler.send_response(HTTPStatus.SEE_OTHER)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        for name, value in HEADERS.items():
            handler.send_header(name, value)
        handler.end_headers()

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: HTTPStatus, body: bytes,
              content_type: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in HEADERS.items():
            handler.send_header(name, value)
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)


def review_desk(root: Path, content: Path | str | None, settings_file: Path | str | None,
                port: int, after: Callable[[Callable[[], list[Path]]], list[Path]]) -> ReviewDesk:
    """The desk of a site folder's content (or `content`), as its settings describe it."""
    from pelican.settings import read_settings

    from newsdesk import SITE_SETTINGS

    override = {"PATH": str(Path(content).resolve())} if content else None
    settings = read_settings(str(settings_file or Path(root) / SITE_SETTINGS), override=override)
    folder = Path(settings["PATH"])
    return ReviewDesk(Desk(settings, folder, reviewer_name(folder)), port, after)


def _interface(query: dict[str, str], fallback: str) -> str:
    """The interface language the query asks for, else `fallback`."""
    ui = query.get("ui", "")
    return ui if ui in LANGUAGES else fallback


def _edition_of(code: str) -> str:
    from newsdesk.languages import normalize_language

    return normalize_language(code) or LANGUAGES[0]
