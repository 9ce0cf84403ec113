"""python -m newsdesk.publish --target ssh|s3|gh-pages [--dry-run] | rollback [--to ID]"""

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pelican.log import init as init_logging

from ..secrets import redact_output
from . import TARGETS, PublishFailed, publish, rollback


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsdesk.publish",
                                     description="Build, check and publish the site.")
    parser.add_argument("--target", choices=sorted(TARGETS), default="ssh")
    parser.add_argument("--settings", type=Path, help="settings file (default: publishconf.py)")
    parser.add_argument("--content", type=Path, help="content folder (default: PATH setting)")
    parser.add_argument("--dry-run", action="store_true", help="list what would change")
    parser.add_argument("--skip-checks", default="", help="site checks to leave out: vnu, axe")
    parser.add_argument("--rollback", action="store_true",
                        help="switch back to the previous release instead (ssh)")
    parser.add_argument("--to", help="with --rollback: the release to switch to")
    args = parser.parse_args(argv)
    redact_output()  # every line below, the build's log and tracebacks included
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    init_logging(level=logging.WARNING, handler=handler)
    try:
        if args.rollback:
            rollback(args.target, settings_file=args.settings, to=args.to)
        else:
            publish(args.target, content=args.content, settings_file=args.settings,
                    dry_run=args.dry_run,
                    skip_checks=[name for name in args.skip_checks.split(",") if name])
    except PublishFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # an unexpected failure gets one line too
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
