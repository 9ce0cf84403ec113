"""Build tools for a bilingual news site on Pelican."""

from pathlib import Path

# Every command works on the site in the folder it runs in: its settings and its tools.
SITE_SETTINGS = Path("pelicanconf.py")
TOOLS_CACHE = Path(".cache")  # tools fetched once with npm (vnu, Lighthouse)
