"""Machine translation providers through deep-translator's engines, with the care they lack.

Every request has connect and read timeouts; 429s, 5xx answers, timeouts and connection errors are
retried with exponential backoff and jitter (newsdesk.engines); after several failed segments in a
row the provider is left alone for the rest of the run; a character budget caps what one run
sends. The API key comes from the environment and is blanked out of every message.

Settings (defaults in brackets), each overridable by the environment variable of the same name
where noted:
- MT_PROVIDER ["google"; env]: google, microsoft, mymemory, libre or none (memory only, offline).
- MT_URL [None; env]: the server's base URL; required for libre, optional for the others (a proxy
  or a stand-in of the same API).
- MT_API_KEY [env only]: the provider's key; never put it in a settings file.
- MT_TIMEOUT [(5, 30)]: connect and read timeouts in seconds.
- MT_RETRIES [2]: further attempts after a failed request.
- MT_BACKOFF [0.5]: the wait in seconds before the third attempt (the second goes at once),
  doubled at each one after, with jitter; a Retry-After answer is waited for instead.
- MT_BREAKER [3]: failed segments in a row after which the provider is left alone.
- MT_CHAR_BUDGET [200000]: characters one run may send.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from newsdesk.secrets import redact
from newsdesk.transliterate import serbian_in_latin

if TYPE_CHECKING:
    from newsdesk.engines import Attempt, ProviderSession, _Engine

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


class TranslationUnavailable(Exception):
    """No translation now: the provider failed, is switched off, or the budget is spent."""


class Translator(Protocol):
    """What the translation stage asks of a provider (or of a stand-in for one)."""

    name: str

    def translate(self, text: str, source: str, target: str) -> str: ...


def setting(settings: Mapping[str, Any], name: str, default: Any = None, env: bool = True
            ) -> Any:
    if env and os.environ.get(name):
        return os.environ[name]
    return settings.get(name, default)


def configuration_problem(settings: Mapping[str, Any]) -> str | None:
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

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.name = str(setting(settings, "MT_PROVIDER", "google")).lower()
        self.problem = configuration_problem(settings)
        self.url = setting(settings, "MT_URL")
        self.api_key = os.environ.get("MT_API_KEY") or None
        self.timeout = tuple(settings.get("MT_TIMEOUT", (5, 30)))
        self.retries = int(settings.get("MT_RETRIES", 2))
        self.backoff = float(settings.get("MT_BACKOFF", 0.5))
        self.breaker = int(settings.get("MT_BREAKER", 3))
        self.budget = int(settings.get("MT_CHAR_BUDGET", 200_000))
        self.failures_in_a_row = 0
        self.chars_sent = self.requests = self.unreached = self.failures = 0
        self.over_budget = self.over_budget_chars = 0
        self.last_error: str | None = None
        self.breaker_tripped = False
        self.disabled_reason = "MT_PROVIDER is none" if self.name == "none" else self.problem
        self._engines: dict[tuple[str, str], _Engine] = {}
        self._session: ProviderSession | None = None

    @property
    def available(self) -> bool:
        return self.disabled_reason is None

    def translate(self, text: str, source: str, target: str) -> str:
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
        return serbian_in_latin(answer, target)  # Google answers Serbian in Cyrillic

    def _translate_piece(self, text: str, source: str, target: str) -> str:
        attempts = self._http().attempts
        attempts.clear()
        try:
            answer = self._engine(source, target).translate(text)
            if not isinstance(answer, str) or not answer.strip():
                raise ValueError("empty answer")
            return answer
        except Exception as exc:  # requests and the answers fail in many ways; described here
            raise TranslationUnavailable(redact(_why(exc, attempts))) from None
        finally:
            self._count(text, attempts)

    def _count(self, text: str, attempts: Sequence[Attempt | None]) -> None:
        for attempt in attempts or [None]:  # no attempt at all: it did not reach the provider
            if attempt and attempt.reached:
                self.requests += 1
                self.chars_sent += len(text)
            else:
                self.unreached += 1

    def _http(self) -> ProviderSession:
        from newsdesk.engines import ProviderSession  # a build from the memory needs none

        if self._session is None:
            self._session = ProviderSession(self.timeout, self.retries, self.backoff)
        return self._session

    def _engine(self, source: str, target: str) -> _Engine:
        from newsdesk.engines import ENGINES

        pair = (source, target)
        if pair not in self._engines:
            url = (self._base() if self.name == "libre" else self.url) or None
            self._engines[pair] = ENGINES[self.name](
                CODES[self.name][source], CODES[self.name][target], self._http(), url=url,
                api_key=self.api_key)
        return self._engines[pair]

    def _base(self) -> str:
        return self.url if self.url.endswith("/") else self.url + "/"


def _why(exc: Exception, attempts: list[Attempt]) -> str:
    """A failed translation in a few words: the last answer's status, which host could not be
    reached and why, or what was wrong with the answer."""
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError

    last = attempts[-1] if attempts else None
    if last and last.status and last.status >= 400:
        return f"HTTP {last.status}"
    if last is None or last.error is None:
        return f"{type(exc).__name__}: {redact(exc)}"
    request = getattr(exc, "request", None)
    url = urlsplit(request.url) if request is not None and request.url else None
    where = f"{url.hostname}{f':{url.port}' if url.port else ''}" if url else "the server"
    if isinstance(last.error, ReadTimeoutError):
        return f"{where} did not answer in time"
    if isinstance(last.error, ConnectTimeoutError) and not isinstance(
            last.error, NewConnectionError):
        return f"timed out connecting to {where}"
    reason = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(last.error))
    return f"cannot reach {where}" + (f" ({reason.group(1).strip()})" if reason else "")


def _chunks(text: str, limit: int) -> list[str]:
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


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?…])\s+", text)
