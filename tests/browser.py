"""Headless Chromium (Debian's, driven by Playwright) against a site served on 127.0.0.1."""

import os
import shutil
from contextlib import contextmanager

import pytest

from newsdesk.check import CHROMIUM_ARGS
from newsdesk.preview import serve_folder

CHROMIUM = os.environ.get("NEWSDESK_CHROMIUM", "/usr/bin/chromium")
# The preview server and Chromium's flags are the project's own (newsdesk.preview, newsdesk.check).
serve = serve_folder


@contextmanager
def chromium():
    """A headless Chromium, or a skip when it is not installed (a failure in CI)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
