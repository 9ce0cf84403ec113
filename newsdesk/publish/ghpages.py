"""Publish to a Git branch served by GitHub Pages (or any static host that reads a branch).

ghp-import writes the site as one commit on GITHUB_PAGES_BRANCH, with `.nojekyll` (so
folders starting with `_` are served) and an optional CNAME. The commit is made in a work
repository under the build cache, so the project's own checkout is never touched; a push
happens only if the site's tree differs from the branch on the remote. A token for HTTPS
remotes comes from the environment variable GITHUB_PAGES_TOKEN_VAR names and is handed to Git
as a header through the environment, never in a URL or on a command line. A repository URL
that carries credentials (user:password@, ?token=) is never written to the work repository:
its remote is the URL without them, which Git is told to read as the real one through the
environment of each command.
"""

import base64
import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..secrets import redact
from .errors import PublishFailed
from .manifest import Changes, Manifest

ADDED_BY_GHP_IMPORT = {".nojekyll", "CNAME"}


def without_credentials(url: str) -> str:
    """A repository URL without its user information and query, where credentials travel
    (a password may hold a raw `/`, `?` or `#`: the host follows the last `@`); an scp-style
    address (git@host:path) as it is."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    return f"{scheme}://{rest.rpartition('@')[2].split('?')[0].split('#')[0]}"


class GhPagesTarget:
    name = "gh-pages"

    def __init__(self, settings: Mapping[str, Any], cache: Path | str | None = None) -> None:
        self.repo: str = settings.get("GITHUB_PAGES_REPO") or ""
        if not self.repo:
            raise PublishFailed("GITHUB_PAGES_REPO is not set (publishconf.py or "
                                "PUBLISH_GITHUB_PAGES_REPO)")
        self.branch = settings.get("GITHUB_PAGES_BRANCH") or "gh-pages"
        self.cname = settings.get("GITHUB_PAGES_CNAME") or None
        self.token = os.environ.get(settings.get("GITHUB_PAGES_TOKEN_VAR") or "GITHUB_TOKEN")
        self.committer = settings.get("GITHUB_PAGES_COMMITTER") or ("Pregled", "site@localhost")
        self.remote = without_credentials(self.repo)
        cache = Path(cache or settings.get("CACHE_PATH") or ".cache")
        self.work = cache / "gh-pages" / hashlib.sha256(self.remote.encode()).hexdigest()[:16]

    def describe(self) -> str:
        return f"{redact(self.repo)} ({self.branch})"

    def env(self) -> dict[str, str]:
        name, email = self.committer
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
        for role in ("AUTHOR", "COMMITTER"):
            env.setdefault(f"GIT_{role}_NAME", name)
            env.setdefault(f"GIT_{role}_EMAIL", email)
        config = []
        if self.remote != self.repo:
            config.append((f"url.{self.repo}.insteadOf", self.remote))
        if self.token and self.repo.startswith("https://"):
            basic = base64.b64encode(f"x-access-token:{self.token}".encode()).decode()
            config.append(("http.extraHeader", f"Authorization: Basic {basic}"))
        env["GIT_CONFIG_COUNT"] = str(len(config))
        for index, (key, value) in enumerate(config):
            env[f"GIT_CONFIG_KEY_{index}"], env[f"GIT_CONFIG_VALUE_{index}"] = key, value
        return env

    def git(self, *args: str, what: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(["git", *args], cwd=self.work, env=self.env(),
                                capture_output=True, text=True)
        if check and result.returncode:
            detail = (result.stderr.strip() or result.stdout.strip()).splitlines()[-2:]
            raise PublishFailed(f"{what} ({self.describe()}) failed: " + " / ".join(detail))
        return result

    def prepare(self) -> str | None:
        """The work repository, with the remote branch fetched (if it exists yet)."""
        self.work.mkdir(parents=True, exist_ok=True)
        if not (self.work / ".git").is_dir():
            self.git("init", "--quiet", what="creating the work repository")
        self.git("remote", "remove", "origin", what="", check=False)
        self.git("remote", "add", "origin", self.remote, what="setting the remote")
        found = self.git("ls-remote", "--heads", "origin", self.branch, what="reaching the remote")
        if found.stdout.strip():
            self.git("fetch", "--quiet", "--force", "--no-write-fetch-head", "origin",
                     f"+refs/heads/{self.branch}:refs/remotes/origin/{self.branch}",
                     what="fetching the branch")
            return f"origin/{self.branch}"
        self.git("update-ref", "-d", f"refs/remotes/origin/{self.branch}", what="", check=False)
        return None

    def publish(self, output: Path, manifest: Manifest, dry_run: bool = False) -> Changes:
        remote = self.prepare()
        self.git("update-ref", "-d", f"refs/heads/{self.branch}", what="", check=False)
        args = [sys.executable, "-m", "ghp_import", "--no-jekyll", "--branch", self.branch,
                "--remote", "origin", "--message",
                f"Publish {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}",
                *(["--cname", self.cname] if self.cname else []), str(Path(output).resolve())]
        result = subprocess.run(args, cwd=self.work, env=self.env(), capture_output=True,
                                text=True)
        if result.returncode:
            raise PublishFailed(f"ghp-import failed: {result.stderr.strip()}")
        if remote:
            diff = self.git("-c", "core.quotePath=false", "diff", "--no-renames",
                            "--name-status", remote, self.branch, what="comparing").stdout
            changed = diff.splitlines()
        else:
            listing = self.git("-c", "core.quotePath=false", "ls-tree", "-r", "--name-only",
                               self.branch, what="listing")
            changed = [f"A\t{name}" for name in listing.stdout.splitlines()]
        if not changed:
            print(f"nothing to publish: {self.describe()} is up to date")
            return Changes([], [], [], len(manifest))
        print(f"{self.describe()}: {len(changed)} file(s) differ")
        if dry_run:
            for line in changed:
                status, _, path = line.partition("\t")
                print({"A": "+", "D": "-"}.get(status, "~"), path)
            return site_changes(changed, manifest)
        self.git("push", "--quiet", "origin", f"{self.branch}:refs/heads/{self.branch}",
                 what="pushing")
        print(f"pushed {self.branch} to {self.describe()}")
        return site_changes(changed, manifest)


def site_changes(diff: Iterable[str], manifest: Manifest) -> Changes:
    """Changes of the site's own files from `git diff --name-status` lines."""
    added: list[str] = []
    changed: list[str] = []
    removed: list[str] = []
    for line in diff:
        status, _, path = line.partition("\t")
        if status == "D":
            if path not in ADDED_BY_GHP_IMPORT:
                removed.append(path)
        elif path in manifest:
            (added if status == "A" else changed).append(path)
    return Changes(sorted(added), sorted(changed), sorted(removed),
                   len(manifest) - len(added) - len(changed))
