"""Work on articles kept in the build cache between builds (CACHE_PATH/<name>.pickle).

Used for work done on every article at every build whose result depends on its inputs alone
(Markdown of translated texts, the Cyrillic of a Latin article, the translation stage). A memo
is loaded only when REUSE_CACHE (set by newsdesk.build) says the build cache was made by the
same code, theme, photos and settings; it is saved with the entries this build used and
nothing older, and only when CACHE_CONTENT is on.
"""

import hashlib
import logging
import os
import pickle

from newsdesk.parallel import run_shared

log = logging.getLogger(__name__)


class Memo:
    """Values by key: those of the last build (`known`) and those this build used (`used`)."""

    def __init__(self, settings, name):
        self.name = name
        self.path = os.path.join(settings["CACHE_PATH"], f"{name}.pickle")
        self.enabled = settings.get("CACHE_CONTENT", False)
        self.known, self.used = {}, {}
        if self.enabled and settings.get("REUSE_CACHE"):
            try:
                with open(self.path, "rb") as fp:
                    self.known = pickle.load(fp)
            except (OSError, pickle.PickleError, EOFError, AttributeError):
                self.known = {}

    def get(self, key):
        return self.known.get(key)

    def put(self, key, value):
        self.used[key] = value

    def save(self):
        """Keep what this build used (written whole or not at all)."""
        if not self.enabled:
            return
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        tmp = f"{self.path}.{os.getpid()}"
        with open(tmp, "wb") as fp:
            pickle.dump(self.used, fp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)


class TextMemo(Memo):
    """function(text), remembered by the text's hash."""

    def __init__(self, function, settings, name, salt=""):
        super().__init__(settings, name)
        self.function = function
        self.salt = salt.encode()
        self.workers = settings.get("READ_WORKERS") or os.cpu_count() or 1
        self.minimum = settings.get("PREFETCH_MIN", 200)

    def __call__(self, text):
        key = self._key(text)
        result = self.used.get(key)
        if result is None:
            result = self.known.get(key)
            if result is None:
                result = self.function(text)
            self.used[key] = result
        return result

    def prefill(self, texts):
        """Work out, on READ_WORKERS forked processes, the texts not remembered yet (when there
        are at least PREFETCH_MIN of them: fewer are not worth forking)."""
        missing = list({self._key(text): text for text in texts
                        if self._key(text) not in self.known}.items())
        if len(missing) < self.minimum or self.workers <= 1:
            return
        for results in run_shared(lambda share: {
                key: self.function(text) for key, text in missing if share.take()},
                self.workers):
            self.known.update(results)
        log.info("%s: %d text(s) worked out on %d processes", self.name, len(missing),
                 self.workers)

    def _key(self, text):
        return hashlib.sha1(self.salt + b"\0" + text.encode()).digest()
