"""The review desk in Chromium: an editor's review reaches the rebuilt page; the desk is
axe-clean, works from the keyboard, and without JavaScript."""

import pytest
from babel.messages.pofile import read_po

from newsdesk.check import AXE_TAGS
from newsdesk.review.words import LANGUAGES

from .browser import chromium
from .conftest import build_folder, copy_content, read_html, run_build, write_settings
from .review_desk import REVIEWER, desk_alone, preview

pytestmark = pytest.mark.browser

LINKED = ("već nekoliko dodatnih smena i grejanje",
          "već [nekoliko dodatnih smena](https://bgb.rs/smene) i grejanje")
CORRECTED = ("Longer opening hours need no new buildings, only ⟦0⟧a few extra shifts⟦1⟧ and "
             "heating. Cities in the region that tried it report reading rooms full until "
             "midnight.")
EXPLAINER = "/_review/sr-Latn/eu-growth-plan-explainer/"


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS},
               "rules": {"target-size": {"enabled": True}}}
    result = Axe().run(page, options=options)
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in
            result.response["violations"]]


def test_an_editor_corrects_a_paragraph_approves_the_article_and_the_label_goes(tmp_path,
                                                                                 server):
    content = copy_content(tmp_path, complete=False)
    article = content / "articles/2024/citaonice-nocu.sr.md"
    article.write_text(article.read_text(encoding="utf-8").replace(*LINKED), encoding="utf-8")
    output = tmp_path / "output"
    filled = run_build(content, output, env={"MT_PROVIDER": "libre", "MT_URL": server.url})
    assert filled.returncode == 0, filled.stdout + filled.stderr
    english = next(p for p in output.glob("en/2024/*/index.html")
                   if "EN: Svake večeri" in p.read_text(encoding="utf-8"))
    assert read_html(english).select(".notice-mt"), "machine-translated, labelled"
    po = content / "translations/en/citaonice-nocu.po"
    settings = write_settings(build_folder(output))
    with preview(tmp_path, content, output, settings) as (base, lines), chromium() as browser:
        page = browser.new_page()
        page.goto(f"{base}/_review/?edition=en&ui=en")
        page.get_by_role("link", name="Neka čitaonice rade do ponoći").click()
        segment = page.locator("li.segment", has_text="Produženo radno vreme")
        assert segment.locator("mark.kept").count() == 2, "the link is marked in the original"
        assert "⟦0⟧nekoliko dodatnih smena⟦1⟧" in segment.locator("textarea").input_value()
        segment.locator("textarea").fill(CORRECTED)
        segment.get_by_role("button", name="Save and approve").click()
        page.wait_for_url("**done=saved**")
        assert "Saved; the preview is rebuilt." in page.locator("[role=status]").inner_text()
        page.get_by_role("button", name="Approve the whole article").click()
        page.wait_for_url("**done=approved**")
        assert page.locator(".segment .state-machine").count() == 0
        english = next(p for p in output.glob("en/2024/*/index.html")
                       if "EN: Svake večeri" in p.read_text(encoding="utf-8"))
        page.goto(f"{base}/{english.relative_to(output).parent.as_posix()}/")
        body = page.locator(".story").inner_text()
        assert "Longer opening hours need no new buildings, only a few extra shifts" in body
        link = page.get_by_role("link", name="a few extra shifts")
        assert link.get_attribute("href") == "https://bgb.rs/smene"
        assert page.locator(".notice-mt").count() == 0, "reviewed: no machine label"
    with po.open("rb") as fp:
        catalog = read_po(fp, abort_invalid=True)
    corrected = next(m for m in catalog if m.id.startswith("Produženo radno vreme"))
    assert corrected.string == CORRECTED.replace("⟦0⟧", "[").replace(
        "⟦1⟧", "](https://bgb.rs/smene)")
    assert all("fuzzy" not in m.flags for m in catalog if m.id)
    assert f"Reviewed-by: {REVIEWER}" in po.read_text(encoding="utf-8")


def test_the_desk_is_axe_clean_in_every_language_and_works_from_the_keyboard(tmp_path):
    content = copy_content(tmp_path)
    po = content / "translations/sr-Latn/eu-growth-plan-explainer.po"
    with desk_alone(content, write_settings(tmp_path)) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for ui in LANGUAGES:
            for path in ("/_review/?state=all", EXPLAINER):
                page.goto(f"{base}{path}{'&' if '?' in path else '?'}ui={ui}")
                assert page.locator("html").get_attribute("lang") == ui
                assert axe_violations(page) == [], (ui, path)
        page.goto(f"{base}{EXPLAINER}?ui=en")
        field = page.locator("li.segment", has_text="Critics say").locator("textarea")
        field_id = field.get_attribute("id")
        for _ in range(300):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == field_id:
                break
        else:
            pytest.fail("Tab never reached the segment's field")
        page.keyboard.press("Control+A")
        page.keyboard.type("Kritičari kažu da je novca malo; pristalice — da podstiče reforme.")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Save and approve"
        page.keyboard.press("Enter")
        page.wait_for_url("**done=saved**")
        assert axe_violations(page) == [], "the page after a save"
        field = page.locator("li.segment", has_text="Critics say").locator("textarea")
        field.fill("")
        field.press("Control+Enter")  # the script's shortcut; the error is shown in place
        page.wait_for_load_state()
        assert page.locator("[role=alert]").inner_text() == "Write a translation first."
        assert axe_violations(page) == [], "the page with an error"
    assert "Kritičari kažu da je novca malo; pristalice — da podstiče reforme." in \
        po.read_text(encoding="utf-8")


def test_the_forms_work_with_javascript_off(tmp_path):
    content = copy_content(tmp_path)
    po = content / "translations/sr-Latn/eu-growth-plan-explainer.po"
    with desk_alone(content, write_settings(tmp_path)) as base, chromium() as browser:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{base}{EXPLAINER}?ui=sr-Cyrl")
        segment = page.locator("li.segment", has_text="Critics say")
        segment.locator("textarea").fill("Критичари кажу да је новца мало.")
        segment.get_by_role("button", name="Сачувај и одобри").click()
        page.wait_for_url("**done=saved**")
        page.get_by_role("button", name="Одобри цео чланак").click()
        page.wait_for_url("**done=approved**")
        assert page.locator("[role=status]").inner_text().startswith("Одобрено сегмената")
    with po.open("rb") as fp:
        catalog = read_po(fp, abort_invalid=True)
    saved = next(m for m in catalog if m.id.startswith("Critics say"))
    assert saved.string == "Kritičari kažu da je novca malo.", "the Latin edition's script"
    assert "fuzzy" not in saved.flags
