"""Publish the site: a strict build with publishconf.py, the site checks, then the upload.

Nothing is uploaded unless the build has no warning or error and `invoke check` finds no
problem (after a passing check of the same folder: in what changed since, newsdesk.check).
Each target keeps readers on a whole site while it uploads; see its module.
"""

import time
from pathlib import Path

from pelican.settings import read_settings

from .. import fingerprint
from ..build import BuildFailed, build
from ..providers import configuration_problem
from ..secrets import files_with_secrets
from .errors import PublishFailed
from .ghpages import GhPagesTarget
from .s3 import S3Target
from .ssh import SshTarget

TARGETS = {target.name: target for target in (SshTarget, S3Target, GhPagesTarget)}
DEFAULT_SETTINGS = Path("publishconf.py")  # in the site folder

__all__ = ["PublishFailed", "TARGETS", "publish", "rollback"]


def load_settings(settings_file=None):
    settings_file = Path(settings_file or DEFAULT_SETTINGS).resolve()
    if not settings_file.is_file():
        raise PublishFailed(f"{settings_file}: settings file not found")
    return settings_file, read_settings(str(settings_file))


def make_target(name, settings):
    if name not in TARGETS:
        raise PublishFailed(f"unknown target {name!r}; choose one of: {', '.join(TARGETS)}")
    return TARGETS[name](settings)


def publish(target_name, *, content=None, settings_file=None, dry_run=False, skip_checks=()):
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
    for problem in problems:
        print(problem)
    print(report.summary(problems))
    if problems:
        raise PublishFailed(f"not published: the site check found {len(problems)} problem(s)")
    manifest = report.manifest
    start = time.monotonic()
    changes = target.publish(output, manifest, dry_run=dry_run)
    if not dry_run:
        print(changes.report(manifest, time.monotonic() - start))
    return changes


def rollback(target_name="ssh", *, settings_file=None, to=None):
    """Put the previous release (or `to`) back in front of readers."""
    _, settings = load_settings(settings_file)
    target = make_target(target_name, settings)
    if not hasattr(target, "rollback"):
        raise PublishFailed(f"the {target_name} target keeps no releases to roll back to; "
                            "publish the older content again instead")
    return target.rollback(to)
