"""Publish to a web server over SSH: one folder per release and an atomic `current` symlink.

Layout under SSH_TARGET_DIR (the web server serves `current/`):

    releases/20261127T081500Z-1a2b3c4d/                 a complete site
    releases/20261127T081500Z-1a2b3c4d.manifest.json    its files and hashes
    releases/.incoming-…/                               an upload in progress (or interrupted)
    current -> releases/20261127T081500Z-1a2b3c4d

rsync hard-links unchanged files from the current release (--link-dest), so a release costs
only the bytes that changed. The symlink is replaced with rename(2) (`mv -T`), so readers see
the old site or the new one, never a mix, whenever the upload stops.
"""

import re
import shlex
import subprocess
import time

from .errors import PublishFailed
from .manifest import Manifest

RELEASE_RE = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")


class SshTarget:
    name = "ssh"

    def __init__(self, settings):
        host = settings.get("SSH_HOST")
        if not host:
            raise PublishFailed("SSH_HOST is not set (publishconf.py or PUBLISH_SSH_HOST)")
        user = settings.get("SSH_USER")
        self.address = f"{user}@{host}" if user else host
        self.root = settings.get("SSH_TARGET_DIR") or "site"
        self.keep = max(1, int(settings.get("SSH_KEEP_RELEASES", 5)))
        self.ssh = ["ssh", "-p", str(settings.get("SSH_PORT", 22)), "-o", "BatchMode=yes",
                    *settings.get("SSH_OPTIONS", [])]
        self.rsync_options = list(settings.get("RSYNC_OPTIONS", []))

    def describe(self):
        return f"{self.address}:{self.root}"

    def _run(self, args, what, input=None):
        result = subprocess.run(args, input=input, capture_output=True, text=True)
        if result.returncode:
            detail = (result.stderr.strip() or result.stdout.strip()).splitlines()[-3:]
            raise PublishFailed(f"{what} on {self.describe()} failed (exit {result.returncode}): "
                                + " / ".join(detail))
        return result.stdout

    def remote(self, script, what, input=None):
        """Run a shell script in SSH_TARGET_DIR on the server."""
        root = shlex.quote(self.root)
        return self._run([*self.ssh, self.address,
                          f"mkdir -p {root}/releases && cd {root} && {{ {script}; }}"],
                         what, input=input)

    def releases(self):
        """The complete releases on the server, oldest first, and the current one."""
        out = self.remote('ls -1a releases; echo "@current $(readlink current || true)"',
                          "listing releases")
        names, current = [], None
        for line in out.splitlines():
            if line.startswith("@current "):
                current = line.split()[-1].rsplit("/", 1)[-1] if line.split()[1:] else None
            elif RELEASE_RE.match(line):
                names.append(line)
        return sorted(names), current

    def current_manifest(self, current):
        if not current:
            return None
        text = self.remote(f"cat releases/{current}.manifest.json 2>/dev/null || true",
                           "reading the current manifest")
        return Manifest.loads(text) if text.strip() else None

    def publish(self, output, manifest, dry_run=False):
        releases, current = self.releases()
        remote = self.current_manifest(current)
        if remote is not None and remote.digest() == manifest.digest():
            print(f"nothing to publish: {self.describe()}/current ({current}) is up to date")
            return None
        changes = manifest.compare(remote or {})
        print(f"{self.describe()}: {changes.summary()}"
              + ("" if remote is not None else " (no manifest on the server: uploading all)"))
        if dry_run:
            for line in changes.lines():
                print(line)
            return changes
        release = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + manifest.digest()[:8]
        incoming = f"releases/.incoming-{release}"
        link_dest = ["--link-dest=../../current/"] if current else []
        stats = self._run(
            ["rsync", "-rlc", "--delete", "--chmod=D755,F644", "--stats", *link_dest,
             *self.rsync_options, "-e", shlex.join(self.ssh),
             f"{output}/", f"{self.address}:{self.root}/{incoming}/"],
            "uploading with rsync",
        )
        sent = re.search(r"Number of regular files transferred: ([\d,]+)", stats)
        print(f"uploaded {sent.group(1) if sent else '?'} file(s) into releases/{release}")
        self.remote(
            f"cat > releases/{release}.manifest.json && mv {incoming} releases/{release} && "
            f"ln -sfn releases/{release} .current.new && mv -T .current.new current",
            "switching the current release", input=manifest.dumps(),
        )
        print(f"{self.describe()}/current -> releases/{release}")
        self.prune(release)
        return changes

    def prune(self, current):
        """Keep the newest SSH_KEEP_RELEASES releases; drop interrupted uploads."""
        releases, _ = self.releases()
        doomed = [name for name in releases[:-self.keep] if name != current]
        targets = " ".join(f"releases/{name} releases/{name}.manifest.json" for name in doomed)
        self.remote(f"rm -rf releases/.incoming-* {targets}", "removing old releases")
        if doomed:
            print(f"removed {len(doomed)} old release(s); kept {min(len(releases), self.keep)}")

    def rollback(self, to=None):
        """Point `current` at the release before it (or at `to`)."""
        releases, current = self.releases()
        if to is None:
            older = [name for name in releases if current and name < current]
            if not older:
                raise PublishFailed(f"no release older than {current} on {self.describe()}")
            to = older[-1]
        elif to not in releases:
            raise PublishFailed(f"no release {to} on {self.describe()}; there are: "
                                + ", ".join(releases))
        self.remote(f"ln -sfn releases/{to} .current.new && mv -T .current.new current",
                    "switching the current release")
        print(f"{self.describe()}/current -> releases/{to} (was {current})")
        return to
