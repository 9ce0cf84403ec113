"""Publish the site: a strict build with publishconf.py, the site checks, then the upload.

Nothing is uploaded unless the build has no warning or error and `invoke check` finds no
problem (after a passing check of the same folder: in what changed since, newsdesk.check).
Each target keeps readers on a whole site while it uploads; see its module.
"""

import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from pelican.settings import read_settings

from .. import fingerprint
from ..build import BuildFailed, build
from ..providers import configuration_problem
from ..secrets import files_with_secrets
from .errors import PublishFailed
from .ghpages import GhPagesTarget
from .manifest import Changes, Manifest
from .s3 import S3Target
from .ssh import SshTarget


class Target(Protocol):
    """Where a site is published: ssh, s3 or gh-pages."""

    name: str

    def publish(self, output: Path, manifest: Manifest, dry_run: bool = False) -> Changes: ...


TARGETS: dict[str, Callable[[Mapping[str, Any]], Target]] = {
    target.name: target for target in (SshTarget, S3Target, GhPagesTarget)}
DEFAULT_SETTINGS = Path("publishconf.py")  # in the site folder

__all__ = ["PublishFailed", "TARGETS", "publish", "rollback"]


def load_settings(settings_file: Path | str | None = None) -> tuple[Path, dict[str, Any]]:
    settings_file = Path(settings_file or DEFAULT_SETTINGS).resolve()
    if not settings_file.is_file():
        raise PublishFailed(f"{settings_file}: settings file not found")
    return settings_file, read_settings(str(settings_file))


def make_target(name: str, settings: Mapping[str, Any]) -> Target:
    if name not in TARGETS:
        raise PublishFailed(f"unknown target {name!r}; choose one of: {', '.join(TARGETS)}")
    return TARGETS[name](settings)


def publish(target_name: str, *, content: Path | str | None = None,
            settings_file: Path | str | None = None, dry_run: bool = False,
            skip_checks: Iterable[str] = ()) -> Changes:
    """Build, check and upload; return what changed (every target reports it as Changes and
    the summary line is printed here). Raise PublishFailed if nothing was published."""
    from ..check import run_checks

    settings_file, settings = load_settings(settings_file)
    target = make_target(target_name, settings)  # a missing setting fails before the build
    problem = configuration_problem(settings)
    if problem:
        raise PublishFailed(f"not published: {problem}")
    output = Path(settings["OUTPUT_PATH"])
    if not output.is_absolute():
        output = settings_file.parent / output
    code = fingerprint.site_code(settings)  # before the build, which changes some values
    try:
        build(content, output, settings_file=settings_file, strict=True)
    except BuildFailed as exc:
        raise PublishFailed(f"not published: {exc}") from None
    leaked = files_with_secrets(output)
    if leaked:
        raise PublishFailed(f"not published: {len(leaked)} file(s) hold a secret from the "
                            f"environment (a password in SITEURL?), first {output / leaked[0]}")
    origin = settings["SITEURL"] or settings["FEED_DOMAIN"]
    report, problems = run_checks(output, origin, skip=set(skip_checks), settings=settings,
                                  code=code)
    for found in problems:
        print(found)
    print(report.summary(problems))
    if problems:
        raise PublishFailed(f"not published: the site check found {len(problems)} problem(s)")
    manifest = report.manifest
    assert manifest is not None  # run_checks gives the folder's
    start = time.monotonic()
    changes = target.publish(output, manifest, dry_run=dry_run)
    if not dry_run:
        print(changes.report(manifest, time.monotonic() - start))
    return changes


def rollback(target_name: str = "ssh", *, settings_file: Path | str | None = None,
             to: str | None = None) -> str:
    """Put the previous release (or `to`) back in front of readers."""
    _, settings = load_settings(settings_file)
    target = make_target(target_name, settings)
    if not hasattr(target, "rollback"):
        raise PublishFailed(f"the {target_name} target keeps no releases to roll back to; "
                            "publish the older content again instead")
    return target.rollback(to)
