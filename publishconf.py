"""Settings for publishing: the local settings with the public address and upload targets.

`invoke publish --target ssh|s3|gh-pages` builds with this file (strictly), checks the site and
uploads it. Every value below can be set from the environment, so CI needs no edits; secrets
(keys, tokens) are read only from the environment or ssh-agent, never from this file.
"""

import os
import shlex
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: F403


def env(name, default=None):
    """The environment's value of `name`; unset or empty: `default` (CI passes unset
    variables as empty strings)."""
    return os.environ.get(name) or default


def env_int(name, default):
    value = os.environ.get(name) or str(default)
    if not value.strip().isdigit():
        raise ValueError(f"{name}={value!r} in the environment: not a whole number")
    return int(value)


SITEURL = env("SITEURL", "https://pregled.example.org")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
OUTPUT_PATH = "public"  # kept apart from output/, the preview build

# ssh: rsync into SSH_TARGET_DIR/releases/<id>/, then `current` -> that release (mv -T).
# The web server's document root is SSH_TARGET_DIR/current. Keys come from ssh-agent or
# ~/.ssh; SSH_OPTIONS adds ssh arguments and RSYNC_OPTIONS rsync's, from the environment as
# one shell-quoted line each (PUBLISH_SSH_OPTIONS="-i /path/key -o UserKnownHostsFile=/path").
SSH_HOST = env("PUBLISH_SSH_HOST", "pregled.example.org")
SSH_PORT = env_int("PUBLISH_SSH_PORT", 22)
SSH_USER = env("PUBLISH_SSH_USER", "deploy")
SSH_TARGET_DIR = env("PUBLISH_SSH_DIR", "/srv/pregled")
SSH_KEEP_RELEASES = env_int("PUBLISH_SSH_KEEP", 5)
# One publish at a time per target (flock on SSH_TARGET_DIR/.publish.lock, util-linux); another
# waits this many seconds for it, then stops.
SSH_LOCK_WAIT = env_int("PUBLISH_SSH_LOCK_WAIT", 600)
SSH_OPTIONS = shlex.split(env("PUBLISH_SSH_OPTIONS", ""))
RSYNC_OPTIONS = shlex.split(env("PUBLISH_RSYNC_OPTIONS", ""))

# s3: any S3-compatible storage; S3_ENDPOINT_URL None means AWS. Credentials: boto3's chain
# (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE, an instance role).
S3_BUCKET = env("PUBLISH_S3_BUCKET", "pregled-site")
S3_PREFIX = env("PUBLISH_S3_PREFIX", "")
S3_ENDPOINT_URL = env("PUBLISH_S3_ENDPOINT_URL") or None
S3_REGION = env("PUBLISH_S3_REGION") or env("AWS_DEFAULT_REGION") or "eu-central-1"
S3_WORKERS = 8
# CloudFront distribution whose changed pages are invalidated after an upload; None: off.
S3_CLOUDFRONT_DISTRIBUTION = env("PUBLISH_CLOUDFRONT_DISTRIBUTION") or None
CLOUDFRONT_ENDPOINT_URL = None  # None: AWS's own
# (pattern, Cache-Control) pairs, first match wins; None: newsdesk.publish.headers' defaults
# (a year for fingerprinted images and search chunks, 5 minutes for pages and feeds).
PUBLISH_CACHE_CONTROL = None

# gh-pages: the site as one commit on a branch, with .nojekyll and an optional CNAME.
GITHUB_PAGES_REPO = env("PUBLISH_GITHUB_PAGES_REPO", "")
GITHUB_PAGES_BRANCH = env("PUBLISH_GITHUB_PAGES_BRANCH", "gh-pages")
GITHUB_PAGES_CNAME = env("PUBLISH_GITHUB_PAGES_CNAME") or None
GITHUB_PAGES_TOKEN_VAR = "GITHUB_TOKEN"  # the variable holding a token for HTTPS remotes

del env, env_int, shlex
