"""How problems name the files they are about."""

import os
from typing import Any


def where(article_or_path: Any) -> str:
    """A file (a path, or anything with a `source_path`: an article) as the author knows it:
    relative to the working folder when inside it."""
    path = os.path.abspath(getattr(article_or_path, "source_path", article_or_path) or "?")
    here = os.getcwd()
    return os.path.relpath(path, here) if path.startswith(here + os.sep) else path
