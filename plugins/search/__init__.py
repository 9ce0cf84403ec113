"""Search in every edition, fully static: a Pagefind index per <html lang>, built at the end.

Only article bodies and titles are indexed (data-pagefind-body on the article, navigation and
bylines ignored), and pages waiting for their translation not at all. Serbian has no stemmer in
Pagefind; the search page strips common Serbian endings from the query instead (budžetu, budžeta
→ budžet), and Pagefind's prefix matching finds every form. Settings (defaults in brackets):
- SEARCH_INDEX [True]: run Pagefind after the build.
"""

import json
import logging
import subprocess
import sys
from pathlib import Path

from pelican import signals

from newsdesk.transliterate import to_cyrillic

log = logging.getLogger(__name__)

# Endings of Serbian nouns and adjectives, longest first; a query word keeps at least 3 letters.
SERBIAN_ENDINGS = ("ovima", "evima", "ijama", "ama", "ima", "oma", "ema", "ove", "eve", "ova",
                   "eva", "om", "em", "og", "eg", "oj", "ih", "im", "u", "a", "e", "i", "o")


def search_endings(edition):
    """The endings the search page strips from a query in this edition."""
    if edition.language != "sr":
        return []
    if edition.code.endswith("Cyrl"):
        return [to_cyrillic(e) for e in SERBIAN_ENDINGS]
    return list(SERBIAN_ENDINGS)


def add_template_helpers(generator):
    generator.env.globals["search_endings"] = search_endings


def build_index(pelican):
    if not pelican.settings.get("SEARCH_INDEX", True):
        return
    result = subprocess.run([sys.executable, "-m", "pagefind_bin", "--site",
                             pelican.settings["OUTPUT_PATH"], "--quiet"],
                            capture_output=True, text=True)
    if result.returncode:
        log.error("search index: pagefind failed: %s", (result.stderr or result.stdout).strip())
        return
    # Pagefind writes its languages in hash-map order; sorted, two builds are byte-identical.
    entry = Path(pelican.settings["OUTPUT_PATH"]) / "pagefind" / "pagefind-entry.json"
    data = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False,
                                separators=(",", ":")), encoding="utf-8")


def register():
    signals.generator_init.connect(add_template_helpers)
    signals.finalized.connect(build_index)
