"""Article HTML made safe to publish: every version's body and summary, as it is made.

Settings (defaults in brackets):
- SANITIZE_HTML [False]: keep only an allow-list of elements and attributes in article HTML
  (nh3): text, links, lists, headings, quotes, code, tables, figures and pictures, <span
  translate="no">, and iframes from SANITIZE_IFRAME_HOSTS. For sites that publish
  less-trusted contributors; off, raw HTML in Markdown (embeds) is published as written.
- SANITIZE_IFRAME_HOSTS [["www.youtube-nocookie.com", "player.vimeo.com"]]: with SANITIZE_HTML,
  the hosts an <iframe> may load from, over https; any other iframe is removed.

javascript:, vbscript: and data: URLs are removed either way. What is removed is returned, for
the caller to report naming the file.
"""

import functools
import logging
import re
from collections import Counter
from collections.abc import Mapping
from html import escape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import nh3

log = logging.getLogger(__name__)

IFRAME_HOSTS = ["www.youtube-nocookie.com", "player.vimeo.com"]  # SANITIZE_IFRAME_HOSTS
NEVER_SCHEMES = {"javascript", "vbscript", "data"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}  # and relative URLs
URL_ATTRIBUTES = {"href", "src", "srcset", "cite", "action", "formaction", "poster", "data",
                  "background", "xlink:href", "ping", "longdesc", "lowsrc", "dynsrc"}

# The allow-list: what Markdown, the figures plugin and the site's embeds make.
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "iframe", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "picture", "pre", "q", "s", "samp", "small", "source", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}
CONTENT_REMOVED = {"script", "style"}  # removed with what is inside them
_HEADINGS = {f"h{n}": {"id"} for n in range(1, 7)}
ATTRIBUTES = {
    "*": {"title", "lang", "dir", "translate"},
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type", "media", "width", "height"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "referrerpolicy"},
    "td": {"colspan", "rowspan", "headers", "style"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr", "style"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "reversed", "type"}, "li": {"value", "id"}, "sup": {"id"},
    "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"}, "time": {"datetime"}, "details": {"open"},
    "code": {"class"},  # language-* only, see _attribute
    **_HEADINGS,
}
ATTRIBUTE_VALUES = {
    "a": {"target": {"_blank"}},
    "img": {"loading": {"lazy", "eager"}, "decoding": {"async", "sync", "auto"}},
    "iframe": {"loading": {"lazy", "eager"}},
}
CLASSES = {"figure": {"figure"}, "span": {"credit"}, "img": {"decorative"},
           "a": {"footnote-ref", "footnote-backref"}, "div": {"footnote"}}
STYLE_PROPERTIES = {"text-align"}  # Markdown's table column alignment

_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_TAB_NEWLINE = dict.fromkeys(map(ord, "\t\n\r"))
_NEVER_HINT_RE = re.compile(rf"(?:{'|'.join(sorted(NEVER_SCHEMES))})[:&]|&#|&tab;|&newline;")
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CODE_CLASS_RE = re.compile(r"^language-[\w+#.-]+$")
_SRCLESS_IFRAME_RE = re.compile(r'<iframe\b(?![^>]*\ssrc=")[^>]*>.*?</iframe>', re.S)


def clean_html(html: str, settings: Mapping[str, Any]) -> tuple[str, list[str]]:
    """(safe HTML, what was removed: a short description of each thing)."""
    if not html:
        return html, []
    hosts = frozenset(h.lower() for h in settings.get("SANITIZE_IFRAME_HOSTS", IFRAME_HOSTS))
    sanitize = bool(settings.get("SANITIZE_HTML"))
    if not sanitize and not _may_hold_never_urls(html):
        return html, []
    scan = _Scan(html, sanitize, hosts)
    if not sanitize:
        return scan.rewritten(), scan.removed
    return _SRCLESS_IFRAME_RE.sub("", _cleaner(hosts).clean(html)), scan.removed


def _may_hold_never_urls(html: str) -> bool:
    """False when no URL in the HTML can start with a scheme that is never allowed: one would
    show as the scheme then ":" or "&colon;", once tabs and newlines are left out, unless
    written with numeric character references, "&Tab;" or "&NewLine;"."""
    text = html.translate(_TAB_NEWLINE).lower()
    return bool(_NEVER_HINT_RE.search(text))


def report_removed(place: str, removed: list[str], settings: Mapping[str, Any]) -> None:
    """One warning naming the file (and version) an article lost HTML in."""
    if removed:
        why = "SANITIZE_HTML" if settings.get("SANITIZE_HTML") else "never allowed"
        counts = Counter(removed)
        log.warning("%s: removed from the article's HTML (%s): %s", place, why, "; ".join(
            what + (f" ({n} times)" if n > 1 else "") for what, n in counts.items()))


def url_problem(tag: str, attribute: str, value: str, sanitize: bool,
                hosts: frozenset[str]) -> str | None:
    """Why this URL may not be published (a short description), or None."""
    if attribute == "srcset":
        urls = [c.split()[0] for c in value.split(",") if c.split()]
    else:
        urls = [value]
    for url in urls:
        url = re.sub(r"[\t\n\r]", "", url).lstrip(_C0_AND_SPACE)  # as browsers read it
        match = _SCHEME_RE.match(url)
        scheme = match.group(1).lower() if match else ""
        if scheme in NEVER_SCHEMES or (sanitize and scheme and scheme not in SAFE_SCHEMES):
            return f"{scheme}: URL in <{tag} {attribute}>"
        if sanitize and tag == "iframe" and attribute == "src":
            parts = urlsplit(url.replace("\\", "/"))  # as browsers read it
            if parts.scheme != "https":
                return f"<iframe> from {url} (not https)"
            if (parts.hostname or "") not in hosts:
                return f"<iframe> from {parts.hostname} (not in SANITIZE_IFRAME_HOSTS)"
    return None


@functools.lru_cache(maxsize=4)
def _cleaner(hosts: frozenset[str]) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=TAGS, clean_content_tags=CONTENT_REMOVED, attributes=ATTRIBUTES,
        tag_attribute_values=ATTRIBUTE_VALUES, allowed_classes=CLASSES,
        filter_style_properties=STYLE_PROPERTIES, url_schemes=SAFE_SCHEMES, link_rel=None,
        strip_comments=True, attribute_filter=functools.partial(_attribute, hosts=hosts))


def _attribute(tag: str, attribute: str, value: str, hosts: frozenset[str]) -> str | None:
    """nh3's last word on an allowed attribute: its URLs, and code's language class."""
    if tag == "code" and attribute == "class":
        return " ".join(c for c in value.split() if _CODE_CLASS_RE.match(c)) or None
    if attribute in URL_ATTRIBUTES and url_problem(tag, attribute, value, True, hosts):
        return None
    return value


class _Scan(HTMLParser):
    """Reads the HTML as a browser tokenises it, noting what the policy removes and where
    URLs that are never allowed stand."""

    def __init__(self, html: str, sanitize: bool, hosts: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.html, self.sanitize, self.hosts = html, sanitize, hosts
        self.removed: list[str] = []
        self.edits: list[tuple[int, int, str]] = []
        self.lines = [0] + [m.end() for m in re.finditer("\n", html)]
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.sanitize and tag not in TAGS:
            kind = "element and its content" if tag in CONTENT_REMOVED else "element"
            self.removed.append(f"<{tag}> {kind}")
            return
        dropped = set()
        for index, (name, value) in enumerate(attrs):
            problem = (name in URL_ATTRIBUTES and value is not None
                       and url_problem(tag, name, value, self.sanitize, self.hosts))
            if problem:
                self.removed.append(problem)
                dropped.add(index)
            elif self.sanitize and not _allowed(tag, name, value):
                self.removed.append(f"{name} attribute of <{tag}>")
        if dropped and not self.sanitize:
            self._rewrite(tag, [a for i, a in enumerate(attrs) if i not in dropped])

    def _rewrite(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        start = self.lines[line - 1] + column
        raw = self.get_starttag_text() or ""
        parts = [f"<{tag}"] + [f" {n}" if v is None else f' {n}="{escape(v)}"' for n, v in attrs]
        parts.append("/>" if raw.endswith("/>") else ">")
        self.edits.append((start, start + len(raw), "".join(parts)))

    def rewritten(self) -> str:
        """The HTML with the start tags that carried a forbidden URL written without it."""
        out, last = [], 0
        for start, end, text in self.edits:
            out += [self.html[last:start], text]
            last = end
        return "".join(out) + self.html[last:]


def _allowed(tag: str, name: str, value: str | None) -> bool:
    if name in ATTRIBUTES["*"] or name in ATTRIBUTES.get(tag, ()) or name == "class":
        return True  # a class not on the list goes quietly: it only styles
    return value in ATTRIBUTE_VALUES.get(tag, {}).get(name, ())
