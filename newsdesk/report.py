"""How problems name the files they are about."""

import os


def where(article_or_path):
    """A file as the author knows it: relative to the working folder when inside it."""
    path = os.path.abspath(getattr(article_or_path, "source_path", article_or_path) or "?")
    here = os.getcwd()
    return os.path.relpath(path, here) if path.startswith(here + os.sep) else path
