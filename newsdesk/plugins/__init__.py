"""The project's Pelican plugins, named in PLUGINS by their dotted names (newsdesk.defaults)."""
