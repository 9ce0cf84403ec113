"""Tasks for building, previewing and maintaining the site. `invoke --list` shows them.

The site's tasks come from the package (newsdesk.tasks, also the `newsdesk` command); the
developer's tasks, which work on this checkout, are here.
"""

import sys
from shlex import quote

from invoke import Collection, Exit, task

from newsdesk import tasks as site
from newsdesk.tasks import PYTHON, run_module


@task(help={"check": "fail if the catalogs are not up to date with the templates"})
def i18n(c, check=False):
    """Extract interface strings from the templates, update and compile the catalogs."""
    from newsdesk.catalogs import check_catalogs, update_catalogs
    from newsdesk.defaults import THEME

    if check:
        problems = check_catalogs(THEME)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            raise Exit("catalogs are out of date: run `invoke i18n` and translate", code=1)
        print("catalogs are complete and up to date")
        return
    for line in update_catalogs(THEME):
        print(line)


@task(help={"articles": "corpus sizes, comma-separated (default 2000)",
            "runs": "runs per measurement; the median is reported (default 3)",
            "peer_timeout": "seconds after which a peer's build is stopped (default 3600)",
            "check": "time the site check instead: in full, and after a one-article edit"})
def bench(c, articles="2000", runs=3, peer_timeout=3600, check=False):
    """Time our builds (cold, unchanged, one edit, new article) against Pelican and Hugo.

    The peers: plain Pelican, Pelican with i18n_subsites and Hugo, on the same corpus."""
    sizes = [size.strip() for size in str(articles).split(",") if size.strip()]
    run_module("newsdesk.bench", None, "--articles", *sizes, "--runs", str(runs),
               "--peer-timeout", str(peer_timeout), *["--check"] * check)


@task
def lint(c):
    """Check the code style with ruff and the type hints with mypy."""
    c.run(f"{quote(PYTHON)} -m ruff check .", pty=sys.stdout.isatty())
    c.run(f"{quote(PYTHON)} -m mypy", pty=sys.stdout.isatty())


@task(help={"k": "only tests matching this expression",
            "workers": "test processes (pytest-xdist): 'auto' is one per core, 0 runs in this one"})
def test(c, k=None, workers="auto"):
    """Run the whole test suite, spread over the cores."""
    spread = f" -n {quote(str(workers))} --dist worksteal" if str(workers) != "0" else ""
    c.run(f"{quote(PYTHON)} -m pytest{spread}" + (f" -k {quote(k)}" if k else ""),
          pty=sys.stdout.isatty())


ns = Collection.from_module(site)
for developer_task in (i18n, bench, lint, test):
    ns.add_task(developer_task)
