"""HTTP headers for published files: Content-Type with charset, and Cache-Control."""

import fnmatch
import mimetypes
from collections.abc import Iterable

TEXT = "; charset=utf-8"
CONTENT_TYPES = {
    ".html": "text/html" + TEXT,
    ".css": "text/css" + TEXT,
    ".js": "text/javascript" + TEXT,
    ".mjs": "text/javascript" + TEXT,
    ".json": "application/json" + TEXT,
    ".xml": "application/xml" + TEXT,
    ".atom.xml": "application/atom+xml" + TEXT,
    ".rss.xml": "application/rss+xml" + TEXT,
    ".txt": "text/plain" + TEXT,
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
}

# The default of the PUBLISH_CACHE_CONTROL setting: the first matching pattern wins.
# Fingerprinted files (the name changes when the bytes do) are kept for a year; pages, feeds
# and sitemaps for five minutes, so a correction reaches readers quickly; other assets a day.
DEFAULT_CACHE_CONTROL = [
    ("images/_r/*", "public, max-age=31536000, immutable"),
    ("*pagefind/fragment/*", "public, max-age=31536000, immutable"),
    ("*pagefind/index/*", "public, max-age=31536000, immutable"),
    ("*pagefind/*.pf_meta", "public, max-age=31536000, immutable"),
    ("*.html", "public, max-age=300, must-revalidate"),
    ("*.xml", "public, max-age=300, must-revalidate"),
    ("*.json", "public, max-age=300, must-revalidate"),
    ("*.txt", "public, max-age=300, must-revalidate"),
    ("*", "public, max-age=86400"),
]


def content_type(path: str) -> str:
    """The Content-Type of a site path; text types name their charset."""
    name = path.lower()
    for suffix in sorted(CONTENT_TYPES, key=len, reverse=True):
        if name.endswith(suffix):
            return CONTENT_TYPES[suffix]
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def cache_control(path: str, rules: Iterable[tuple[str, str]] | None = None) -> str | None:
    """The Cache-Control value of a site path under `rules` (pattern, value) pairs."""
    for pattern, value in rules or DEFAULT_CACHE_CONTROL:
        if fnmatch.fnmatchcase(path, pattern):
            return value
    return None


def is_page(path: str) -> bool:
    """Pages and the documents that point readers at them (feeds, sitemaps, search metadata)."""
    return path.endswith((".html", ".xml", ".txt")) or path.endswith("pagefind/pagefind-entry.json")
