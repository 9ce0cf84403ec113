"""The review desk (/_review/ of the preview): editors review the memory segment by segment."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup

from newsdesk.review.editing import editable, made_safe
from newsdesk.segments import (
    BrokenMarkup,
    image_title_text,
    markdown_text,
    protect,
    restore,
    table_cell_text,
)

from .conftest import ROOT, build_folder, copy_content, run_build, write_settings
from .review_desk import REVIEWER, desk_alone, request, segment_forms, token_of

EXPLAINER = "/_review/sr-Latn/eu-growth-plan-explainer/"
MACHINE_PARAGRAPH = "Critics say the amounts are small"
CORRECTED_SR = ("Kritičari kažu da su iznosi mali u odnosu na potrebe regiona; pristalice "
                "odgovaraju da vezivanje novca za rezultate jača reformatore u svakoj vladi.")


def memory_files(content):
    return {p: p.read_bytes() for p in sorted((content / "translations").rglob("*"))
            if p.is_file()}


def read_memory(po):
    with po.open("rb") as fp:
        return read_po(fp, abort_invalid=True)


def edited_in_poedit(po, strings):
    """Entries of a memory file changed as a translator does in Poedit: {(context, start of the
    msgid): msgstr}, each left a machine translation ("Needs work")."""
    catalog = read_memory(po)
    for message in catalog:
        for (context, start), string in strings.items():
            if message.context == context and message.id.startswith(start):
                message.string = string
                message.flags.add("fuzzy")
    with po.open("wb") as fp:
        write_po(fp, catalog, width=100)


def segment_item(page, original_start):
    """The `li.segment` of a review page whose original starts so."""
    return next(li for li in BeautifulSoup(page, "html.parser").select("li.segment")
                if li.select_one(".original .text, .original .diff").get_text().startswith(
                    original_start))


def explainer_form(base):
    status, _, page = request(base, EXPLAINER)
    assert status == 200, page
    forms = segment_forms(page)
    fields = next(f for text, f in forms.items() if text.startswith(MACHINE_PARAGRAPH))
    return {**fields, "token": token_of(page), "action": "save", "text": CORRECTED_SR}


# -- what the editor writes, and back -----------------------------------------------------------


@pytest.mark.parametrize("quote", [markdown_text, table_cell_text, image_title_text])
def test_what_the_editor_sees_is_text_and_goes_back_as_the_build_writes_it(quote):
    original = "Cena je 5 * 3 € za [ulaznice](https://bgb.rs/karte) u `Zrenjanin` | **Čačak**"
    tokens = protect(original, {"Čačak"})[1]
    answer = ("Price: 5 * 3 € & <i>AT&T</i> [sic] for ⟦0⟧tickets⟦1⟧ in ⟦2⟧ | ⟦3⟧⟦4⟧⟦5⟧ "
              "\\ #1")
    translation = restore(answer, tokens, quote)
    shown = editable(translation, tokens, quote)
    assert shown == answer, "placeholders for the protected parts, the rest as written"
    assert made_safe(shown, tokens, quote) == translation
    with pytest.raises(BrokenMarkup):
        made_safe(shown.replace("⟦1⟧", ""), tokens, quote)


def test_a_review_replaces_an_earlier_review_on_disk(tmp_path):
    from newsdesk.memory import MemoryFile

    build = MemoryFile(tmp_path, "most-sabac", "en", "sr-Latn")
    build.record("title", "Šabac dobija novi most", "EN: Šabac dobija novi most", "libre")
    build.save()
    first = MemoryFile(tmp_path, "most-sabac", "en", "sr-Latn")
    first.review("title", "Šabac dobija novi most", "Šabac gets a bridge",
                 "Reviewed-by: Đorđe Šćekić, 2026-12-01T10:00+01:00")
    first.save(drop_unused=False)
    second = MemoryFile(tmp_path, "most-sabac", "en", "sr-Latn")
    second.review("title", "Šabac dobija novi most", "A new bridge for Šabac",
                  "Reviewed-by: Milica Jovanović, 2026-12-01T11:30+01:00")
    assert second.save(drop_unused=False)
    with (tmp_path / "en" / "most-sabac.po").open("rb") as fp:
        entry = read_po(fp).get("Šabac dobija novi most", context="title")
    assert entry.string == "A new bridge for Šabac" and "fuzzy" not in entry.flags
    assert entry.user_comments == ["Reviewed-by: Milica Jovanović, 2026-12-01T11:30+01:00"]
    assert entry.auto_comments[0] == "provider: libre", "the provider is still named"


# -- refused writes ----------------------------------------------------------------------------


@pytest.mark.build
def test_writes_without_the_token_from_a_foreign_host_or_naming_a_path_are_refused(tmp_path):
    content = copy_content(tmp_path)
    before = memory_files(content)
    rebuilds = []
    with desk_alone(content, write_settings(tmp_path), rebuilds) as base:
        good = explainer_form(base)
        port = base.rsplit(":", 1)[1]
        status, _, page = request(base, "/_review/", host=f"pregled.example.rs:{port}")
        assert status == 421 and good["token"] not in page, "DNS rebinding reads no token"
        refused = [
            ({k: v for k, v in good.items() if k != "token"}, None, None, 403),
            ({**good, "token": "pogresan-" + good["token"][9:]}, None, None, 403),
            ({**good, "token": ""}, None, None, 403),
            (good, f"pregled.example.rs:{port}", None, 421),
            (good, f"127.0.0.1.nip.io:{port}", None, 421),
            (good, "127.0.0.1", None, 421),
            (good, None, "http://zlonameran.example", 403),
            ({**good, "key": "../../../../etc/passwd"}, None, None, 404),
            ({**good, "key": "/etc/passwd"}, None, None, 404),
            ({**good, "key": str(content / "translations" / "sr-Latn" / "glossary")},
             None, None, 404),
            ({**good, "key": "glossary"}, None, None, 404),
            ({**good, "key": "nema-takvog-clanka"}, None, None, 404),
            ({**good, "key": "citaonice-nocu"}, None, None, 404),  # no sr-Latn translation
            ({**good, "edition": "../../../tmp"}, None, None, 404),
            ({**good, "edition": "sr-Cyrl"}, None, None, 404),
            ({**good, "segment": "../../etc/passwd"}, None, None, 404),
            ({**good, "segment": "glossary.po"}, None, None, 404),
        ]
        for fields, host, origin, expected in refused:
            status, _, page = request(base, "/_review/save", fields, host=host, origin=origin)
            assert status == expected, (fields, host, origin, status, page)
        assert memory_files(content) == before and rebuilds == []
        assert not list(tmp_path.rglob("passwd")), "nothing written outside the memory"
        status, headers, _ = request(base, "/_review/save", good, origin=base)
        assert status == 303, "the same form with its token, host and fields is saved"
    changed = [p for p, data in memory_files(content).items() if before.get(p) != data]
    assert changed == [content / "translations/sr-Latn/eu-growth-plan-explainer.po"]
    assert rebuilds == [changed]


@pytest.mark.build
def test_a_killed_save_leaves_the_memory_file_valid_and_as_it_was(tmp_path):
    content = copy_content(tmp_path)
    settings = write_settings(tmp_path)
    po = content / "translations/sr-Latn/eu-growth-plan-explainer.po"
    before = po.read_bytes()
    script = f"""
import os, signal
from pathlib import Path
from pelican.settings import read_settings
import newsdesk.atomic
from newsdesk.review.desk import Desk

def killed(fd):
    os.kill(os.getpid(), signal.SIGKILL)  # the file is written, not yet in place

newsdesk.atomic.os.fsync = killed
settings = read_settings({str(settings)!r}, override={{"PATH": {str(content)!r}}})
desk = Desk(settings, Path({str(content)!r}), "Milica Jovanović")
review = desk.article("sr-Latn", "eu-growth-plan-explainer")
segment = next(s for s in review.segments if s.state == "machine")
desk.save("sr-Latn", "eu-growth-plan-explainer", segment.ident, {CORRECTED_SR!r}, segment.stamp)
"""
    killed = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert killed.returncode == -9, killed.stderr
    assert list(po.parent.glob(".eu-growth-plan-explainer.po.*.tmp")), "killed mid-write"
    assert po.read_bytes() == before
    with po.open("rb") as fp:
        read_po(fp, abort_invalid=True)
    with desk_alone(content, settings) as base:  # the next save clears what it left
        assert request(base, "/_review/save", explainer_form(base))[0] == 303
    assert not list(po.parent.glob(".*.tmp"))
    assert CORRECTED_SR[:40] in po.read_text(encoding="utf-8")


@pytest.mark.build
def test_text_saved_as_shown_approves_what_a_po_editor_wrote_byte_for_byte(tmp_path):
    content = copy_content(tmp_path)
    po = content / "translations/sr-Latn/eu-growth-plan-explainer.po"
    paragraph = ("Novac se ne isplaćuje odjednom: svaka zemlja ima „reformsku agendu” & plan "
                 "<b>mera</b>.")
    heading = "Šta to znači za <i>Srbiju</i> & region?"
    edited_in_poedit(po, {("paragraph", "The money is not paid"): paragraph,
                          ("heading", "What it means"): heading})
    with desk_alone(content, write_settings(tmp_path)) as base:
        status, _, page = request(base, EXPLAINER)
        fields = next(f for text, f in segment_forms(page).items()
                      if text.startswith("The money is not paid"))
        assert fields["text"] == paragraph, "shown as the translator wrote it"
        saved = request(base, "/_review/save",
                        {**fields, "token": token_of(page), "action": "save"})
        assert saved[0] == 303, saved
        entry = read_memory(po).get(next(m.id for m in read_memory(po)
                                         if m.id.startswith("The money")), context="paragraph")
        assert entry.string == paragraph, "approved as stored, not escaped again"
        assert "fuzzy" not in entry.flags
        assert entry.user_comments[-1].startswith(f"Reviewed-by: {REVIEWER}, ")
        before = {(m.context, m.id): m.string for m in read_memory(po) if m.id}
        assert request(base, "/_review/save", {
            "token": token_of(page), "edition": "sr-Latn", "key": "eu-growth-plan-explainer",
            "action": "approve-all"})[0] == 303
    catalog = read_memory(po)
    assert {(m.context, m.id): m.string for m in catalog if m.id} == before
    assert not [m for m in catalog if m.id and "fuzzy" in m.flags]
    assert catalog.get("What it means for Serbia", context="heading").string == heading


@pytest.mark.build
def test_cyrillic_typed_for_the_latin_edition_is_saved_in_latin(tmp_path):
    content = copy_content(tmp_path)
    memory = content / "translations/sr-Latn"
    with desk_alone(content, write_settings(tmp_path)) as base:
        status, _, page = request(base, EXPLAINER)
        forms = segment_forms(page)
        for original, typed in (("What it means for Serbia", "Шта то значи за Србију?"),
                                ("economy", "економија & финансије")):
            answer = request(base, "/_review/save", {**forms[original], "token": token_of(page),
                                                     "action": "save", "text": typed})
            assert answer[0] == 303, answer
    heading = read_memory(memory / "eu-growth-plan-explainer.po").get(
        "What it means for Serbia", context="heading")
    assert heading.string == "Šta to znači za Srbiju?"
    tag = read_memory(memory / "glossary.po").get("economy", context="tag")
    assert tag.string == "ekonomija & finansije" and "fuzzy" not in tag.flags


@pytest.mark.build
def test_a_save_from_an_out_of_date_page_keeps_the_editors_text(tmp_path):
    content = copy_content(tmp_path)
    po = content / "translations/sr-Latn/eu-growth-plan-explainer.po"
    meanwhile = "Kritičari kažu da je novca malo; pristalice — da podstiče reformatore."
    with desk_alone(content, write_settings(tmp_path)) as base:
        old = explainer_form(base)
        other_tab = {**old, "text": meanwhile}
        assert request(base, "/_review/save", other_tab)[0] == 303
        status, _, page = request(base, "/_review/save", {**old, "ui": "en"})
        assert status == 409
        item = segment_item(page, MACHINE_PARAGRAPH)
        assert item.select_one("textarea").get_text() == CORRECTED_SR, "nothing typed is lost"
        assert item.select_one(".stored").get_text() == meanwhile
        assert "Your text is kept in the field" in item.select_one("[role=alert]").get_text()
        again = segment_forms(page)[item.select_one(".original .text").get_text()]
        assert request(base, "/_review/save", {**again, "token": token_of(page),
                                               "action": "save"})[0] == 303
    assert read_memory(po).get(next(m.id for m in read_memory(po) if m.id.startswith(
        MACHINE_PARAGRAPH)), context="paragraph").string == CORRECTED_SR


@pytest.mark.build
def test_a_desk_address_of_no_article_is_a_plain_not_found_page(tmp_path):
    content = copy_content(tmp_path)
    with desk_alone(content, write_settings(tmp_path)) as base:
        for path, heading in (("/_review/sr-Latn/nema-takvog-clanka/", "Nije pronađeno"),
                              ("/_review/sr-Latn/nema-takvog-clanka/?ui=en", "Not found"),
                              ("/_review/sr-Cyrl/eu-growth-plan-explainer/", "Није пронађено"),
                              ("/_review/en/eu-growth-plan-explainer/", "Not found"),  # original
                              ("/_review/sr-Latn/a/b/c?ui=en", "Not found")):
            status, _, page = request(base, path)
            soup = BeautifulSoup(page, "html.parser")
            assert status == 404 and soup.h1.get_text() == heading, (path, soup.h1)
            assert soup.title.get_text().startswith(heading)


# -- pending and outdated ----------------------------------------------------------------------


@pytest.mark.build
def test_a_pending_segment_is_written_by_hand_or_sent_to_the_provider(tmp_path, server,
                                                                      monkeypatch):
    monkeypatch.setenv("MT_PROVIDER", "libre")
    monkeypatch.setenv("MT_URL", server.url)
    content = copy_content(tmp_path, complete=False)
    po = content / "translations/en/citaonice-nocu.po"
    path = "/_review/en/citaonice-nocu/"
    with desk_alone(content, write_settings(tmp_path, MT_RETRIES=0)) as base:
        status, _, page = request(base, path)
        assert status == 200 and "Waiting for a translation" in page
        forms = segment_forms(page)
        title = forms["Neka čitaonice rade do ponoći"]
        first = next(f for t, f in forms.items() if t.startswith("Svake večeri"))
        second = next(f for t, f in forms.items() if t.startswith("Produženo"))
        token = token_of(page)
        answer = request(base, "/_review/save", {**title, "token": token, "action": "save",
                                                 "text": "Let reading rooms stay open <late>"})
        assert answer[0] == 303
        assert server.texts() == [], "a human translation asks no provider"
        answer = request(base, "/_review/save", {**first, "token": token, "action": "send"})
        assert answer[0] == 303 and "done=sent" in answer[1]["Location"]
        assert server.texts() == [next(t for t in forms if t.startswith("Svake večeri"))]
        server.script = [500] * 5
        status, _, page = request(base, "/_review/save",
                                  {**second, "token": token, "action": "send"})
        assert status == 502 and "The provider gave no translation" in page
    with po.open("rb") as fp:
        catalog = read_po(fp, abort_invalid=True)
    human = catalog.get("Neka čitaonice rade do ponoći", context="title")
    assert human.string == "Let reading rooms stay open <late>" and "fuzzy" not in human.flags
    assert human.user_comments[0].startswith(f"Reviewed-by: {REVIEWER}, 20")
    sent = next(m for m in catalog if m.id.startswith("Svake večeri"))
    assert sent.string.startswith("EN: Svake večeri") and "fuzzy" in sent.flags
    assert "provider: libre" in sent.auto_comments
    assert not any(m.string for m in catalog if m.id.startswith("Produženo")), "still pending"


@pytest.mark.build
def test_an_outdated_segment_shows_the_change_of_its_original(tmp_path):
    content = copy_content(tmp_path)
    article = content / "articles/2024/eu-growth-plan-explainer.en.md"
    old = "The money is not paid out at once."
    article.write_text(article.read_text(encoding="utf-8").replace(
        old, "The money is not paid out in one go, but in six instalments."), encoding="utf-8")
    output = tmp_path / "output"
    assert run_build(content, output).returncode == 0  # no provider: the new text waits
    with desk_alone(content, write_settings(build_folder(output))) as base:
        status, _, page = request(base, EXPLAINER + "?ui=en")
        soup = BeautifulSoup(page, "html.parser")
        item = next(li for li in soup.select("li.segment") if li.select(".diff"))
        assert item.select_one(".state").get_text() == "Original changed"
        assert [d.get_text() for d in item.select("del")] == ["[removed: at once.]"]
        assert [i.get_text() for i in item.select("ins")] == [
            "[added: in one go, but in six instalments.]"]
        assert item.select_one(".previous").get_text().startswith("Novac se ne isplaćuje")
        assert item.select_one("textarea").get_text().startswith("Novac se ne isplaćuje"), \
            "the old reviewed translation to start from"
        fields = segment_forms(page)[item.select_one(".diff").get_text()]
        text = "Novac se ne isplaćuje odjednom, već u šest rata."
        assert request(base, "/_review/save", {**fields, "token": token_of(page),
                                               "action": "save", "text": text})[0] == 303
        page = request(base, EXPLAINER + "?ui=en")[2]
    reviewed = next(li for li in BeautifulSoup(page, "html.parser").select("li.segment")
                    if "six instalments" in li.select_one(".original").get_text())
    assert reviewed.select_one(".state").get_text() == "Reviewed"
    assert not reviewed.select(".diff")


@pytest.mark.build
def test_an_article_is_counted_and_listed_in_every_state_it_has_a_segment_in(tmp_path):
    content = copy_content(tmp_path)
    article = content / "articles/2024/eu-growth-plan-explainer.en.md"
    text = article.read_text(encoding="utf-8").replace(
        "The money is not paid out at once.",
        "The money is not paid out in one go, but in six instalments.")
    article.write_text(text + "\nThe first instalment is due in spring, after Brussels "
                       "checks the reforms.\n", encoding="utf-8")
    output = tmp_path / "output"
    assert run_build(content, output).returncode == 0  # no provider: the new text waits
    with desk_alone(content, write_settings(build_folder(output))) as base:
        soup = BeautifulSoup(request(base, "/_review/?ui=en")[2], "html.parser")
        counts = {li.select_one(".state")["class"][1].removeprefix("state-"):
                  int(li.strong.get_text()) for li in soup.select("ul.counts li")}
        for state, count in counts.items():
            listed = BeautifulSoup(request(base, f"/_review/?state={state}&ui=en")[2],
                                   "html.parser").select("tbody tr")
            assert len(listed) == count, (state, count, [r.get_text() for r in listed])
            if state in ("pending", "outdated"):
                rows = [r for r in listed if "Growth Plan" in r.get_text()]
                assert rows, f"the explainer has a segment {state} and is listed so"
                assert rows[0].select("td")[2].select_one(f".state-{state}")
    assert counts["pending"] >= 1 and counts["outdated"] >= 1
    assert "counted in every state" in soup.select_one("#counts-title + p").get_text()


# -- the published site ------------------------------------------------------------------------


@pytest.mark.build
def test_the_built_site_holds_nothing_of_the_desk(site):
    for path in Path(site).rglob("*"):
        if path.is_file():
            assert b"_review" not in path.read_bytes(), path
