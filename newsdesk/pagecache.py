"""Pages whose inputs did not change since the last build are taken from it, not rendered.

Each page the editions plugin writes gets a key: a hash of the template, the page's place and
what it shows (objects by their `cache_key()`, every article on it by its digest: text,
metadata, URLs, flags, and the title, URL and date of the articles it links to: versions,
original, related reading). When the previous build of the same output folder wrote that page
with the same key, the file is hard-linked from it into the new output instead of rendered
again. Hand edits inside the output folder are not noticed (`--force` renders every page).

The site as a whole (code, theme, photos, settings, library versions) is not in the page keys:
newsdesk.build offers the previous build's keys only when those are the same
(`fingerprint.inputs(..., articles=False)`), so a change to any of them renders every page.

Contract with the theme: a listing page depends on the articles it lists and on how many the
whole listing has (`articles|length`), not on the rest of the listing; the site-wide pages
(archives, the lists of sections, topics and authors, search, 404) are always rendered.

Settings, set by newsdesk.build for one build (unset: every page is rendered):
- PAGE_CACHE_FILE: the keys file of the output folder, CACHE_PATH/pages-<hash>.json; this
  build's keys are written beside it (`.new-<pid>`) and take its place once the new output does.
- PAGE_CACHE_PREVIOUS: the output folder whose pages the keys file describes, if they may be
  reused, else None.
"""

import hashlib
import json
import logging
import marshal
import os
import re
from datetime import date, datetime
from pathlib import Path

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from newsdesk import fingerprint

# Article attributes that are not what the article shows, or that point at other articles
# (_LINKS: those count by what a page shows of them, see PageCache._ref).
_SKIP = frozenset({"settings", "_context", "metadata", "edition", "versions", "related",
                   "translation_of", "script_of", "get_content", "_content"})
_CROSS_LINK_WORDS = ("filename", "attach", "index", "category", "tag", "author")
_CROSS_LINK = re.compile(rf"[{{|](?:{'|'.join(_CROSS_LINK_WORDS)})[}}|]")
_CROSS_LINK_ENDS = tuple(word + end for word in _CROSS_LINK_WORDS for end in "}|")
_LINKS = frozenset({"versions", "related", "translation_of", "script_of"})


class WarningCounter(logging.Handler):
    """Counts the warnings and errors logged: what logged them while being made (a page, a
    kept article) is not kept for the next build, so it warns again (a strict build must see
    it)."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


class PageCache:
    """The previous build's page keys, and the keys of the pages written by this process."""

    def __init__(self, settings):
        self.file = settings.get("PAGE_CACHE_FILE")
        self.previous = settings.get("PAGE_CACHE_PREVIOUS")
        self.known = {}
        if self.previous and self.file:
            try:
                self.known = json.loads(Path(self.file).read_text(encoding="utf-8"))["pages"]
            except (OSError, ValueError, KeyError):
                self.previous = None
        self.keys = {}
        self.linked = self.rendered = 0
        self._digests, self._refs = {}, {}
        self.warnings = WarningCounter()

    def __enter__(self):
        logging.getLogger().addHandler(self.warnings)
        return self

    def __exit__(self, *exc):
        logging.getLogger().removeHandler(self.warnings)

    def write(self, output_path, save_as, key, render):
        """Link the page from the previous output if its key is the same, else render(); the
        key is kept for the next build unless rendering logged a warning."""
        if key is not None and self.known.get(save_as) == key and self._link(output_path,
                                                                             save_as):
            self.keys[save_as] = key
            self.linked += 1
            return
        before = self.warnings.count
        render()
        self.rendered += 1
        if key is not None and self.warnings.count == before:
            self.keys[save_as] = key

    def _link(self, output_path, save_as):
        source = os.path.join(self.previous, save_as)
        target = os.path.join(output_path, save_as)
        try:
            os.link(source, target)
            return True
        except FileNotFoundError:  # mostly: the page's own folder is not made yet
            pass
        except OSError:
            return False
        folder = os.path.dirname(target)
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        try:
            os.link(source, target)  # fails if the page is not in the previous build
        except OSError:
            return False
        return True

    # -- keys ----------------------------------------------------------------------------------

    def key(self, *parts):
        """The key of a page made from these parts (articles, URL wrappers, lists, values)."""
        return hashlib.blake2b(_dump(self._plain(parts)), digest_size=16).hexdigest()

    def save(self, keys):
        """Keep this build's keys ({save_as: key}) for newsdesk.build to put in place."""
        if self.file:
            _write_json(_pending(self.file), {"pages": keys})

    def digest_share(self, articles, share):
        """The digests of this process's share of the articles ({id: digest}, to send back
        to the process that forked it, whose objects have the same ids)."""
        return {id(article): self.article(article) for article in articles if share.take()}

    def add_digests(self, digests):
        self._digests.update(digests)

    def article(self, article):
        """An article's digest: everything about it a page can show (memoised per build)."""
        known = self._digests.get(id(article))
        if known is not None:
            return known
        content = article._content or ""
        # Links to other content are resolved on output: their targets' URLs are part of the
        # text ({static} links depend on the settings alone).
        digest = hashlib.blake2b(
            (article.content if _links_to_content(content) else content).encode(),
            digest_size=16)
        # The metadata are attributes too; templates ask only which of them were given.
        state = [sorted(article.metadata)]
        state += [(name, value if type(value) in _PLAIN else self._plain(value))
                  for name, value in sorted(vars(article).items()) if name not in _SKIP]
        for name in sorted(_LINKS):
            value = getattr(article, name, None)
            if isinstance(value, dict):
                value = sorted(value.items())
            state.append((name, self._plain(value, follow=False)))
        digest.update(_dump(state))
        self._digests[id(article)] = result = digest.digest()
        return result

    def _plain(self, value, follow=True):
        """The value as plain data (str, numbers, lists, tuples), the same in every run."""
        kind = type(value)
        if kind in _PLAIN:
            return value
        if kind in (list, tuple):
            return [item if type(item) in _PLAIN else self._plain(item, follow)
                    for item in value]
        if isinstance(value, Content):
            return self.article(value) if follow else self._ref(value)
        if isinstance(value, URLWrapper):
            # its URL follows from the slug and the edition's settings
            return kind.__name__, value.name, value.slug
        if isinstance(value, dict):
            return sorted((str(k), self._plain(v, follow)) for k, v in value.items())
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if hasattr(value, "cache_key"):
            return value.cache_key()
        return repr(value)

    def _ref(self, article):
        """What a page shows of an article it links to."""
        known = self._refs.get(id(article))
        if known is None:
            known = self._refs[id(article)] = (
                article.url, article.title, article.date.isoformat(),
                getattr(article, "translation_pending", 0),
                getattr(getattr(article, "edition", None), "code", ""))
        return known


_PLAIN = frozenset({str, int, float, bool, type(None), bytes})


def _links_to_content(html):
    """Whether the text links to other content ({filename}, |tag| …): the pattern is searched
    for only in a text with one of its words and closing marks (a search that starts with a
    character class is slow on long texts, and every article has {static} links)."""
    return (any(mark in html for mark in _CROSS_LINK_ENDS)
            and _CROSS_LINK.search(html) is not None)


def _dump(value):
    """Bytes of plain data, the same in every run (marshal format 2 has no back-references)."""
    return marshal.dumps(value, 2)


def keys_file(cache, output):
    """The file that keeps the page keys of the build in `output`."""
    name = hashlib.sha1(str(output).encode()).hexdigest()[:16]
    return Path(cache) / f"pages-{name}.json"


def _pending(path):
    return Path(f"{path}.new-{os.getpid()}")


def previous_build(cache, output, site_key):
    """`output` if its pages may be reused: the keys file describes the folder now there,
    built from the same code, theme, photos and settings; else None."""
    try:
        state = json.loads(keys_file(cache, output).read_text(encoding="utf-8"))
        usable = (state["site"] == site_key and Path(output).is_dir()
                  and state["output"] == fingerprint.output_stamp(output))
    except (OSError, ValueError, KeyError):
        usable = False
    return str(output) if usable else None


def remember(cache, output, site_key):
    """Put the keys of the build now in `output` in place (written whole or not at all)."""
    pending = _pending(keys_file(cache, output))
    try:
        keys = json.loads(pending.read_text(encoding="utf-8"))["pages"]
    except (OSError, ValueError, KeyError):
        keys = {}
    _write_json(keys_file(cache, output), {"site": site_key, "pages": keys,
                                           "output": fingerprint.output_stamp(output)})
    discard(cache, output)


def discard(cache, output, every_build=False):
    """Drop the keys of a build that was not put in place (`every_build`: also those left by
    killed builds of the same output)."""
    path = keys_file(cache, output)
    pending = path.parent.glob(f"{path.name}.new-*") if every_build else [_pending(path)]
    for leftover in pending:
        leftover.unlink(missing_ok=True)


def _write_json(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
