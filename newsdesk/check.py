"""Checks a built site the way search engines, validators and browsers see it.

    python -m newsdesk.check [--output DIR] [--settings FILE] [--skip vnu,axe] [--all]

Every failure is one line: the page, the rule, and what is wrong. Checks:
html-lang, broken-link, image-alt, hreflang (reciprocal, with x-default), json-ld (NewsArticle
fields), feed (valid Atom/RSS with a language), vnu (the Nu Html Checker, offline, needs a JRE),
axe (axe-core's WCAG 2.2 AA rules with target-size, in headless Chromium, on the front page, an
article, a listing and the 404 page of every edition). Chromium sees the site at its own address
(SITEURL), answered from the folder, offline.

After a check of the same output folder passed, the next one checks the pages and feeds that
changed or are new, and those that link to a changed or removed file, or are hreflang
alternates of a changed page (vnu and axe: the changed pages only; see axe_pages); the whole
site when the code, theme or settings changed, or with --all (newsdesk.checkstate).
"""

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import feedparser
import lxml.etree
import lxml.html

from newsdesk import SITE_SETTINGS, TOOLS_CACHE, fingerprint, processes
from newsdesk.checkstate import CheckState, LinkGraph, why_full
from newsdesk.parallel import Share, run_shared
from newsdesk.paths import PathRefused, within
from newsdesk.publish.manifest import Manifest

VNU_VERSION = "26.9.27"  # the Nu Html Checker, from the npm registry
PREVIEW_ORIGIN = "http://127.0.0.1:8000"  # the address of a build with relative links
OFFSET_RE = re.compile(r"(Z|[+-]\d\d:\d\d)$")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FEED_RE = re.compile(r"(^|/)feeds/[^/]+\.xml$")
HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8")
PARALLEL_MIN = 200  # pages and feeds; fewer are read in this process
VNU_BATCH_BYTES = 100_000  # of file names on one vnu command line
VNU_QUICK_START = 200  # pages
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@dataclass(frozen=True)
class Problem:
    page: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.page}: {self.rule}: {self.message}"


@dataclass(frozen=True)
class Facts:
    """What the rules across pages read from one page."""

    lang: str | None
    alternates: dict[str, str]  # hreflang: href
    canonical: str | None
    article: bool
    text: str | None  # digest of an article's text as the author wrote it (.story-body)


# What reading a page or feed found: (problems, internal link targets, Facts of a page).
Reading = tuple[list[Problem], set[str], Facts | None]


class Site:
    """The output folder: its files (from the manifest) and its pages, read when asked for.

    `changed` is None for a full check, else the pages and feeds that changed or are new.
    """

    def __init__(self, output: Path | str, origin: str, manifest: Manifest | None = None) -> None:
        self.output = Path(output)
        self.origin = _host_lowercase(origin or PREVIEW_ORIGIN).rstrip("/")
        self.manifest = Manifest.of_folder(self.output) if manifest is None else manifest
        self.dirs: set[str] = set()
        for path in self.manifest:
            parent = path.rpartition("/")[0]
            while parent and parent not in self.dirs:
                self.dirs.add(parent)
                parent = parent.rpartition("/")[0]
        self.pages = {path for path in self.manifest if path.endswith(".html")}
        self.feeds = {path for path in self.manifest if FEED_RE.search(path)}
        self.facts: dict[str, Facts] = {}
        self.changed: set[str] | None = None
        # article pages whose text changed since the last passing check
        self.new_text: set[str] = set()

    def name(self, path: Path) -> str:
        return path.relative_to(self.output).as_posix()

    def resolve(self, url: str, page: str) -> str | None:
        """The file an internal URL points to (None for external URLs)."""
        url = _host_lowercase(url)
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
        elif target in self.dirs:
            target += "/index.html"
        return target

    def file(self, target: str) -> Path | None:
        """The file a resolved target names, if it is one inside the folder (else None)."""
        try:
            path = within(self.output, target)
        except (PathRefused, OSError, ValueError):
            return None
        return path if path.is_file() else None

    def url_of(self, name: str) -> str:
        """The public address of a page of the folder."""
        return f"{self.origin}/{name.removesuffix('index.html')}"

    def exists(self, target: str) -> bool:
        return target in self.manifest

    def facts_of(self, name: str) -> Facts:
        if name not in self.facts:
            self.facts[name] = read_page(self, name)[2]
        return self.facts[name]

    def first_link(self, page: str, css_class: str) -> str | None:
        """The first link inside an element of `css_class` on `page`, or None."""
        links = parse(self.output / page).xpath(
            f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {css_class} ')]"
            "//a[@href]/@href")
        return links[0] if links else None


def _host_lowercase(url: str) -> str:
    """`url` with its scheme and host in lower case, as browsers send them."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


def parse(path: Path) -> lxml.html.HtmlElement:
    try:
        return lxml.html.document_fromstring(path.read_bytes(), parser=HTML_PARSER)
    except lxml.etree.ParserError:  # an empty page
        return lxml.html.Element("html")


def read_page(site: Site, name: str) -> tuple[list[Problem], set[str], Facts]:
    """(problems, internal link targets, Facts) of one page: every rule but hreflang."""
    root = parse(site.output / name)
    hrefs, sources, srcsets, without_alt = [], [], [], []
    alternates, canonical, article, json_ld = {}, None, False, None
    for el in root.iter("a", "link", "img", "script", "source", "meta"):
        tag, href = el.tag, el.get("href")
        if href is not None and tag in ("a", "link"):
            hrefs.append(href)
            rel = (el.get("rel") or "").split() if tag == "link" else ()
            if "alternate" in rel and (hreflang := el.get("hreflang")) is not None:
                alternates[hreflang] = href
            elif "canonical" in rel and canonical is None:
                canonical = href
        if tag in ("img", "script") and (src := el.get("src")) is not None:
            sources.append(src)
        if tag in ("img", "source") and (srcset := el.get("srcset")) is not None:
            srcsets += [c.strip().split(" ")[0] for c in srcset.split(",")]
        if tag == "img" and el.get("alt") is None:
            without_alt.append(el.get("src"))
        if tag == "meta" and (el.get("property"), el.get("content")) == ("og:type", "article"):
            article = True
        if tag == "script" and json_ld is None and el.get("type") == "application/ld+json":
            json_ld = el.text or ""
    lang = root.get("lang") if root.tag == "html" else None
    body = root.find(".//div[@class='story-body']") if article else None
    text = None if body is None else hashlib.sha256(lxml.etree.tostring(body)).hexdigest()
    problems = [] if lang else [Problem(name, "html-lang", "the page has no lang attribute")]
    urls = [(url, "broken-link") for url in hrefs]
    urls += [(url, "broken-image") for url in sources + srcsets]
    link_problems, targets = _links(site, name, urls)
    problems += link_problems
    problems += [Problem(name, "image-alt", f"<img src={src}> has no alt attribute")
                 for src in without_alt]
    if article:
        problems += _json_ld(name, json_ld, lang)
    return problems, targets, Facts(lang, alternates, canonical, article, text)


def _links(site: Site, name: str, urls: Iterable[tuple[str, str]]
           ) -> tuple[list[Problem], set[str]]:
    """Problems of the internal links, and the files they lead to."""
    problems, targets, seen = [], set(), set()
    for url, rule in urls:
        if not url or url in seen:
            continue
        seen.add(url)
        target = site.resolve(url, name)
        if target is None:
            continue
        targets.add(sys.intern(target))
        if not site.exists(target):
            problems.append(Problem(name, rule, f"{url} leads nowhere"))
    return problems, targets


def check_hreflang(site: Site, name: str) -> list[Problem]:
    facts = site.facts_of(name)
    links = facts.alternates
    if not links:
        return []
    problems = []
    own = None if facts.lang is None else links.get(facts.lang)
    if own is None:
        problems.append(Problem(name, "hreflang", f"does not list itself ({facts.lang})"))
    elif facts.canonical is not None and facts.canonical != own:
        problems.append(Problem(name, "hreflang", f"lists itself as {own}, canonical is "
                                f"{facts.canonical}"))
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
        other = site.facts_of(target)
        if other.lang != code:
            problems.append(Problem(name, "hreflang", f"{code} alternate {url} is a page in "
                                    f"'{other.lang}'"))
        if other.alternates != links:
            problems.append(Problem(name, "hreflang", f"{url} does not list the same "
                                    "alternates back (not reciprocal)"))
    return problems


def _json_ld(name: str, text: str | None, lang: str | None) -> list[Problem]:
    if text is None:
        return [Problem(name, "json-ld", "an article page without NewsArticle data")]
    try:
        data = json.loads(text)
    except ValueError as exc:
        return [Problem(name, "json-ld", f"not JSON: {exc}")]
    missing = [f for f in ("headline", "datePublished", "dateModified", "author", "publisher",
                           "inLanguage") if not data.get(f)]
    problems = [Problem(name, "json-ld", f"missing {f}") for f in missing]
    if data.get("@type") != "NewsArticle":
        problems.append(Problem(name, "json-ld", f"@type is {data.get('@type')}"))
    for key in ("datePublished", "dateModified"):
        if data.get(key) and not OFFSET_RE.search(data[key]):
            problems.append(Problem(name, "json-ld", f"{key} has no UTC offset"))
    for author in data.get("author", []):
        if not author.get("name") or (author.get("@type") == "Person" and not author.get("url")):
            problems.append(Problem(name, "json-ld", "an author without name or url"))
    for image in data.get("image", []):
        if not image.get("creditText"):
            problems.append(Problem(name, "json-ld", "image without creditText"))
    if data.get("inLanguage") and data["inLanguage"] != lang:
        problems.append(Problem(name, "json-ld", f"inLanguage {data['inLanguage']} on a "
                                f"'{lang}' page"))
    return problems


def read_feed(site: Site, name: str) -> Reading:
    """(problems, internal link targets, None) of one feed."""
    feed = feedparser.parse((site.output / name).read_bytes())
    if feed.bozo:
        return [Problem(name, "feed", f"not well-formed: {feed.bozo_exception}")], set(), None
    problems, targets = [], set()
    if feed.version not in ("atom10", "rss20"):
        problems.append(Problem(name, "feed", f"unexpected format {feed.version}"))
    if not feed.feed.get("language"):
        problems.append(Problem(name, "feed", "no language"))
    for entry in feed.entries:
        if not (entry.get("title") and entry.get("link") and (
                entry.get("published") or entry.get("updated"))):
            problems.append(Problem(name, "feed", f"incomplete entry {entry.get('link')}"))
            continue
        target = site.resolve(entry.link, name)
        if target is not None:
            targets.add(sys.intern(target))
            if not site.exists(target):
                problems.append(Problem(name, "feed", f"entry {entry.link} leads nowhere"))
    return problems, targets, None


def read_all(site: Site, names: Iterable[str], workers: int) -> dict[str, Reading]:
    """{name: (problems, targets, Facts)} of these pages and feeds, read on `workers` cores."""
    names = sorted(names)
    if len(names) < PARALLEL_MIN:
        workers = 1

    def job(share: Share) -> dict[str, Reading]:
        return {name: (read_feed if name in site.feeds else read_page)(site, name)
                for name in names if share.take()}

    done = {}
    for part in run_shared(job, workers):
        done.update(part)
    for name, (_, _, facts) in done.items():
        if facts is not None:
            site.facts[name] = facts
    return done


def vnu_jar() -> Path | None:
    """The Nu Html Checker's jar: $VNU_JAR, or the npm package, installed once into .cache/."""
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    prefix = TOOLS_CACHE.resolve() / "vnu"
    jar = prefix / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.exists() and shutil.which("npm"):
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix",
                        str(prefix), f"vnu-jar@{VNU_VERSION}"], check=False, timeout=600)
    return jar if jar.exists() else None


def check_vnu(site: Site, names: Iterable[str], workers: int = 1) -> list[Problem]:
    """The Nu Html Checker, offline, on these pages: in batches, a Java VM per core at a time."""
    java = shutil.which("java")
    if java is None:
        return [Problem("-", "vnu", "needs a Java runtime (apt-get install default-jre-headless)"
                        "; or skip it with --skip vnu")]
    jar = vnu_jar()
    if jar is None:
        return [Problem("-", "vnu", f"needs vnu.jar: set VNU_JAR, or install npm to fetch "
                        f"vnu-jar@{VNU_VERSION}; or skip it with --skip vnu")]
    names = sorted(names)
    size = sum(len(name) + 1 for name in names)
    count = max(1, min(len(names), workers))
    count *= -(-size // (VNU_BATCH_BYTES * count))  # rounded up to a multiple of the workers
    batches = [names[i::count] for i in range(count)]
    # A few pages: the quick compiler only, which starts sooner. langdetect only warns, and
    # --errors-only hides warnings.
    command = [java, "-Xss8m", *["-XX:TieredStopAtLevel=1"] * (len(names) < VNU_QUICK_START),
               "-jar", str(jar), "--errors-only", "--no-langdetect", "--format", "json"]
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda batch: processes.run(
            [*command, *batch], cwd=site.output, capture_output=True, text=True, timeout=900),
            [b for b in batches if b]))
    problems = []
    for result in results:
        messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
        for message in messages:
            page = unquote(message.get("url", "").removeprefix("file:"))
            with contextlib.suppress(ValueError):
                page = site.name(Path(page))
            problems.append(Problem(page, "vnu", f"line {message.get('lastLine', '?')}: "
                                    f"{message.get('message')}"))
    return problems


def homes(site: Site) -> list[str]:
    """The front page of every edition."""
    return sorted(n for n in site.pages if n == "index.html" or (
        n.endswith("/index.html") and n.count("/") == 1 and
        n.replace("index.html", "404.html") in site.pages))


def axe_pages(site: Site) -> list[str]:
    """Every article whose text changed since the last passing check (not on the first check of
    a folder), and one page of each other kind (front, listing, 404) per edition: among the
    changed pages in an incremental check; in a full one the front page, its first teaser's
    article, its first section and the 404 page."""
    fronts = homes(site)
    articles = site.new_text
    if site.changed is not None:
        picked: dict[tuple[str, str], str] = {}
        for name in sorted(site.changed & site.pages - articles):
            edition = max((h for h in fronts if name.startswith(h.removesuffix("index.html"))),
                          key=len, default="")
            kind = ("front" if name in fronts else "404" if name.endswith("404.html") else
                    "article" if site.facts_of(name).article else "listing")
            picked.setdefault((edition, kind), name)
        return sorted(articles | set(picked.values()))
    pages: list[str | None] = []
    for home in fronts:
        for css_class in ("teaser-title", "sections"):
            href = site.first_link(home, css_class)
            if href is not None:
                pages.append(site.resolve(href, home))
        pages += [home, home.replace("index.html", "404.html")]
    return [p for p in dict.fromkeys([*pages, *sorted(articles)])
            if p is not None and p in site.pages]


def _answer_from_folder(site: Site) -> Callable[[Any], None]:
    """A Playwright route handler: the site's own addresses from the folder (404 for a missing
    file), every other request aborted, so nothing comes from the network."""
    from newsdesk.publish.headers import content_type

    def answer(route: Any) -> None:
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


def check_axe(site: Site) -> list[Problem]:
    """axe-core in headless Chromium, the site at its own address; returns problems."""
    try:
        from axe_playwright_python.sync_playwright import Axe
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        return [Problem("-", "axe", f"{exc}; install the project (pip install -e .) or skip "
                        "it with --skip axe")]

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


@dataclass
class Report:
    """How a check ran: its mode, what it checked and how long each part took."""

    mode: str = "full check"
    changed: int = 0
    dependents: int = 0
    pages: int = 0
    feeds: int = 0
    vnu: int | None = None
    axe: int | None = None
    times: dict[str, float] = field(default_factory=dict)
    manifest: Manifest | None = None  # of the folder checked

    @contextlib.contextmanager
    def timing(self, part: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.times[part] = self.times.get(part, 0) + time.perf_counter() - started

    def summary(self, problems: Sequence[Problem]) -> str:
        scope = (f"{self.changed} changed or new, {self.dependents} depending on them: "
                 if self.mode == "incremental check" else "")
        tools = ", ".join(
            ["no vnu" if self.vnu is None else f"{self.vnu} with vnu",
             "no axe" if self.axe is None else f"{self.axe} in Chromium with axe"])
        times = ", ".join(f"{part} {seconds:.1f} s" for part, seconds in self.times.items())
        return (f"{self.mode}: {scope}checked {self.pages} pages and {self.feeds} feeds "
                f"({tools}): {len(problems)} problem(s)\ntimes: {times}")


def run_checks(output: Path | str, origin: str, skip: Collection[str] = (), *,
               settings: Mapping[str, Any] | None = None, full: bool = False,
               manifest: Manifest | None = None, code: str | None = None
               ) -> tuple[Report, list[Problem]]:
    """Check the built site; return (Report, problems). Report.manifest is the folder's.

    With `settings`, the check remembers what it passed (in CACHE_PATH) and next time checks
    only what changed since, and what depends on it (newsdesk.checkstate); `full` checks all.
    `code` is fingerprint.site_code(settings), taken before a build in this process (a build
    changes values of the settings).
    """
    report = Report()
    workers = (settings or {}).get("READ_WORKERS") or os.cpu_count() or 1
    state = last = None
    if settings is not None:
        state = CheckState(settings["CACHE_PATH"], output)
        code = code or fingerprint.site_code(settings)
        with report.timing("state"):
            last = state.load()
    with report.timing("manifest"):
        if manifest is None:
            manifest = Manifest.of_folder(output, last.known if last else None)
        site = Site(output, origin, manifest)
    report.manifest = manifest
    documents = site.pages | site.feeds
    reason = "--all" if full else why_full(last, code, skip) if state else None
    if reason or state is None or last is None:
        report.mode = f"full check ({reason})" if reason else "full check"
        graph, changed = LinkGraph(), documents
        read = _read(site, report, changed, workers)
    else:
        report.mode = "incremental check"
        graph = last.graph
        changes = site.manifest.compare(last.files, same=lambda entry, sha: entry.sha256 == sha)
        changed = {path for path in changes.added + changes.changed if path in documents}
        read = _read(site, report, changed, workers)
        alternates = {target for name in changed & site.pages
                      for url in site.facts[name].alternates.values()
                      if (target := site.resolve(url, name)) is not None}
        linked = (changed & site.pages) | set(changes.removed)
        dependents = graph.linking_into(linked) | alternates
        dependents = (dependents & documents) - changed
        read.update(_read(site, report, dependents, workers))
        site.changed = changed
        report.changed, report.dependents = len(changed), len(dependents)
    graph.keep_only(documents)
    texts = {name: text for name, text in (last.texts if last else {}).items()
             if name in site.pages}
    for name, (_, targets, facts) in read.items():
        graph.set(name, targets)
        if facts is not None and facts.text is not None:
            if last is not None and last.texts.get(name) != facts.text:
                site.new_text.add(name)
            texts[name] = facts.text
    problems = [problem for name in sorted(read) for problem in read[name][0]]
    with report.timing("hreflang"):
        problems += [problem for name in sorted(read) if name in site.pages
                     for problem in check_hreflang(site, name)]
    report.pages = len(read.keys() & site.pages)
    report.feeds = len(read.keys() & site.feeds)
    problems += _vnu_and_axe(site, report, changed & site.pages, skip, workers)
    if state is not None and not problems:
        with report.timing("state"):
            state.save(code, skip, site.manifest, graph, texts)
    return report, problems


def _vnu_and_axe(site: Site, report: Report, pages: set[str], skip: Collection[str],
                 workers: int) -> list[Problem]:
    """vnu's problems, then axe's: the two tools (a Java VM and Chromium) run side by side."""
    report.vnu = None if "vnu" in skip else len(pages)
    report.axe = None if "axe" in skip else len(axe_pages(site))

    def vnu() -> list[Problem]:
        with report.timing("vnu"):
            return check_vnu(site, pages, workers)

    with ThreadPoolExecutor(1) as pool:
        found = pool.submit(vnu) if report.vnu else None
        axe: list[Problem] = []
        if report.axe:
            with report.timing("axe"):
                axe = check_axe(site)
        return (found.result() if found else []) + axe


def _read(site: Site, report: Report, names: set[str], workers: int) -> dict[str, Reading]:
    """Read pages, then feeds, timed apart."""
    with report.timing("pages"):
        read = read_all(site, names & site.pages, workers)
    with report.timing("feeds"):
        read.update(read_all(site, names & site.feeds, workers))
    return read


def main(argv: Sequence[str] | None = None) -> int:
    from pelican.settings import read_settings

    parser = argparse.ArgumentParser(prog="python -m newsdesk.check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, help="the built site (default: OUTPUT_PATH)")
    parser.add_argument("--settings", type=Path, default=SITE_SETTINGS)
    parser.add_argument("--skip", default="", help="checks to leave out: vnu, axe")
    parser.add_argument("--all", action="store_true",
                        help="check every page, not only what changed since the last pass")
    args = parser.parse_args(argv)
    settings = read_settings(str(args.settings))
    output = args.output or Path(settings["OUTPUT_PATH"])
    if not output.is_dir():
        print(f"error: {output}: no built site; run `invoke build` first", file=sys.stderr)
        return 2
    origin = settings["SITEURL"] or settings["FEED_DOMAIN"]
    report, problems = run_checks(output, origin, set(filter(None, args.skip.split(","))),
                                  settings=settings, full=args.all)
    for problem in problems:
        print(problem)
    print(report.summary(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
