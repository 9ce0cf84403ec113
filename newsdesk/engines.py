"""The translation engines: deep-translator's, sending their requests through one session.

deep-translator 1.11.4 makes its requests with `requests.get`/`requests.post` and can be handed
neither a session nor a timeout. Each engine here is a deep-translator `BaseTranslator` (its base
for an engine) whose `translate`, the method that makes the request, goes through a
`ProviderSession`: connect and read timeouts, urllib3 retries with backoff, every attempt noted.
"""

import logging
from dataclasses import dataclass
from typing import Any

import requests
from bs4 import BeautifulSoup
from deep_translator.base import BaseTranslator
from deep_translator.constants import (
    BASE_URLS,
    GOOGLE_LANGUAGES_TO_CODES,
    LIBRE_LANGUAGES_TO_CODES,
    MY_MEMORY_LANGUAGES_TO_CODES,
)
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
LONGEST_WAIT = 30  # seconds: no backoff or Retry-After holds a build up longer


@dataclass
class Attempt:
    """One HTTP attempt: whether it reached the server, its status, or the error instead."""

    reached: bool
    status: int | None = None
    error: Exception | None = None


class _NotingRetry(Retry):
    """urllib3's Retry that notes each failed attempt it is told about in `attempts`."""

    def __init__(self, *args: Any, attempts: list[Attempt] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attempts = [] if attempts is None else attempts

    def new(self, **kwargs: Any) -> "_NotingRetry":
        return super().new(attempts=self.attempts, **kwargs)

    def increment(self, method: str | None = None, url: str | None = None,  # type: ignore[override]
                  response: BaseHTTPResponse | None = None, error: Exception | None = None,
                  **kwargs: Any) -> "_NotingRetry":
        reached = response is not None or isinstance(error, ReadTimeoutError)
        status = response.status if response is not None else None
        self.attempts.append(Attempt(reached, status, error))
        return super().increment(method, url, response, error, **kwargs)


class _QuietRetries(logging.Filter):
    """Leaves out urllib3's warning at each of our retries: the provider's summary counts them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.args, tuple) and record.args
                    and isinstance(record.args[0], _NotingRetry))


_QUIET_RETRIES = _QuietRetries()


class ProviderSession(requests.Session):
    """A session whose requests time out, are retried, and are noted in `attempts`.

    429s, 5xx answers, timeouts and connection errors are tried again `retries` times: the second
    attempt at once, then after `backoff` seconds doubled each time, with jitter, or after the
    server's Retry-After. Answers urllib3 returns are noted by a response hook, failed attempts by
    the Retry, so each attempt is noted once.
    """

    def __init__(self, timeout: float | tuple[float, float], retries: int, backoff: float
                 ) -> None:
        super().__init__()
        self.timeout = timeout
        self.attempts: list[Attempt] = []
        retry = _NotingRetry(
            total=retries, status_forcelist=RETRY_STATUSES, allowed_methods=None,
            backoff_factor=backoff / 2, backoff_jitter=backoff / 2, backoff_max=LONGEST_WAIT,
            retry_after_max=LONGEST_WAIT, attempts=self.attempts)
        adapter = HTTPAdapter(max_retries=retry)
        self.mount("http://", adapter)
        self.mount("https://", adapter)
        self.hooks["response"].append(self._note_answer)
        logging.getLogger("urllib3.connectionpool").addFilter(_QUIET_RETRIES)

    def request(self, method: str, url: str,  # type: ignore[override]
                **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, **kwargs)

    def _note_answer(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.attempts.append(Attempt(True, response.status_code))


class _Engine(BaseTranslator):
    """A deep-translator engine that asks `url` (its provider's own by default) through
    `session`."""

    DEFAULT_URL = ""
    LANGUAGES: dict[str, str] = {}

    def __init__(self, source: str, target: str, session: requests.Session, url: str | None = None,
                 api_key: str | None = None) -> None:
        self.session = session
        self.url = url or self.DEFAULT_URL
        self.api_key = api_key
        super().__init__(languages=self.LANGUAGES, source=source, target=target)

    def _answer(self, response: requests.Response) -> requests.Response:
        response.raise_for_status()
        return response


class Google(_Engine):
    """Google Translate's web page, as deep-translator reads it."""

    DEFAULT_URL = BASE_URLS["GOOGLE_TRANSLATE"]
    LANGUAGES = GOOGLE_LANGUAGES_TO_CODES

    def translate(self, text: str, **kwargs: Any) -> str:
        response = self._answer(self.session.get(
            self.url, params={"sl": self.source, "tl": self.target, "q": text}))
        page = BeautifulSoup(response.text, "html.parser")
        element = page.find("div", {"class": "t0"}) or page.find(
            "div", {"class": "result-container"})
        if element is None:
            raise ValueError("the answer holds no translation")
        return element.get_text(strip=True)


class MyMemory(_Engine):
    DEFAULT_URL = BASE_URLS["MYMEMORY"]
    LANGUAGES = MY_MEMORY_LANGUAGES_TO_CODES

    def translate(self, text: str, **kwargs: Any) -> str:
        response = self._answer(self.session.get(
            self.url, params={"langpair": f"{self.source}|{self.target}", "q": text}))
        data = response.json()
        translation = data["responseData"]["translatedText"]
        if not translation and data.get("matches"):
            translation = data["matches"][0]["translation"]
        return translation


class Libre(_Engine):
    """Any LibreTranslate server; `url` is its base address, ending in a slash."""

    # deep-translator's fixed LibreTranslate list lacks Serbian; servers decide.
    LANGUAGES = {**LIBRE_LANGUAGES_TO_CODES, "serbian": "sr"}

    def translate(self, text: str, **kwargs: Any) -> str:
        form = {"q": text, "source": self.source, "target": self.target, "format": "text"}
        if self.api_key:
            form["api_key"] = self.api_key
        return self._answer(self.session.post(self.url + "translate", data=form)).json()[
            "translatedText"]


class Microsoft(_Engine):
    """Microsoft Translator's REST API (version 3)."""

    DEFAULT_URL = BASE_URLS["MICROSOFT_TRANSLATE"]
    LANGUAGES = {"english": "en", "serbian latin": "sr-latn"}

    def translate(self, text: str, **kwargs: Any) -> str:
        response = self._answer(self.session.post(
            self.url, params={"from": self.source, "to": self.target},
            headers={"Ocp-Apim-Subscription-Key": self.api_key or ""}, json=[{"text": text}]))
        return "\n".join(t["text"] for t in response.json()[0]["translations"])


ENGINES = {"google": Google, "mymemory": MyMemory, "libre": Libre, "microsoft": Microsoft}
