"""Checks a built site the way search engines, validators and browsers see it.

    python -m newsdesk.check [--output DIR] [--settings FILE] [--skip vnu,axe]

Every failure is one line: the page, the rule, and what is wrong. Checks:
html-lang, broken-link, image-alt, hreflang (reciprocal, with x-default), json-ld (NewsArticle
fields), feed (valid Atom/RSS with a language), vnu (the Nu Html Checker, offline, needs a JRE),
axe (axe-core's WCAG 2.2 AA rules with target-size, in headless Chromium, on the front page, an
article, a listing and the 404 page of every edition). Chromium sees the site at its own address
(SITEURL), answered from the folder, offline.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
from bs4 import BeautifulSoup

from newsdesk.paths import PathRefused, within

ROOT = Path(__file__).resolve().parent.parent
VNU_VERSION = "26.9.27"  # the Nu Html Checker, from the npm registry
PREVIEW_ORIGIN = "http://127.0.0.1:8000"  # the address of a build with relative links
OFFSET_RE = re.compile(r"(Z|[+-]\d\d:\d\d)$")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@dataclass(frozen=True)
class Problem:
    page: str
    rule: str
    message: str

    def __str__(self):
        return f"{self.page}: {self.rule}: {self.message}"


class Site:
    """The output folder, read once."""

    def __init__(self, output, origin):
        self.output = Path(output)
        self.origin = (origin or PREVIEW_ORIGIN).rstrip("/")
        self.pages = {}
        for path in sorted(self.output.rglob("*.html")):
            with open(path, encoding="utf-8") as fp:
                self.pages[self.name(path)] = BeautifulSoup(fp.read(), "html.parser")

    def name(self, path):
        return path.relative_to(self.output).as_posix()

    def resolve(self, url, page):
        """The file an internal URL points to (None for external URLs)."""
        if url.startswith(self.origin + "/") or url == self.origin:
            url = url[len(self.origin):] or "/"
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("mailto:", "tel:", "data:", "#")):
            return None
        path = unquote(parts.path)
        if not path:
            return None
        base = "/" + page.rsplit("/", 1)[0] + "/" if "/" in page else "/"
        target = path if path.startswith("/") else base + path
        target = target.lstrip("/")
        if target == "" or target.endswith("/"):
            target += "index.html"
        elif (self.output / target).is_dir():
            target += "/index.html"
        return target

    def file(self, target):
        """The file a resolved target names, if it is one inside the folder (else None)."""
        try:
            path = within(self.output, target)
        except (PathRefused, OSError, ValueError):
            return None
        return path if path.is_file() else None

    def url_of(self, name):
        """The public address of a page of the folder."""
        return f"{self.origin}/{name.removesuffix('index.html')}"

    def exists(self, target):
        return (self.output / target).is_file()


def check_pages(site):
    problems = []
    for name, html in site.pages.items():
        root = html.find("html")
        if root is None or not root.get("lang"):
            problems.append(Problem(name, "html-lang", "the page has no lang attribute"))
        problems += _links(site, name, html)
        for img in html.find_all("img"):
            if img.get("alt") is None:
                problems.append(Problem(name, "image-alt", f"<img src={img.get('src')}> "
                                        "has no alt attribute"))
        problems += _hreflang(site, name, html)
        if html.find("meta", property="og:type", content="article"):
            problems += _json_ld(name, html)
    return problems


def _links(site, name, html):
    problems = []
    urls = [(tag.get("href"), "broken-link") for tag in html.find_all(["a", "link"], href=True)]
    urls += [(tag.get("src"), "broken-image") for tag in html.find_all(["img", "script"],
                                                                        src=True)]
    for tag in html.find_all(["img", "source"], srcset=True):
        urls += [(c.strip().split(" ")[0], "broken-image") for c in tag["srcset"].split(",")]
    seen = set()
    for url, rule in urls:
        if not url or url in seen:
            continue
        seen.add(url)
        target = site.resolve(url, name)
        if target is not None and not site.exists(target):
            problems.append(Problem(name, rule, f"{url} leads nowhere"))
    return problems


def _hreflang_map(html):
    return {link["hreflang"]: link["href"] for link in
            html.find_all("link", rel="alternate", hreflang=True)}


def _hreflang(site, name, html):
    links = _hreflang_map(html)
    if not links:
        return []
    problems = []
    lang = (html.find("html") or {}).get("lang")
    canonical = html.find("link", rel="canonical")
    own = links.get(lang)
    if own is None:
        problems.append(Problem(name, "hreflang", f"does not list itself ({lang})"))
    elif canonical is not None and canonical.get("href") != own:
        problems.append(Problem(name, "hreflang", f"lists itself as {own}, canonical is "
                                f"{canonical.get('href')}"))
    if "x-default" not in links:
        problems.append(Problem(name, "hreflang", "no x-default alternate"))
    for code, url in links.items():
        target = site.resolve(url, name)
        if target is None or target not in site.pages:
            problems.append(Problem(name, "hreflang", f"{code} alternate {url} is not a page "
                                    "of this site"))
            continue
        if code == "x-default":
            continue
        other = site.pages[target]
        other_lang = (other.find("html") or {}).get("lang")
        if other_lang != code:
            problems.append(Problem(name, "hreflang", f"{code} alternate {url} is a page in "
                                    f"'{other_lang}'"))
        if _hreflang_map(other) != links:
            problems.append(Problem(name, "hreflang", f"{url} does not list the same "
                                    "alternates back (not reciprocal)"))
    return problems


def _json_ld(name, html):
    script = html.find("script", type="application/ld+json")
    if script is None:
        return [Problem(name, "json-ld", "an article page without NewsArticle data")]
    try:
        data = json.loads(script.string or "")
    except ValueError as exc:
        return [Problem(name, "json-ld", f"not JSON: {exc}")]
    missing = [f for f in ("headline", "datePublished", "dateModified", "author", "publisher",
                           "inLanguage") if not data.get(f)]
    problems = [Problem(name, "json-ld", f"missing {f}") for f in missing]
    if data.get("@type") != "NewsArticle":
        problems.append(Problem(name, "json-ld", f"@type is {data.get('@type')}"))
    for field in ("datePublished", "dateModified"):
        if data.get(field) and not OFFSET_RE.search(data[field]):
            problems.append(Problem(name, "json-ld", f"{field} has no UTC offset"))
    for author in data.get("author", []):
        if not author.get("name") or (author.get("@type") == "Person" and not author.get("url")):
            problems.append(Problem(name, "json-ld", "an author without name or url"))
    for image in data.get("image", []):
        if not image.get("creditText"):
            problems.append(Problem(name, "json-ld", "image without creditText"))
    lang = (html.find("html") or {}).get("lang")
    if data.get("inLanguage") and data["inLanguage"] != lang:
        problems.append(Problem(name, "json-ld", f"inLanguage {data['inLanguage']} on a "
                                f"'{lang}' page"))
    return problems


def check_feeds(site):
    problems = []
    for path in sorted(site.output.glob("**/feeds/*.xml")):
        name = site.name(path)
        feed = feedparser.parse(path.read_bytes())
        if feed.bozo:
            problems.append(Problem(name, "feed", f"not well-formed: {feed.bozo_exception}"))
            continue
        if feed.version not in ("atom10", "rss20"):
            problems.append(Problem(name, "feed", f"unexpected format {feed.version}"))
        if not feed.feed.get("language"):
            problems.append(Problem(name, "feed", "no language"))
        for entry in feed.entries:
            if not (entry.get("title") and entry.get("link") and (
                    entry.get("published") or entry.get("updated"))):
                problems.append(Problem(name, "feed", f"incomplete entry {entry.get('link')}"))
            elif site.resolve(entry.link, name) and not site.exists(site.resolve(entry.link,
                                                                                  name)):
                problems.append(Problem(name, "feed", f"entry {entry.link} leads nowhere"))
    return problems


def vnu_jar():
    """The Nu Html Checker's jar: $VNU_JAR, or the npm package, installed once into .cache/."""
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    prefix = ROOT / ".cache" / "vnu"
    jar = prefix / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.exists() and shutil.which("npm"):
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix",
                        str(prefix), f"vnu-jar@{VNU_VERSION}"], check=False, timeout=600)
    return jar if jar.exists() else None


def check_vnu(site):
    """The Nu Html Checker, offline, on every page."""
    java = shutil.which("java")
    if java is None:
        return [Problem("-", "vnu", "needs a Java runtime (apt-get install default-jre-headless)"
                        "; or skip it with --skip vnu")]
    jar = vnu_jar()
    if jar is None:
        return [Problem("-", "vnu", f"needs vnu.jar: set VNU_JAR, or install npm to fetch "
                        f"vnu-jar@{VNU_VERSION}; or skip it with --skip vnu")]
    files = [str(site.output / name) for name in site.pages]
    result = subprocess.run([java, "-Xss8m", "-jar", str(jar), "--errors-only", "--format",
                             "json", *files], capture_output=True, text=True, timeout=900)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    problems = []
    for message in messages:
        page = message.get("url", "").removeprefix("file:")
        with contextlib.suppress(ValueError):
            page = site.name(Path(page))
        problems.append(Problem(page, "vnu", f"line {message.get('lastLine', '?')}: "
                                f"{message.get('message')}"))
    return problems


def axe_pages(site):
    """Front page, an article, a listing and the 404 page of every edition."""
    pages = []
    homes = [n for n in site.pages if n == "index.html" or (
        n.endswith("/index.html") and n.count("/") == 1 and
        (site.output / n.split("/")[0] / "404.html").exists())]
    for home in homes:
        prefix = home.removesuffix("index.html")
        html = site.pages[home]
        article = html.select_one(".teaser-title a")
        listing = html.select_one(".sections a")
        for link in (article, listing):
            if link is not None:
                pages.append(site.resolve(link["href"], home))
        pages += [home, prefix + "404.html"]
    return [p for p in dict.fromkeys(pages) if p in site.pages]


def _answer_from_folder(site):
    """A Playwright route handler: the site's own addresses from the folder (404 for a missing
    file), every other request aborted, so nothing comes from the network."""
    from newsdesk.publish.headers import content_type

    def answer(route):
        target = site.resolve(route.request.url, "")
        if target is None:
            route.abort("blockedbyclient")
            return
        path = site.file(target)
        if path is None:
            route.fulfill(status=404, content_type="text/plain; charset=utf-8", body="")
        else:
            route.fulfill(status=200, path=path, content_type=content_type(path.name))
    return answer


def check_axe(site):
    """axe-core in headless Chromium, the site at its own address; returns problems."""
    try:
        from axe_playwright_python.sync_playwright import Axe
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        return [Problem("-", "axe", f"{exc}; install the test extras or skip it with --skip axe")]

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return [Problem("-", "axe", "needs Chromium (apt-get install chromium); or --skip axe")]
    problems = []
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS},
               "rules": {"target-size": {"enabled": True}}}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844},
                                      service_workers="block")
        context.route("**/*", _answer_from_folder(site))
        page = context.new_page()
        for name in axe_pages(site):
            page.goto(site.url_of(name), wait_until="load")
            result = Axe().run(page, options=options)
            for violation in result.response.get("violations", []):
                nodes = "; ".join(n.get("target", [""])[0] for n in violation["nodes"][:3])
                problems.append(Problem(name, f"axe/{violation['id']}",
                                        f"{violation['help']} ({nodes})"))
        browser.close()
    return problems


def run_checks(output, origin, skip=()):
    site = Site(output, origin)
    problems = check_pages(site) + check_feeds(site)
    if "vnu" not in skip:
        problems += check_vnu(site)
    if "axe" not in skip:
        problems += check_axe(site)
    return site, problems


def main(argv=None):
    from pelican.settings import read_settings

    parser = argparse.ArgumentParser(prog="python -m newsdesk.check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, help="the built site (default: OUTPUT_PATH)")
    parser.add_argument("--settings", type=Path, default=ROOT / "pelicanconf.py")
    parser.add_argument("--skip", default="", help="checks to leave out: vnu, axe")
    args = parser.parse_args(argv)
    settings = read_settings(str(args.settings))
    output = args.output or Path(settings["OUTPUT_PATH"])
    if not output.is_dir():
        print(f"error: {output}: no built site; run `invoke build` first", file=sys.stderr)
        return 2
    origin = settings["SITEURL"] or settings["FEED_DOMAIN"]
    site, problems = run_checks(output, origin, skip=set(filter(None, args.skip.split(","))))
    for problem in problems:
        print(problem)
    print(f"checked {len(site.pages)} pages ({'no' if 'axe' in args.skip else len(axe_pages(site))}"
          f" in Chromium with axe): {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
