"""Keep secrets out of what the tools print: environment values and passwords in URLs."""

import os
import re

SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSPHRASE|CREDENTIAL", re.IGNORECASE)
URL_PASSWORD = re.compile(r"(?<=://)([^/\s:@]*):[^@\s/]+@")
MASK = "***"


def secret_values(environ=None):
    """Values of environment variables whose names say they hold a secret."""
    environ = os.environ if environ is None else environ
    return sorted({value for name, value in environ.items()
                   if SECRET_NAME.search(name) and len(value) >= 4}, key=len, reverse=True)


def redact(text, environ=None):
    """`text` with every secret value and URL password replaced by ***."""
    text = URL_PASSWORD.sub(rf"\1:{MASK}@", str(text))
    for value in secret_values(environ):
        text = text.replace(value, MASK)
    return text
