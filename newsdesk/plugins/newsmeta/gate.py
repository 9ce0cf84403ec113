"""What is published from the content folder besides articles: files inside it, of the types
the site serves, never through a link to a file outside it.

Settings (defaults in brackets):
- STATIC_FILE_TYPES [photos, PDF, plain text and CSV]: the file name endings published from
  STATIC_PATHS; any other file there (`.env`, `.svg`) is a warning and stays unpublished.
"""

import logging
import os
from collections.abc import Mapping
from typing import Any

from newsdesk.paths import PathRefused, is_within, link_leading_out, writable
from newsdesk.report import where

log = logging.getLogger(__name__)

STATIC_FILE_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".pdf", ".txt",
                     ".csv")


def drop_outside_links(generator: Any) -> None:
    """{static} links that lead outside the content folder or to no file are not read as
    static files (the article that has them is reported by newsmeta.metadata)."""
    root = generator.path
    links = generator.context["static_links"]
    links.difference_update({link for link in links if not is_within(root, link)
                             or not os.path.isfile(os.path.join(root, link))})


def publishable_static_files(generator: Any) -> None:
    """Leave out of the static files every one the site must not publish, each reported once."""
    settings = generator.settings
    root = generator.path
    types = tuple(settings.get("STATIC_FILE_TYPES", STATIC_FILE_TYPES))
    reported: set[str] = set()
    kept = []
    for static in generator.staticfiles:
        relative = static.get_relative_source_path()
        problem = _problem(root, relative, static, settings, types)
        if problem is None:
            kept.append(static)
            continue
        level, subject, text = problem
        if subject not in reported:
            reported.add(subject)
            log.log(level, "%s: %s", subject, text)
        generator.context["static_content"].pop(relative, None)
    generator.staticfiles[:] = kept


def _problem(root: str, relative: str, static: Any, settings: Mapping[str, Any],
             types: tuple[str, ...]) -> tuple[int, str, str] | None:
    """(log level, what to name, what is wrong) for a static file not to publish, or None."""
    link = link_leading_out(root, relative)
    if link:
        return (logging.ERROR, where(os.path.join(root, link)),
                "a link to a file outside the content folder; not published")
    if not is_within(root, relative):
        return logging.ERROR, relative, "outside the content folder; not published"
    path = os.path.join(root, relative)
    if not os.path.isfile(path):
        what = (f"a link to '{os.readlink(path)}', which is no file" if os.path.islink(path)
                else "gone while the build read it")
        return logging.ERROR, where(path), f"{what}; not published"
    try:
        writable(settings, os.path.join(settings["OUTPUT_PATH"], static.save_as))
    except PathRefused:
        return (logging.ERROR, where(static.source_path),
                f"would be published outside the site as '{static.save_as}'; not published")
    if not relative.lower().endswith(types):
        return (logging.WARNING, where(static.source_path),
                f"not published: only {', '.join(types)} files are published from "
                f"{', '.join(settings['STATIC_PATHS'])}")
    return None
