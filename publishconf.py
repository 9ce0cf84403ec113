"""Settings for publishing: the local settings with the public address."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://pregled.example.org")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
