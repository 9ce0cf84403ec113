"""Publish to a web server over SSH: one folder per release and an atomic `current` symlink.

Layout under SSH_TARGET_DIR (the web server serves `current/`):

    releases/20261127T081500Z-1a2b3c4d/                 a complete site
    releases/20261127T081500Z-1a2b3c4d.manifest.json    its files and hashes
    releases/.incoming-…/                               an upload in progress (or interrupted)
    current -> releases/20261127T081500Z-1a2b3c4d

rsync hard-links unchanged files from the current release (--link-dest with the release
folder's absolute path: rsync's secure basis-file lookup discards files reached through a
relative path or the `current` symlink, RsyncProject/rsync#715), so a release costs only the
bytes that changed. The symlink is replaced with rename(2) (`mv -T`), so readers see the old
site or the new one, never a mix, whenever the upload stops.

One publish at a time: `flock` on `.publish.lock`, held by one ssh session for the whole
upload, switch and prune. The kernel drops the lock when that session ends, so a killed publish
(its connection closes, or its heartbeat stops) never leaves the target locked. Another publish
waits up to SSH_LOCK_WAIT seconds, naming the holder, then stops.
"""

import getpass
import os
import re
import shlex
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO, Any

from ..progress import progress
from .errors import PublishFailed
from .manifest import Changes, Entry, Manifest

RELEASE_RE = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")
LOCK = ".publish.lock"
LOCK_BUSY = 75  # exit status of the lock session when the wait ran out
HEARTBEAT = 10  # seconds between the publisher's signs of life to the lock session
HEARTBEAT_LOST = 120  # seconds without one after which the server drops the lock
# The lock session: take the lock (or say who holds it and wait), record the owner, print the
# target's absolute path, then hold the lock while heartbeats arrive on stdin.
LOCK_SCRIPT = """command -v flock >/dev/null || {{ echo "flock not found on the server \
(util-linux)" >&2; exit 69; }}
exec 9>>{lock}
if ! flock -n 9; then echo "@busy $(cat {lock})"; flock -w {wait} 9 || exit {busy}; fi
printf '%s\\n' {owner} > {lock}
echo "@locked $(pwd -P)"
while beat=$(timeout {lost} head -n 1) && [ -n "$beat" ]; do :; done"""
TRANSFER_RE = re.compile(r"^[<>]f\S* (\d+) (.*)$")  # --out-format="%i %l %n": a file sent


class SshTarget:
    name = "ssh"

    def __init__(self, settings: Mapping[str, Any]) -> None:
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
        self.lock_wait = max(0, int(settings.get("SSH_LOCK_WAIT", 600)))

    def describe(self) -> str:
        return f"{self.address}:{self.root}"

    def _run(self, args: list[str], what: str, input: str | None = None) -> str:
        result = subprocess.run(args, input=input, capture_output=True, text=True)
        if result.returncode:
            detail = (result.stderr.strip() or result.stdout.strip()).splitlines()[-3:]
            raise PublishFailed(f"{what} on {self.describe()} failed (exit {result.returncode}): "
                                + " / ".join(detail))
        return result.stdout

    def in_root(self, script: str) -> str:
        """The remote command that runs `script` in SSH_TARGET_DIR (made if missing)."""
        root = shlex.quote(self.root)
        return f"mkdir -p {root}/releases && cd {root} && {{ {script}\n}}"

    def remote(self, script: str, what: str, input: str | None = None) -> str:
        """Run a shell script in SSH_TARGET_DIR on the server."""
        return self._run([*self.ssh, self.address, self.in_root(script)], what, input=input)

    @contextmanager
    def lock(self) -> Iterator[str]:
        """Hold the target's publish lock; yield SSH_TARGET_DIR's absolute path."""
        owner = (f"{getpass.getuser()}@{socket.gethostname()} pid {os.getpid()} since "
                 + time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()))
        script = LOCK_SCRIPT.format(lock=LOCK, wait=self.lock_wait, busy=LOCK_BUSY,
                                    owner=shlex.quote(owner), lost=HEARTBEAT_LOST)
        session = subprocess.Popen([*self.ssh, self.address, self.in_root(script)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        stdin, stdout, stderr = session.stdin, session.stdout, session.stderr
        assert stdin and stdout and stderr  # pipes, as asked
        stop = threading.Event()
        try:
            holder = None
            while line := stdout.readline():
                if line.startswith("@busy"):
                    holder = line[len("@busy"):].strip() or "a publish that left no name"
                    print(f"waiting up to {self.lock_wait} s for {self.describe()}/{LOCK}, "
                          f"held by {holder}", flush=True)
                elif line.startswith("@locked "):
                    break
            else:
                code, detail = session.wait(), stderr.read().strip()
                if code == LOCK_BUSY:
                    raise PublishFailed(
                        f"{self.describe()}/{LOCK} is held by {holder}: another publish is "
                        f"running; waited {self.lock_wait} s (SSH_LOCK_WAIT)")
                raise PublishFailed(f"locking {self.describe()} failed (exit {code}): "
                                    + " / ".join(detail.splitlines()[-3:]))
            threading.Thread(target=self._heartbeat, args=(stdin, stop), daemon=True).start()
            yield line[len("@locked "):].strip()
        finally:
            stop.set()
            stdin.close()  # the lock session ends and the server drops the lock
            try:
                session.wait(30)
            except subprocess.TimeoutExpired:
                session.kill()

    @staticmethod
    def _heartbeat(stdin: IO[str], stop: threading.Event) -> None:
        while not stop.wait(HEARTBEAT):
            try:
                stdin.write("beat\n")
                stdin.flush()
            except (OSError, ValueError):
                return

    def releases(self) -> tuple[list[str], str | None]:
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

    def current_manifest(self, current: str | None) -> Manifest | None:
        if not current:
            return None
        text = self.remote(f"cat releases/{current}.manifest.json 2>/dev/null || true",
                           "reading the current manifest")
        return Manifest.loads(text) if text.strip() else None

    def publish(self, output: Path, manifest: Manifest, dry_run: bool = False) -> Changes:
        with nullcontext() if dry_run else self.lock() as path:
            return self._publish(output, manifest, dry_run, path)

    def _publish(self, output: Path, manifest: Manifest, dry_run: bool, path: str | None
                 ) -> Changes:
        releases, current = self.releases()
        remote = self.current_manifest(current)
        if remote is not None and remote.digest() == manifest.digest():
            print(f"nothing to publish: {self.describe()}/current ({current}) is up to date")
            return Changes([], [], [], len(manifest))
        changes = manifest.compare(remote or {})
        print(f"{self.describe()}: {changes.summary()}"
              + ("" if remote is not None else " (no manifest on the server: uploading all)"))
        if dry_run:
            for line in changes.lines():
                print(line)
            return changes
        release = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + manifest.digest()[:8]
        incoming = f"{path}/releases/.incoming-{release}"
        link_dest = [f"--link-dest={path}/releases/{current}/"] if current else []
        sent = self.upload(output, f"{self.address}:{incoming}/", link_dest, changes, manifest)
        self.remote(
            f"cat > releases/{release}.manifest.json && mv {shlex.quote(incoming)} "
            f"releases/{release} && ln -sfn releases/{release} .current.new && "
            "mv -T .current.new current",
            "switching the current release", input=manifest.dumps(),
        )
        print(f"{self.describe()}/current -> releases/{release}")
        self.prune(release)
        old: Mapping[str, Entry] = remote or {}
        return Changes(sorted(p for p in sent if p not in old),
                       sorted(p for p in sent if p in old), changes.removed,
                       len(manifest) - len(sent))

    def upload(self, output: Path, destination: str, link_dest: list[str], changes: Changes,
               manifest: Manifest) -> dict[str, int]:
        """rsync the site into `destination`; return the site paths rsync really sent."""
        expected = changes.added + changes.changed
        command = ["rsync", "-rlc", "--delete", "--chmod=D755,F644", "--out-format=%i %l %n",
                   *link_dest, *self.rsync_options, "-e", shlex.join(self.ssh),
                   f"{output}/", destination]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        sent: dict[str, int] = {}
        other: list[str] = []
        assert process.stdout is not None  # a pipe, as asked
        for _ in progress(self._transfers(process.stdout, sent, other), "uploading",
                             total=len(expected), size=lambda path: sent[path],
                             total_size=changes.uploaded_bytes(manifest)):
            pass
        if process.wait():
            raise PublishFailed(f"uploading with rsync to {self.describe()} failed "
                                f"(exit {process.returncode}): " + " / ".join(other[-3:]))
        return sent

    @staticmethod
    def _transfers(stream: IO[bytes], sent: dict[str, int], other: list[str]) -> Iterator[str]:
        """Site paths of the files rsync reports sending (recorded with their sizes in
        `sent`); its other lines go to `other`."""
        for raw in stream:
            line = unescape(raw.rstrip(b"\n"))
            match = TRANSFER_RE.match(line)
            if match:
                sent[match.group(2)] = int(match.group(1))
                yield match.group(2)
            elif line.strip():
                other.append(line.strip())

    def prune(self, current: str) -> None:
        """Keep the newest SSH_KEEP_RELEASES releases; drop interrupted uploads."""
        releases, _ = self.releases()
        doomed = [name for name in releases[:-self.keep] if name != current]
        targets = " ".join(f"releases/{name} releases/{name}.manifest.json" for name in doomed)
        self.remote(f"rm -rf releases/.incoming-* {targets}", "removing old releases")
        if doomed:
            print(f"removed {len(doomed)} old release(s); kept {min(len(releases), self.keep)}")

    def rollback(self, to: str | None = None) -> str:
        """Point `current` at the release before it (or at `to`)."""
        with self.lock():
            return self._rollback(to)

    def _rollback(self, to: str | None) -> str:
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


def unescape(raw: bytes) -> str:
    r"""A line of rsync output as text: rsync writes bytes it deems unprintable as `\#ooo`."""
    return re.sub(rb"\\#([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]),
                  raw).decode("utf-8", "replace")
