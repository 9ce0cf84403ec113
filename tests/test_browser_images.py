"""What a reader's browser fetches for the lead photo of an article."""

import pytest

from .browser import chromium, serve
from .conftest import ROOT, SEED_SR

pytestmark = pytest.mark.browser


def test_lead_photo_costs_at_most_a_third_of_the_original(site):
    original = (ROOT / "content/images/delegacija-beograd.jpg").stat().st_size
    with serve(site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        sizes = {}
        page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body()))
                if r.request.resource_type == "image" else None)
        page.goto(f"{base}/{SEED_SR.removesuffix('index.html')}", wait_until="networkidle")
        lead = page.eval_on_selector("figure.lead-figure img", "img => img.currentSrc")
        shown = page.eval_on_selector("figure.lead-figure img",
                                      "img => [img.clientWidth, img.naturalWidth]")
    assert lead.endswith(".webp"), lead
    fetched = sizes[lead]
    print(f"lead photo at 1600 px: {fetched} of {original} bytes "
          f"({fetched / original:.2f}), shown {shown[0]} px wide from {shown[1]} px")
    assert fetched <= original / 3
    assert shown[1] >= shown[0], "never blurrier than the screen needs"
