"""Third-party internals are touched in one place only (newsdesk.pelican_seams), and
deep-translator and requests are used as they are, never changed."""

import re

from .conftest import ROOT

SEAMS = ROOT / "newsdesk" / "pelican_seams.py"
PELICAN_INTERNAL = re.compile(
    r"from pelican[\w.]* import .*\b_\w+"  # a private name of Pelican's
    r"|\.(_content|_summary|_cache)\b"  # private attributes of its content and caches
    r"|\.(get_cached_data|cache_data|save_cache)\s*=[^=]")  # its cache methods replaced
PATCHED_LIBRARY = re.compile(
    r"\b(requests|sessions|Session)\.\w+\s*=[^=]"  # requests changed for the whole process
    r"|_LANGUAGES_TO_CODES\.(setdefault|update|__setitem__)|_LANGUAGES_TO_CODES\[.*\]\s*="
    r"|\._base_url\s*=[^=]")  # deep-translator's tables or engines changed


def sources():
    yield from (ROOT / "newsdesk").rglob("*.py")
    yield from (ROOT / name for name in ("tasks.py", "pelicanconf.py", "publishconf.py"))


def test_pelican_internals_are_touched_only_in_pelican_seams():
    touches = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
               for path in sources() if path != SEAMS
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if PELICAN_INTERNAL.search(line) and not line.lstrip().startswith("#")]
    assert touches == []


def test_no_library_is_patched():
    patches = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
               for path in sources()
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if PATCHED_LIBRARY.search(line)]
    assert patches == []
