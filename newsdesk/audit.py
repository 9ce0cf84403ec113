"""Lighthouse on the front page and an article of every edition, with Debian's Chromium.

    python -m newsdesk.audit [--output DIR]

Prints, for each page, the median of several runs of the four category scores (performance on
a simulated mid-range phone, accessibility, best practices, SEO). Lighthouse comes from the npm
registry, installed once into .cache/lighthouse.
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from newsdesk import TOOLS_CACHE
from newsdesk.check import CHROMIUM_ARGS, Site, homes
from newsdesk.preview import serve_folder

LIGHTHOUSE_VERSION = "12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse() -> Path:
    prefix = TOOLS_CACHE.resolve() / "lighthouse"
    binary = prefix / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if not shutil.which("npm"):
            raise SystemExit("invoke audit needs npm to install Lighthouse")
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix",
                        str(prefix), f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return binary


def audit_page(binary: Path, url: str, chromium: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([str(binary), url, "--output=json", f"--output-path={report}", "--quiet",
                        f"--chrome-path={chromium}",
                        "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS)],
                       check=True, timeout=300)
        data = json.loads(report.read_text())
    return {name: round(100 * (data["categories"][name]["score"] or 0)) for name in CATEGORIES}


def audited_pages(site: Site) -> list[str]:
    """The front page of every edition and the article its first teaser leads to."""
    pages = []
    for home in homes(site):
        pages.append(home)
        href = site.first_link(home, "teaser-title")
        lead = site.resolve(href, home) if href is not None else None
        if lead is not None and lead in site.pages:
            pages.append(lead)
    return pages


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsdesk.audit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument("--runs", type=int, default=3,
                        help="runs per page; the median is reported (default 3)")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    binary = lighthouse()
    pages = audited_pages(Site(args.output, ""))
    print(f"{'page':<62} " + " ".join(f"{c[:13]:>13}" for c in CATEGORIES))
    worst = dict.fromkeys(CATEGORIES, 100)
    with serve_folder(args.output) as base:
        for page in pages:
            runs = [audit_page(binary, f"{base}/{page.removesuffix('index.html')}", chromium)
                    for _ in range(args.runs)]
            scores = {c: statistics.median_low(r[c] for r in runs) for c in CATEGORIES}
            worst = {c: min(worst[c], scores[c]) for c in CATEGORIES}
            print(f"{page:<62} " + " ".join(f"{scores[c]:>13}" for c in CATEGORIES), flush=True)
    print(f"{'lowest':<62} " + " ".join(f"{worst[c]:>13}" for c in CATEGORIES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
