"""A site's tasks: build, preview, write, check and publish it. `newsdesk --list` shows them.

They work on the site folder: the nearest folder, from the current one up, that holds a
pelicanconf.py (as invoke finds tasks.py). The checkout's tasks.py adds the developer's tasks.
"""

import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from invoke import Collection, Context, Exit, Program, task

from newsdesk import SITE_SETTINGS, processes

PYTHON = sys.executable


def site_folder(start: Path | str | None = None) -> Path:
    """The folder of the nearest pelicanconf.py from `start` (the current folder) up; else
    `start` itself."""
    start = Path(start or Path.cwd()).resolve()
    return next((folder for folder in (start, *start.parents)
                 if (folder / SITE_SETTINGS).is_file()), start)


SITE = site_folder()


@task(help={
    "content": "content folder to build (default: content/)",
    "output": "output folder (default: output/)",
    "strict": "fail on any warning or error and leave the output as it was",
    "settings": "settings file (default: pelicanconf.py)",
    "verbose": "log every file written",
    "force": "build even if nothing changed since the last build",
})
def build(c: Context, content: str | None = None, output: str | None = None, strict: bool = False,
          settings: str | None = None, verbose: bool = False, force: bool = False) -> None:
    """Build every edition of the site in one pass."""
    flags = [arg for flag, value in (("--output", output), ("--settings", settings)) if value
             for arg in (flag, _absolute(value))]
    run_module("newsdesk.build", content, *flags, *["--strict"] * strict,
                *["--verbose"] * verbose, *["--force"] * force)


@task
def clean(c: Context) -> None:
    """Remove the output folder, the build before it kept beside it, and the build caches."""
    for path in (SITE / "output", SITE / ".output.spare", SITE / ".cache"):
        shutil.rmtree(path, ignore_errors=True)
        print(f"removed {path.relative_to(SITE)}")


@task(help={"port": "port on 127.0.0.1 (default 8000)", "content": "content folder"})
def serve(c: Context, port: int = 8000, content: str | None = None) -> None:
    """Preview the site on http://127.0.0.1:PORT/ and rebuild it when a file changes."""
    from newsdesk.preview import PortBusy, serve_and_watch

    try:
        serve_and_watch(SITE, port=int(port), content=content)
    except PortBusy as exc:
        raise Exit(f"error: {exc}") from None


@task(help={
    "title": "the headline (required)",
    "lang": "language of the article: sr (default), sr-Cyrl or en",
    "category": "section, e.g. Politika (default: the news section in the article's language)",
    "author": "byline; several names separated by commas (default: the editorial staff)",
    "type": "news (default), analysis, opinion, interview, sponsored or press release",
    "key": "file key linking translations (default: from the title)",
    "content": "content folder (default: content/)",
})
def new(c: Context, title: str | None = None, lang: str = "sr", category: str | None = None,
        author: str | None = None, type: str = "news", key: str | None = None,
        content: str | None = None) -> None:
    """Create a new article with today's date and every metadata field filled in."""
    from newsdesk.fields import CONTENT_TYPES, FIELDS, NEW_ARTICLE_WORDS
    from newsdesk.languages import article_language, known_codes
    from newsdesk.paths import key_problem
    from newsdesk.slugs import make_slug

    if not title:
        raise Exit('give the headline: invoke new --title "…" (invoke new --help for more)')
    edition = article_language(lang, title)  # `sr`: the script the title is in
    if edition is None:
        raise Exit(f"unknown language '{lang}'; use one of {known_codes()}")
    kind = type.strip().lower().replace("-", " ")
    if kind not in CONTENT_TYPES:
        raise Exit(f"unknown type '{type}'; use one of {', '.join(CONTENT_TYPES)}")
    key = key or make_slug(title)
    if key_problem(key):
        raise Exit(key_problem(key))
    section, staff, first_paragraph = NEW_ARTICLE_WORDS[edition]
    now = dt.datetime.now(ZoneInfo(_settings()["TIMEZONE"])).replace(second=0, microsecond=0)
    folder = Path(content or SITE / "content") / "articles" / f"{now:%Y}"
    path = folder / f"{key}.{lang}.md"
    if path.exists():
        raise Exit(f"{path} already exists")
    folder.mkdir(parents=True, exist_ok=True)
    given = {"title": title, "date": f"{now:%Y-%m-%d %H:%M}", "author": author or staff,
             "category": category or section, "type": kind}
    header = "".join(f"{name.capitalize()}: {given.get(name, '')}".rstrip() + "\n"
                     for name in FIELDS)
    path.write_text(f"{header}\n{first_paragraph}\n", encoding="utf-8")
    print(f"created {path}")


@task(help={"content": "content folder (default: content/)"})
def translate(c: Context, content: str | None = None) -> None:
    """Run only the translation stage: fill missing editions from the memory or the provider."""
    run_module("newsdesk.translate", content)


@task(help={"content": "content folder (default: content/)"})
def translations(c: Context, content: str | None = None) -> None:
    """Report every article's translations: human, machine, reviewed, pending or outdated."""
    run_module("newsdesk.translate", content, "--report")


def _settings() -> dict[str, Any]:
    from pelican.settings import read_settings

    return read_settings(str(SITE / SITE_SETTINGS))


def run_module(module: str, content: str | None, *extra: str) -> None:
    """Run a newsdesk command in the site folder, wherever the task was started."""
    args = [PYTHON, "-m", module, *(["--content", _absolute(content)] if content else []), *extra]
    code = processes.foreground(args, cwd=SITE)  # killed with the task, even by kill -9
    if code:
        raise Exit(code=code if code > 0 else 128 - code)  # killed by a signal: 128 + it


@task(help={"output": "the built site (default: output/)",
            "skip": "checks to leave out, comma-separated: vnu, axe",
            "all": "check every page, not only what changed since the last passing check",
            "settings": "settings file (default: pelicanconf.py; publishconf.py checks public/ "
                        "at its public address)"})
def check(c: Context, output: str | None = None, skip: str = "", all: bool = False,
          settings: str | None = None) -> None:  # the option is --all
    """Check the built site: HTML validity, links, hreflang, structured data, feeds, a11y."""
    run_module("newsdesk.check", None, *(["--output", _absolute(output)] if output else []),
                *(["--settings", _absolute(settings)] if settings else []),
                *(["--skip", skip] if skip else []), *["--all"] * all)


@task(help={"output": "the built site (default: output/)"})
def audit(c: Context, output: str | None = None) -> None:
    """Run Lighthouse on the front page and an article of every edition; print the scores."""
    run_module("newsdesk.audit", None, *(["--output", _absolute(output)] if output else []))


@task(help={
    "target": "where to: ssh (default), s3 or gh-pages (settings in publishconf.py)",
    "dry_run": "build and check, then list what would change without uploading",
    "content": "content folder (default: content/)",
    "settings": "settings file (default: publishconf.py)",
    "skip_checks": "site checks to leave out, comma-separated: vnu, axe",
})
def publish(c: Context, target: str = "ssh", dry_run: bool = False, content: str | None = None,
            settings: str | None = None, skip_checks: str = "") -> None:
    """Build strictly with publishconf.py, check the site, and only then upload it."""
    run_module("newsdesk.publish", content, "--target", target,
                *(["--settings", _absolute(settings)] if settings else []),
                *(["--skip-checks", skip_checks] if skip_checks else []),
                *["--dry-run"] * dry_run)


@task(help={"to": "the release to switch to (default: the one before the current)",
            "settings": "settings file (default: publishconf.py)"})
def rollback(c: Context, to: str | None = None, settings: str | None = None) -> None:
    """Put the previous release back in front of readers (ssh target)."""
    run_module("newsdesk.publish", None, "--rollback",
                *(["--to", to] if to else []),
                *(["--settings", _absolute(settings)] if settings else []))


def _absolute(path: Path | str) -> str:
    """A path given on the command line, as the folder invoke was started in reads it."""
    return str(Path(path).resolve())


program = Program(namespace=Collection.from_module(sys.modules[__name__]), name="newsdesk",
                  binary="newsdesk")  # the `newsdesk` command (pyproject.toml)
