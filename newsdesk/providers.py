"""Machine translation providers through deep-translator, with the care it does not take.

deep-translator sets no timeouts and gives up at the first error. Here every request has connect
and read timeouts; 429s, 5xx answers, timeouts and connection errors are retried with exponential
backoff and jitter; after several failed segments in a row the provider is left alone for the
rest of the run; a character budget caps what one run sends. The API key comes from the
environment and is blanked out of every message.

Settings (defaults in brackets), each overridable by the environment variable of the same name
where noted:
- MT_PROVIDER ["google"; env]: google, microsoft, mymemory, libre or none (memory only, offline).
- MT_URL [None; env]: the server's base URL; required for libre, optional for the others (a proxy
  or a stand-in of the same API).
- MT_API_KEY [env only]: the provider's key; never put it in a settings file.
- MT_TIMEOUT [(5, 30)]: connect and read timeouts in seconds.
- MT_RETRIES [2]: further attempts after a failed request.
- MT_BACKOFF [0.5]: the first wait in seconds; doubled at each retry, with jitter.
- MT_BREAKER [3]: failed segments in a row after which the provider is left alone.
- MT_CHAR_BUDGET [200000]: characters one run may send.
"""

import logging
import os
import random
import re
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

from newsdesk.secrets import redact
from newsdesk.transliterate import has_cyrillic, to_latin

log = logging.getLogger(__name__)

PROVIDERS = ("google", "microsoft", "mymemory", "libre", "none")
# Language codes each provider understands, by edition tag.
CODES = {
    "google": {"sr-Latn": "sr", "en": "en"},
    "microsoft": {"sr-Latn": "sr-latn", "en": "en"},
    "mymemory": {"sr-Latn": "sr-Latn-RS", "en": "en-GB"},
    "libre": {"sr-Latn": "sr", "en": "en"},
}
# Longest text one request may carry.
MAX_CHARS = {"google": 4500, "microsoft": 9000, "mymemory": 480, "libre": 4500}
RETRY_STATUSES = {429, 500, 502, 503, 504}


class TranslationUnavailable(Exception):
    """No translation now: the provider failed, is switched off, or the budget is spent."""


class _Transport(threading.local):
    """What the last HTTP request of this thread answered."""

    status = None


_transport = _Transport()


@contextmanager
def http_policy(timeout):
    """Give every requests call made inside a default timeout, and remember its status."""
    import requests  # only when a provider is asked: a build from the memory needs none

    original = requests.sessions.Session.request

    def request(session, method, url, **kwargs):
        kwargs.setdefault("timeout", timeout)
        _transport.status = None
        response = original(session, method, url, **kwargs)
        _transport.status = response.status_code
        return response

    requests.sessions.Session.request = request
    try:
        yield
    finally:
        requests.sessions.Session.request = original


def setting(settings, name, default=None, env=True):
    if env and os.environ.get(name):
        return os.environ[name]
    return settings.get(name, default)


def configuration_problem(settings):
    """Why MT_PROVIDER and MT_URL cannot work as set (one line), or None."""
    name = str(setting(settings, "MT_PROVIDER", "google")).lower()
    origin = "the environment" if os.environ.get("MT_PROVIDER") else "the settings"
    if name not in PROVIDERS:
        return (f"MT_PROVIDER '{name}' (in {origin}) is not one of {', '.join(PROVIDERS)}; "
                "nothing can be machine-translated until it is")
    if name == "libre" and not setting(settings, "MT_URL"):
        return ("MT_PROVIDER is libre but MT_URL is not set: set MT_URL to the "
                "LibreTranslate server's address, or MT_PROVIDER=none to build from the memory")
    return None


class Provider:
    """Translates plain text with one deep-translator engine, resiliently.

    Counts what it did: `requests` and `chars_sent` are what reached the provider (an HTTP
    answer came back, or it timed out reading one), `unreached` the requests that did not;
    `failures` the texts it could not translate, `last_error` why; `over_budget` and
    `over_budget_chars` the texts the character budget kept back.
    """

    def __init__(self, settings, sleep=time.sleep):
        self.name = str(setting(settings, "MT_PROVIDER", "google")).lower()
        self.problem = configuration_problem(settings)
        self.url = setting(settings, "MT_URL")
        self.api_key = os.environ.get("MT_API_KEY") or None
        self.timeout = tuple(settings.get("MT_TIMEOUT", (5, 30)))
        self.retries = int(settings.get("MT_RETRIES", 2))
        self.backoff = float(settings.get("MT_BACKOFF", 0.5))
        self.breaker = int(settings.get("MT_BREAKER", 3))
        self.budget = int(settings.get("MT_CHAR_BUDGET", 200_000))
        self.sleep = sleep
        self.failures_in_a_row = 0
        self.chars_sent = self.requests = self.unreached = self.failures = 0
        self.over_budget = self.over_budget_chars = 0
        self.last_error = None
        self.breaker_tripped = False
        self.disabled_reason = "MT_PROVIDER is none" if self.name == "none" else self.problem
        self._engines = {}

    @property
    def available(self):
        return self.disabled_reason is None

    def translate(self, text, source, target):
        """The translation of `text`, or TranslationUnavailable."""
        if not self.available:
            raise TranslationUnavailable(self.disabled_reason)
        if self.chars_sent + len(text) > self.budget:
            self.over_budget += 1
            self.over_budget_chars += len(text)
            raise TranslationUnavailable(f"the character budget of {self.budget} is spent")
        pieces = _chunks(text, MAX_CHARS[self.name])
        try:
            answer = " ".join(self._translate_piece(p, source, target) for p in pieces)
        except TranslationUnavailable as exc:
            self.failures += 1
            self.failures_in_a_row += 1
            self.last_error = str(exc)
            if self.failures_in_a_row >= self.breaker:
                self.breaker_tripped = True
                self.disabled_reason = (f"{self.failures_in_a_row} segments failed in a row; "
                                        "not asked again in this run")
                log.info("translation provider %s: %s", self.name, self.disabled_reason)
            raise
        self.failures_in_a_row = 0
        if target.startswith("sr") and has_cyrillic(answer):
            answer = to_latin(answer)  # Google answers Serbian in Cyrillic
        return answer

    def _translate_piece(self, text, source, target):
        import requests

        last_error = None
        for attempt in range(self.retries + 1):
            if attempt:
                delay = self.backoff * 2 ** (attempt - 1) * (0.5 + random.random())
                self.sleep(min(delay, 30.0))
            _transport.status = None
            try:
                with http_policy(self.timeout):
                    answer = self._engine(source, target).translate(text)
                if not isinstance(answer, str) or not answer.strip():
                    raise ValueError("empty answer")
                self._count(text, reached=True)
                return answer
            except Exception as exc:  # deep-translator raises many kinds; classify them here
                status = _transport.status
                self._count(text, reached=status is not None or isinstance(
                    exc, requests.ReadTimeout))
                retry = isinstance(exc, requests.Timeout | requests.ConnectionError) or (
                    status in RETRY_STATUSES)
                last_error = f"HTTP {status}" if status and status >= 400 else _why(exc)
                if not retry:
                    break
        raise TranslationUnavailable(redact(last_error))

    def _count(self, text, reached):
        if reached:
            self.requests += 1
            self.chars_sent += len(text)
        else:
            self.unreached += 1

    def _engine(self, source, target):
        pair = (source, target)
        if pair not in self._engines:
            self._engines[pair] = self._make_engine(CODES[self.name][source],
                                                    CODES[self.name][target])
        return self._engines[pair]

    def _make_engine(self, source, target):
        import deep_translator as dt
        from deep_translator.constants import LIBRE_LANGUAGES_TO_CODES

        if self.name == "google":
            engine = dt.GoogleTranslator(source=source, target=target)
        elif self.name == "mymemory":
            engine = dt.MyMemoryTranslator(source=source, target=target)
        elif self.name == "microsoft":
            with http_policy(self.timeout):
                engine = dt.MicrosoftTranslator(api_key=self.api_key or "-", source=source,
                                                target=target)
        else:
            # deep-translator's fixed LibreTranslate list lacks Serbian; servers decide.
            LIBRE_LANGUAGES_TO_CODES.setdefault("serbian", "sr")
            engine = dt.LibreTranslator(source=source, target=target,
                                        api_key=self.api_key or "-", custom_url=self._base())
        if self.url and self.name != "libre":
            engine._base_url = self.url  # the same API at another address
        return engine

    def _base(self):
        return self.url if self.url.endswith("/") else self.url + "/"


def _why(exc):
    """A failed request in a few words: which host could not be reached and why."""
    import requests

    request = getattr(exc, "request", None)
    url = urlsplit(request.url) if request is not None and request.url else None
    where = f"{url.hostname}{f':{url.port}' if url.port else ''}" if url else "the server"
    if isinstance(exc, requests.ConnectTimeout):
        return f"timed out connecting to {where}"
    if isinstance(exc, requests.Timeout):
        return f"{where} did not answer in time"
    if isinstance(exc, requests.ConnectionError):
        reason = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(exc))
        return f"cannot reach {where}" + (f" ({reason.group(1).strip()})" if reason else "")
    return f"{type(exc).__name__}: {redact(exc)}"


def _chunks(text, limit):
    """Split a long text at sentence ends into pieces no longer than limit."""
    if len(text) <= limit:
        return [text]
    pieces, current = [], ""
    for sentence in _sentences(text):
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    pieces.append(current)
    return pieces


def _sentences(text):
    return re.split(r"(?<=[.!?…])\s+", text)
