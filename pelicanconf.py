"""Settings of the example site in content/: Pregled's defaults (newsdesk/defaults.py) as they are.

A site of its own keeps a pelicanconf.py like this one beside its content/ folder and sets
below the import what differs (SITENAME, SITEURL, FEED_DOMAIN, NEWSLETTER_ACTION, …): every
setting, its default and what it does are in docs/settings.md.
"""

from newsdesk.defaults import *  # noqa: F403

SITENAME = "Pregled"  # "Преглед" in the Cyrillic edition
NEWSLETTER_ACTION = "https://lists.example.org/subscribe/pregled"
