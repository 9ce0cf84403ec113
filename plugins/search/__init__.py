"""Search in every edition, fully static: a Pagefind bundle per edition (`<prefix>pagefind/`),
built at the end from that edition's article pages only, one edition at a time (so the memory
Pagefind needs follows the size of one edition, not of the site).

Only article bodies and titles are indexed (data-pagefind-body on the article, navigation and
bylines ignored), and pages waiting for their translation not at all. Serbian has no stemmer in
Pagefind; the search page strips common Serbian endings from the query instead (budžetu, budžeta
→ budžet), and Pagefind's prefix matching finds every form. Settings (defaults in brackets):
- SEARCH_INDEX [True]: run Pagefind after the build.
"""

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

from editions.model import load_editions
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


def article_glob(save_as):
    """The Pagefind glob of an edition's article pages: `en/{date:%Y}/{slug}/index.html`
    becomes `en/[0-9][0-9][0-9][0-9]/*/index.html`."""
    save_as = save_as.replace("{date:%Y}", "[0-9][0-9][0-9][0-9]")
    return re.sub(r"\{[^}]*\}", "*", save_as)


def build_index(pelican):
    if not pelican.settings.get("SEARCH_INDEX", True):
        return
    output = Path(pelican.settings["OUTPUT_PATH"])
    for edition in load_editions(pelican.settings):
        bundle = f"{edition.prefix}pagefind"
        result = subprocess.run(
            [sys.executable, "-m", "pagefind_bin", "--site", str(output), "--quiet",
             "--glob", article_glob(edition.settings["ARTICLE_SAVE_AS"]),
             "--output-subdir", bundle],
            capture_output=True, text=True)
        if result.returncode:
            log.error("search index of %s: pagefind failed: %s", edition.code,
                      (result.stderr or result.stdout).strip())
            continue
        # Pagefind writes JSON keys in hash-map order; sorted, two builds are byte-identical.
        entry = output / bundle / "pagefind-entry.json"
        data = json.loads(entry.read_text(encoding="utf-8"))
        entry.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False,
                                    separators=(",", ":")), encoding="utf-8")


def register():
    signals.generator_init.connect(add_template_helpers)
    signals.finalized.connect(build_index)
