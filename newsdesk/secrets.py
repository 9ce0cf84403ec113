"""Keep secrets out of everything the tools print: the one home for masking.

Two rules, both applied by redact():
- values known to be secret: environment variables whose names say so, and the credentials and
  signed-query values of URLs held in the environment, in raw and percent-encoded form;
- shapes that are secret wherever they appear: the password (or lone token) in a URL's userinfo,
  even with raw `/`, `@`, `?` or `#` in it, query and fragment values named like a token,
  key, signature or password, and Authorization header values.
"""

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO, cast
from urllib.parse import quote, unquote, unquote_plus

SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSPHRASE|CREDENTIAL", re.IGNORECASE)
MASK = "***"
SHORTEST = 4  # shorter environment values would mask ordinary words

# scheme://user:password@ up to the last @ of the whitespace-free run, or scheme://token@
URL_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*)://(?P<userinfo>\S*)@")
WHOLE_URL_USERINFO = re.compile(r"\s*(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://(?P<userinfo>.*)@",
                                re.DOTALL)
# user names in these schemes are logins (the key or agent authenticates), not secrets
LOGIN_SCHEMES = {"ssh", "sftp", "rsync", "git+ssh", "ssh+git"}
# name=value where the name ends in a secret word: ?token=, &X-Amz-Signature=, access_token=, sig=
SECRET_PARAMETER = re.compile(
    r"(?P<name>(?<![\w.\-])[\w.\-]*?(?:token|key|sig|signature|secret|password|passwd|pwd|"
    r"passphrase|credential|auth)=['\"]?)(?P<value>[^&#;\s'\"<>`]+)", re.IGNORECASE)
AUTHORIZATION = re.compile(r"(?P<name>\b(?:Proxy-)?Authorization\s*:\s*(?:[\w-]+\s+)?)\S+",
                           re.IGNORECASE)


def userinfo_secret(scheme: str, userinfo: str) -> str:
    """The secret part of a URL's userinfo ("" if none): the password, or a lone token."""
    user, colon, password = userinfo.partition(":")
    if colon and "/" not in user:
        return password
    if "/" in userinfo or scheme.lower() in LOGIN_SCHEMES:
        return ""  # an @ in the path, or a login name
    return userinfo


def _mask_userinfo(match: re.Match[str]) -> str:
    scheme, userinfo = match["scheme"], match["userinfo"]
    secret = userinfo_secret(scheme, userinfo)
    if not secret:
        return match[0]
    kept = userinfo[: -len(secret)]  # "user:" before a password, "" before a lone token
    return f"{scheme}://{kept}{MASK}@"


def url_secrets(value: str) -> set[str]:
    """Credentials and secret query values in `value`; all of it may be one URL, spaces and all."""
    found = {m["value"] for m in SECRET_PARAMETER.finditer(value)}
    if whole := WHOLE_URL_USERINFO.match(value):
        found.add(userinfo_secret(whole["scheme"], whole["userinfo"]))
    found |= {userinfo_secret(m["scheme"], m["userinfo"]) for m in URL_USERINFO.finditer(value)}
    return found - {""}


def secret_values(environ: Mapping[str, str] | None = None) -> list[str]:
    """Secret values held in the environment, in every form they may be printed in."""
    environ = os.environ if environ is None else environ
    values: set[str] = set()
    for name, value in environ.items():
        if SECRET_NAME.search(name):
            values.add(value)
        if "://" in value or "=" in value:
            values |= url_secrets(value)
    forms = {form for value in values
             for form in (value, quote(value, safe=""), quote(value), unquote(value),
                          unquote_plus(value))}
    return sorted((form for form in forms if len(form) >= SHORTEST), key=len, reverse=True)


def redact(text: object, environ: Mapping[str, str] | None = None) -> str:
    """`text` with every secret value and secret-shaped part replaced by ***."""
    text = str(text)
    for value in secret_values(environ):
        text = text.replace(value, MASK)
    text = URL_USERINFO.sub(_mask_userinfo, text)
    text = SECRET_PARAMETER.sub(rf"\g<name>{MASK}", text)
    return AUTHORIZATION.sub(rf"\g<name>{MASK}", text)


def files_with_secrets(folder: Path | str, environ: Mapping[str, str] | None = None
                       ) -> list[str]:
    """Files under `folder` (relative POSIX paths) that hold a secret value of the environment."""
    needles = [value.encode() for value in secret_values(environ)]
    folder = Path(folder)
    found = []
    for path in sorted(folder.rglob("*")):
        if needles and path.is_file():
            data = path.read_bytes()
            if any(needle in data for needle in needles):
                found.append(path.relative_to(folder).as_posix())
    return found


class RedactedStream:
    """A text stream that masks secrets in each line before passing it on.

    Text is held back until a line ends (or a carriage return rewrites it), so a secret
    written in pieces is still seen whole.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.pending = ""

    def write(self, text: str) -> int:
        self.pending += text
        end = max(self.pending.rfind("\n"), self.pending.rfind("\r"))
        if end >= 0:
            self.stream.write(redact(self.pending[: end + 1]))
            self.pending = self.pending[end + 1:]
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.stream.write(redact(self.pending))
            self.pending = ""
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def redact_output() -> None:
    """Mask secrets in everything this process writes to stdout and stderr from now on."""
    if not isinstance(sys.stdout, RedactedStream):
        sys.stdout = cast(TextIO, RedactedStream(sys.stdout))
    if not isinstance(sys.stderr, RedactedStream):
        sys.stderr = cast(TextIO, RedactedStream(sys.stderr))
