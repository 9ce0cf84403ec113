"""Machine translation against a real HTTP server on 127.0.0.1, through the engines' HTTP code."""

import datetime
import json
import os
import re
import shutil
import time

import pytest
from babel.messages.pofile import read_po, write_po
from PIL import Image

from newsdesk.providers import Provider, TranslationUnavailable
from newsdesk.transliterate import to_cyrillic

from .conftest import read_html, run_build, write_settings
from .fake_provider import FakeTranslationServer

pytestmark = pytest.mark.build

SR_ARTICLE = """Title: Vlada usvojila budžet za sledeću godinu
Date: 2024-03-01 10:00
Author: Jelena Ljubičić
Category: Politika
Tags: budžet, Srbija
Summary: Skupština će o predlogu raspravljati sledeće nedelje.
Image: {static}/images/photo.jpg
Caption: Sednica vlade u Beogradu. [Tanjug/ZORAN ŽESTIĆ]

Vlada je usvojila predlog budžeta, javlja
[agencija Tanjug](https://www.tanjug.rs/vest?id=7 "Tanjug") i **Pregled**.

Ministar je rekao da se u kodu `budget_total()` nalazi greška koju niko nije primetio.

## Šta sledi

- Rasprava u Skupštini
- Glasanje do kraja meseca

![Zgrada vlade u Beogradu]({static}/images/photo.jpg "Zgrada vlade. [Tanjug/ZORAN ŽESTIĆ]")

```
kod koji se ne prevodi
```

Više na https://www.pregled.example.org/budzet i u izveštaju EU.
"""

EN_ARTICLE = """Title: Parliament opens the debate
Date: 2024-03-02 10:00
Author: Marko Njegoš
Category: Politics
Tags: parliament

The debate starts on Monday.
"""

SEGMENTS = [  # what the Serbian article sends, each exactly once
    "Vlada usvojila budžet za sledeću godinu", "Skupština će o predlogu raspravljati sledeće "
    "nedelje.", "Sednica vlade u Beogradu.", "Šta sledi", "Rasprava u Skupštini",
    "Glasanje do kraja meseca", "Zgrada vlade u Beogradu", "Zgrada vlade.",
]
ARTICLE_URL = "en/2024/vest/index.html"


@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    (root / "articles").mkdir(parents=True)
    (root / "images").mkdir()
    (root / "translations").mkdir()
    Image.new("RGB", (64, 36), (90, 120, 150)).save(root / "images" / "photo.jpg")
    (root / "articles" / "vest.sr.md").write_text(SR_ARTICLE, encoding="utf-8")
    (root / "translations" / "do-not-translate.txt").write_text(
        "# names and terms sent back as written\nPregled\nEU\n", encoding="utf-8")
    return root


@pytest.fixture
def settings(tmp_path):
    return write_settings(tmp_path, MT_BACKOFF=0.01, MT_TIMEOUT=(1, 1), MT_RETRIES=2,
                          MT_BREAKER=3)


def build(content, tmp_path, server_url, settings, *flags, **env):
    env = {"MT_PROVIDER": "libre", "MT_URL": server_url, **env}
    result = run_build(content, tmp_path / "out", *flags, settings=settings, env=env)
    assert result.returncode == 0 or "--strict" in flags, result.stdout + result.stderr
    return result


def page(tmp_path, path=ARTICLE_URL):
    return read_html(tmp_path / "out" / path)


def memory(content, key="vest", target="en"):
    with open(content / "translations" / target / f"{key}.po", "rb") as fp:
        return read_po(fp)


def test_first_build_sends_each_segment_once_then_nothing(content, tmp_path, server, settings):
    build(content, tmp_path, server.url, settings)
    sent = server.texts()
    assert len(sent) == len(set(sent)), "a segment was sent twice"
    for segment in SEGMENTS:
        assert segment in sent, segment
    assert {"Politika", "budžet", "Srbija"} <= set(sent)  # category and tags, once each
    # protected markup and never-sent parts
    assert not any("https://" in t or "budget_total" in t or "kod koji" in t for t in sent)
    assert not any("ZORAN" in t for t in sent), "credits are never translated"
    html = page(tmp_path)
    assert html.h1.text == "EN: Vlada usvojila budžet za sledeću godinu"
    body = html.select_one(".story-body")
    link = body.find("a", href="https://www.tanjug.rs/vest?id=7")
    assert link is not None and link.text == "agencija Tanjug" and link["title"] == "Tanjug"
    assert body.find("strong").text == "Pregled"
    assert body.find("code").text == "budget_total()"
    assert body.find("pre").text.strip() == "kod koji se ne prevodi"
    assert "EU." in body.text and "https://www.pregled.example.org/budzet" in body.text
    assert html.select_one(".lead-figure .credit").text == "Tanjug/ZORAN ŽESTIĆ"
    assert html.select_one(".lead-figure figcaption").text.startswith("EN: Sednica vlade")
    assert html.select_one(".notice-mt strong").text == "Machine translation"
    assert html.select_one(".notice-mt a")["href"] == "/2024/vest/"
    assert "EN: Politika" in html.select_one(".kicker").text
    ld = json.loads(html.select_one('script[type="application/ld+json"]').string)
    assert ld["translationOfWork"] == {"@type": "NewsArticle", "inLanguage": "sr-Latn",
                                       "@id": "http://127.0.0.1:8000/2024/vest/"}
    entries = {m.id: m for m in memory(content) if m.id}
    assert entries["Šta sledi"].string == "EN: Šta sledi"
    assert "fuzzy" in entries["Šta sledi"].flags
    assert "provider: libre" in entries["Šta sledi"].auto_comments

    server.requests.clear()
    build(content, tmp_path, server.url, settings)
    assert server.texts() == [], "an unchanged rebuild sends nothing"


def test_editing_one_paragraph_sends_exactly_that_paragraph(content, tmp_path, server,
                                                            settings):
    build(content, tmp_path, server.url, settings)
    source = content / "articles" / "vest.sr.md"
    text = source.read_text(encoding="utf-8")
    # white space alone changes nothing
    source.write_text(text.replace("Rasprava u Skupštini", "Rasprava   u Skupštini  "),
                      encoding="utf-8")
    server.requests.clear()
    build(content, tmp_path, server.url, settings)
    assert server.texts() == []
    source.write_text(text.replace("Glasanje do kraja meseca", "Glasanje do kraja aprila"),
                      encoding="utf-8")
    build(content, tmp_path, server.url, settings)
    assert server.texts() == ["Glasanje do kraja aprila"]
    ids = {m.id for m in memory(content) if m.id}
    assert "Glasanje do kraja meseca" not in ids, "an unused machine entry is dropped"


def test_provider_down_then_up(content, tmp_path, settings):
    with FakeTranslationServer() as down:
        url = down.url
    result = build(content, tmp_path, url, settings)  # nothing listens there any more
    assert "pending" in result.stdout + result.stderr
    html = page(tmp_path)
    assert html.select_one(".notice-pending strong").text == "Translation pending"
    assert html.h1.text == "Vlada usvojila budžet za sledeću godinu"
    assert all(m.string == "" for m in memory(content) if m.id), "kept as pending"
    strict = build(content, tmp_path, url, settings, "--strict")
    assert strict.returncode == 1 and "pending, shown in the original language" in strict.stderr

    with FakeTranslationServer() as up:
        build(content, tmp_path, up.url, settings)
        html = page(tmp_path)
        assert not html.select(".notice-pending")
        assert html.h1.text.startswith("EN: ")
        assert html.select_one(".notice-mt")
        assert all(m.string.startswith("EN: ") for m in memory(content) if m.id), \
            "the answers replace the pending entries in the memory"
        asked = len(up.requests)
        assert build(content, tmp_path, up.url, settings, "--strict").returncode == 0
        assert len(up.requests) == asked, "answered from the memory, not asked again"


@pytest.mark.parametrize("script,requests", [([429, 500, "ok"], 3), ([503, "ok"], 2)])
def test_transient_errors_are_retried(content, tmp_path, server, settings, script, requests):
    server.script = list(script)
    build(content, tmp_path, server.url, settings)
    first = server.texts()[0]
    assert server.texts()[:requests] == [first] * requests
    assert page(tmp_path).h1.text.startswith("EN: ")


def test_a_hanging_provider_times_out_and_the_segment_waits(content, tmp_path, server,
                                                            settings):
    server.script = ["hang"] * 3
    server.hang_seconds = 4
    started = time.monotonic()
    result = build(content, tmp_path, server.url, settings)
    assert time.monotonic() - started < 30
    [warning] = warnings(result)
    assert re.search(r"failed: 127\.0\.0\.1:\d+ did not answer in time", warning), warning
    assert len(set(server.texts()[:3])) == 1, "a read timeout is retried"
    html = page(tmp_path)
    assert html.select_one(".notice-pending"), "the title waits for its translation"
    assert html.h1.text == "Vlada usvojila budžet za sledeću godinu"


@pytest.fixture
def libre(monkeypatch):
    """A LibreTranslate provider at the given address, whatever the environment says."""
    for name in ("MT_PROVIDER", "MT_URL", "MT_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return lambda url, **settings: Provider({"MT_PROVIDER": "libre", "MT_URL": url,
                                             "MT_TIMEOUT": (1, 0.5), "MT_BACKOFF": 0.01,
                                             **settings})


def test_a_stall_and_a_503_are_retried_and_each_attempt_counted_once(server, libre):
    server.script, server.hang_seconds = ["hang", 503, "ok"], 2
    mt = libre(server.url)
    started = time.monotonic()
    assert mt.translate("Đorđe Čović: škola", "sr-Latn", "en") == "EN: Đorđe Čović: škola"
    assert time.monotonic() - started < 1.8, "the stalled answer was not waited for"
    assert server.texts() == ["Đorđe Čović: škola"] * 3
    assert (mt.requests, mt.unreached, mt.chars_sent) == (3, 0, 3 * len("Đorđe Čović: škola"))


def test_retries_end_with_the_last_status_and_unreached_attempts_counted(server, libre):
    server.script = [503, 429, 502]
    mt = libre(server.url)
    with pytest.raises(TranslationUnavailable, match="^HTTP 502$"):
        mt.translate("Ćirilica", "sr-Latn", "en")
    assert (mt.requests, mt.unreached) == (3, 0)
    with FakeTranslationServer() as gone:
        url = gone.url
    mt = libre(url, MT_RETRIES=1)
    with pytest.raises(TranslationUnavailable, match="cannot reach 127.0.0.1:.*refused"):
        mt.translate("Ćirilica", "sr-Latn", "en")
    assert (mt.requests, mt.unreached, mt.chars_sent) == (0, 2, 0)


def test_malformed_answers_leave_the_segment_pending(content, tmp_path, server, settings):
    server.script = ["malformed"]
    build(content, tmp_path, server.url, settings)
    entries = {m.id: m.string for m in memory(content) if m.id}
    assert list(entries.values()).count("") == 1
    assert page(tmp_path).select_one(".notice-pending")


def test_script_in_an_answer_comes_out_escaped(content, tmp_path, server, settings):
    server.script = ["script"] * 20
    build(content, tmp_path, server.url, settings)
    html = page(tmp_path)
    assert [s.get("type") for s in html.select("script")] == ["application/ld+json"]
    assert re.search(r"<script>alert\(.x.\)</script> Vlada je usvojila",
                     html.select_one(".story-body").text)
    raw = (tmp_path / "out" / ARTICLE_URL).read_text(encoding="utf-8")
    assert "<script>alert" not in raw


def test_an_answer_that_breaks_markup_keeps_the_original(content, tmp_path, server, settings):
    # the third request is the first paragraph, whose link is placeholders 0 and 1
    texts = []
    server.script = []
    build(content, tmp_path, server.url, settings)
    texts = server.texts()
    link_paragraph = next(i for i, t in enumerate(texts) if "agencija Tanjug" in t)
    for path in (content / "translations").rglob("*.po"):
        path.unlink()
    server.requests.clear()
    server.script = ["ok"] * link_paragraph + ["break"]
    result = build(content, tmp_path, server.url, settings)
    assert "broke its markup" in result.stderr
    body = page(tmp_path).select_one(".story-body")
    link = body.find("a", href="https://www.tanjug.rs/vest?id=7")
    assert link is not None and body.find("p").text.startswith("Vlada je usvojila")
    assert " ".join(body.find("p").text.split()).endswith("i Pregled.")


def test_breaker_leaves_a_failing_provider_alone(content, tmp_path, server, settings):
    server.script = [500] * 100
    build(content, tmp_path, server.url, settings)
    # three segments, each tried three times (two retries), then nothing more
    assert len(server.requests) == 9


def test_character_budget(content, tmp_path, server, tmp_path_factory):
    settings = write_settings(tmp_path_factory.mktemp("s"), MT_BACKOFF=0.01,
                              MT_CHAR_BUDGET=60)
    result = build(content, tmp_path, server.url, settings)
    assert sum(len(t) for t in server.texts()) <= 60
    [warning] = warnings(result)
    assert "the character budget is spent (MT_CHAR_BUDGET = 60)" in warning
    left = re.search(r": (\d+) text\(s\), (\d+) characters, left pending", warning)
    assert left and int(left[1]) > 5 and int(left[2]) > 100, warning
    assert "run `invoke translate`" in warning and "raise MT_CHAR_BUDGET" in warning
    assert "0 error(s), 1 warning(s)" in result.stdout
    assert build(content, tmp_path, server.url, settings, "--strict").returncode == 1


def warnings(result):
    return [line for line in result.stderr.splitlines() if line.startswith("WARNING")]


@pytest.mark.parametrize("failure,reached", [
    ("unreachable", "0 of 9 request(s) reached it (0 characters)"),
    (500, "9 of 9 request(s) reached it ("),
])
def test_a_failing_provider_is_one_warning_naming_it(content, tmp_path, settings, failure,
                                                     reached):
    with FakeTranslationServer() as server:
        server.script = [failure] * 100
        url = server.url
        if failure == "unreachable":
            server.shutdown()
            server.server_close()
        result = build(content, tmp_path, url, settings)
    [warning] = warnings(result)  # one for the build, not one per segment
    why = "cannot reach 127.0.0.1:" if failure == "unreachable" else "HTTP 500"
    assert f"WARNING: machine translation (libre) failed: {why}" in warning, warning
    assert reached in warning, warning
    assert "3 text(s) failed, then it was left alone for the rest of the run" in warning
    assert re.search(r"; \d+ segment\(s\) pending", warning), warning
    assert "0 error(s), 1 warning(s)" in result.stdout
    sent = "0 characters sent in 0 requests (9 more did not reach it)"
    assert (sent in result.stdout) == (failure == "unreachable"), result.stdout
    strict = build(content, tmp_path, url, settings, "--strict")
    assert strict.returncode == 1 and "machine translation (libre) failed" in strict.stderr


def test_pending_translations_are_asked_for_again_by_the_next_build(content, tmp_path, server,
                                                                    settings):
    server.script = [503] * 18  # two builds: three segments, each tried three times
    for _ in range(2):
        result = build(content, tmp_path, server.url, settings)
        assert "Nothing changed" not in result.stdout
        assert page(tmp_path).select_one(".notice-pending")
    assert len(server.requests) == 18
    result = build(content, tmp_path, server.url, settings)  # the provider is back
    assert "Nothing changed" not in result.stdout, "pending pages are retried"
    html = page(tmp_path)
    assert not html.select(".notice-pending") and html.h1.text.startswith("EN: ")
    asked = len(server.requests)
    build(content, tmp_path, server.url, settings)
    assert len(server.requests) == asked, "translated: from the memory now"


def test_the_memory_writes_a_file_only_when_it_changes_and_the_same_bytes(content, tmp_path,
                                                                         server, settings):
    build(content, tmp_path, server.url, settings)
    path = content / "translations" / "en" / "vest.po"
    first = path.read_bytes()
    day = datetime.date.today().isoformat()
    assert f"PO-Revision-Date: {day} 00:00+0000".encode() in first, "dated by its entries"
    assert f"POT-Creation-Date: {day} 00:00+0000".encode() in first
    # the same article in another content folder, built from scratch: the same bytes
    other = tmp_path / "other"
    shutil.copytree(content, other)
    shutil.rmtree(other / "translations" / "en")
    run_build(other, tmp_path / "out2", settings=settings,
              env={"MT_PROVIDER": "libre", "MT_URL": server.url})
    assert (other / "translations" / "en" / "vest.po").read_bytes() == first

    # two runs record the same answer: the second finds it on disk and writes nothing
    from newsdesk.memory import MemoryFile

    runs = [MemoryFile(content / "translations", "vest", "en", "sr-Latn") for _ in range(2)]
    for run in runs:
        run.record("paragraph", "Novi pasus.", "EN: Novi pasus.", "libre")
    assert runs[0].save(drop_unused=False)
    written = path.stat()
    assert not runs[1].save(drop_unused=False), "nothing to change, so nothing written"
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (written.st_ino,
                                                             written.st_mtime_ns)


def test_reviewed_entries_are_kept_and_lose_the_label(content, tmp_path, server, settings):
    build(content, tmp_path, server.url, settings)
    path = content / "translations" / "en" / "vest.po"
    catalog = memory(content)
    for message in catalog:
        if message.id:
            message.string = message.string.replace("EN: ", "")
            message.flags.discard("fuzzy")
    catalog.get("Šta sledi", context="heading").string = "What comes next"
    with open(path, "wb") as fp:
        write_po(fp, catalog, width=100)
    # the source changes elsewhere: the provider is asked again, reviewed entries stay
    source = content / "articles" / "vest.sr.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "Rasprava u Skupštini", "Rasprava u Skupštini Srbije"), encoding="utf-8")
    server.requests.clear()
    build(content, tmp_path, server.url, settings)
    assert server.texts() == ["Rasprava u Skupštini Srbije"]
    html = page(tmp_path)
    assert html.find("h2", string="What comes next")
    assert html.select_one(".notice-mt"), "one segment is a machine's again"
    obsolete = memory(content).obsolete
    assert ("Rasprava u Skupštini", "item") in obsolete, "an editor's unused work stays, obsolete"
    catalog = memory(content)
    for message in catalog:
        message.flags.discard("fuzzy")
    with open(path, "wb") as fp:
        write_po(fp, catalog, width=100)
    build(content, tmp_path, server.url, settings)
    html = page(tmp_path)
    assert not html.select(".notice-mt"), "fully reviewed: no machine translation label"
    assert html.h1.text == "Vlada usvojila budžet za sledeću godinu"


def test_the_api_key_never_shows(content, tmp_path, server, settings):
    secret = "s3cr3t-KEY-value"
    server.script = [403] + [500] * 20
    result = build(content, tmp_path, server.url, settings, MT_API_KEY=secret)
    assert server.requests[0]["api_key"] == secret, "the key reaches the provider"
    assert secret not in result.stdout + result.stderr
    for path in [*(tmp_path / "out").rglob("*"), *content.rglob("*")]:
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_google_answers_in_cyrillic_are_made_latin(content, tmp_path, server, settings):
    (content / "articles" / "vest.sr.md").unlink()
    (content / "articles" / "story.en.md").write_text(EN_ARTICLE, encoding="utf-8")
    server.script = ["cyrillic"] * 10
    build(content, tmp_path, server.url + "m", settings, MT_PROVIDER="google")
    assert all(r["path"].startswith("/m?") for r in server.requests), "Google's web API"
    assert {r["target"] for r in server.requests} == {"sr"}
    html = page(tmp_path, "2024/story/index.html")
    assert html.h1.text == "SR: Prevedeno Parliament opens the debate"
    assert html.html["lang"] == "sr-Latn"
    assert html.select_one(".notice-mt strong").text == "Mašinski prevod"
    # translated once, then transliterated: the Cyrillic edition asks no provider
    cyrillic = page(tmp_path, "sr-cyrl/2024/story/index.html")
    assert cyrillic.h1.text == to_cyrillic(html.h1.text)
    assert cyrillic.h1.text.startswith("СР: Преведено")
    assert cyrillic.select_one(".notice-mt strong").text == "Машински превод"
    assert server.texts().count("Parliament opens the debate") == 1


def test_human_translation_replaces_the_machine_one_at_the_same_url(content, tmp_path, server,
                                                                    settings):
    build(content, tmp_path, server.url, settings)
    assert page(tmp_path).select_one(".notice-mt")
    (content / "articles" / "vest.en.md").write_text(
        "Title: Government adopts next year's budget\nDate: 2024-03-01 10:00\n"
        "Author: Jelena Ljubičić\nCategory: Politics\n\nA translation by a person.\n",
        encoding="utf-8")
    build(content, tmp_path, server.url, settings)
    html = page(tmp_path)
    assert html.h1.text == "Government adopts next year's budget"
    assert not html.select(".notice-mt, .notice-pending")


def test_translations_report(content, tmp_path, server, settings):
    import subprocess
    import sys

    from .conftest import ROOT

    (content / "articles" / "story.en.md").write_text(EN_ARTICLE, encoding="utf-8")
    (content / "articles" / "story.sr.md").write_text(
        EN_ARTICLE.replace("Parliament opens the debate", "Skupština otvara raspravu")
        .replace("Lang: en", ""), encoding="utf-8")
    build(content, tmp_path, server.url, settings)

    def report():
        out = subprocess.run(
            [sys.executable, "-m", "invoke", "translations", "--content", str(content)],
            cwd=ROOT, capture_output=True, text=True, env={"MT_PROVIDER": "none",
                                                           "PATH": "/usr/bin:/bin"})
        assert out.returncode == 0, out.stderr
        return {tuple(line.split()[:2]): line.split()[2] for line in out.stdout.splitlines()
                if line.strip()}

    states = report()
    assert states[("vest", "sr-Latn")] == "original"
    assert states[("vest", "en")] == "machine"
    assert states[("story", "en")] == "human"
    story = content / "articles" / "story.sr.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nA new paragraph.\n",
                     encoding="utf-8")
    assert report()[("story", "en")] == "outdated"


def test_killed_translate_leaves_readable_memory(content, tmp_path, server, settings):
    import signal
    import subprocess
    import sys

    from .conftest import ROOT

    # an editor has reviewed the title already
    po = content / "translations" / "en" / "vest.po"
    build(content, tmp_path, server.url, settings)
    catalog = memory(content)
    title = catalog.get("Vlada usvojila budžet za sledeću godinu", context="title")
    title.string, title.flags = "Reviewed title", set()
    with open(po, "wb") as fp:
        write_po(fp, catalog, width=100)
    source = content / "articles" / "vest.sr.md"
    for attempt in range(6):
        source.write_text(SR_ARTICLE + f"\nNovi pasus broj {attempt}.\n", encoding="utf-8")
        server.script = ["hang"]
        server.hang_seconds = 0.3
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsdesk.translate", "--content", str(content),
             "--settings", str(settings)], cwd=ROOT,
            env={"MT_PROVIDER": "libre", "MT_URL": server.url, "PATH": "/usr/bin:/bin"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.15 + 0.1 * attempt)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        catalog = memory(content)  # Babel can read it
        reviewed = catalog.get("Vlada usvojila budžet za sledeću godinu", context="title")
        assert reviewed.string == "Reviewed title" and not reviewed.fuzzy
    # the next run finishes the work and clears what a killed run left behind
    server.script = []
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk.translate", "--content", str(content),
         "--settings", str(settings)], cwd=ROOT, capture_output=True, text=True,
        env={"MT_PROVIDER": "libre", "MT_URL": server.url, "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert [p.name for p in po.parent.iterdir() if p.name.startswith(".")] == []
    assert memory(content).get("Novi pasus broj 5.", context="paragraph").string


@pytest.mark.parametrize("provider,path,code", [
    ("libre", "", "en"), ("google", "m", "en"), ("mymemory", "get", "langpair=sr-Latn-RS|en-GB"),
    ("microsoft", "translate?api-version=3.0", "en"),
])
def test_each_provider_gets_its_own_language_codes(content, tmp_path, server, settings, provider,
                                                   path, code):
    build(content, tmp_path, server.url + path, settings, MT_PROVIDER=provider)
    sent = server.requests[0]
    assert sent["target"] == code or code in sent["path"].replace("%7C", "|")
    assert page(tmp_path).h1.text == "EN: Vlada usvojila budžet za sledeću godinu"


def test_the_glossary_names_categories_and_tags(content, tmp_path, server, settings):
    glossary = content / "translations" / "en" / "glossary.po"
    glossary.parent.mkdir(parents=True)
    glossary.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                        'msgctxt "category"\nmsgid "Politika"\nmsgstr "Politics"\n\n'
                        'msgctxt "tag"\nmsgid "budžet"\nmsgstr "budget"\n', encoding="utf-8")
    build(content, tmp_path, server.url, settings)
    assert "Politika" not in server.texts() and "budžet" not in server.texts()
    assert "Srbija" in server.texts(), "a name missing from the glossary is translated"
    html = page(tmp_path)
    assert html.select_one(".kicker a").text == "Politics"
    assert [a.text for a in html.select(".tags a")] == ["budget", "EN: Srbija"]
    assert (tmp_path / "out" / "en/category/politics/index.html").is_file()


def test_two_runs_at_once_lose_nothing(content, tmp_path, server, settings):
    import subprocess
    import sys

    from .conftest import ROOT

    env = {"MT_PROVIDER": "libre", "MT_URL": server.url, "PATH": "/usr/bin:/bin"}
    runs = [subprocess.Popen([sys.executable, "-m", "newsdesk.translate", "--content",
                              str(content), "--settings", str(settings)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert all("segments" in out and "characters sent" in out for out in outputs), outputs
    entries = {m.id: m.string for m in memory(content) if m.id}
    assert entries and all(entries.values()), entries


def test_translations_in_the_memory_are_made_on_several_processes(content, tmp_path, server):
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"), READ_WORKERS=2,
                              PREFETCH_MIN=1)
    articles = content / "articles"
    (articles / "drugi.sr.md").write_text(SR_ARTICLE.replace(
        "Vlada usvojila budžet", "Opština usvojila budžet"), encoding="utf-8")
    build(content, tmp_path, server.url, settings)
    (articles / "treci.sr.md").write_text(EN_ARTICLE.replace("Lang: en\n", "").replace(
        "Parliament opens the debate", "Skupština otvara raspravu"), encoding="utf-8")
    shutil.rmtree(tmp_path / "cache")  # the stage's own memo would answer before the workers
    server.requests.clear()

    result = build(content, tmp_path, server.url, settings, "--verbose")
    log = result.stdout + result.stderr
    assert "2 of 3 translation(s) made from the memory on 2 processes" in log, log
    sent = server.texts()
    assert "Skupština otvara raspravu" in sent
    assert not set(SEGMENTS) & set(sent), "what the memory has is not sent again"
    assert page(tmp_path).h1.text == "EN: Vlada usvojila budžet za sledeću godinu"
    assert page(tmp_path, "en/2024/drugi/index.html").h1.text.startswith("EN: Opština")
    assert page(tmp_path, "en/2024/treci/index.html").h1.text == "EN: Skupština otvara raspravu"
    stats = re.search(r"(\d+) segments, (\d+) from memory", log)
    assert int(stats[1]) - int(stats[2]) == len(set(sent) - {"Politics", "parliament"}), log


@pytest.mark.parametrize("env,line", [
    ({"MT_PROVIDER": "deepl"}, "MT_PROVIDER 'deepl' (in the environment) is not one of google, "
                               "microsoft, mymemory, libre, none"),
    ({"MT_PROVIDER": "libre"}, "MT_PROVIDER is libre but MT_URL is not set"),
])
def test_a_provider_that_cannot_work_is_one_line_in_every_task(content, tmp_path, settings, env,
                                                               line):
    import subprocess
    import sys

    from .conftest import ROOT

    def run(*args):
        return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT), **env})

    def said(result, prefix):
        printed = result.stdout + result.stderr
        assert "Traceback" not in printed, printed
        found = [ln for ln in printed.splitlines() if line in ln]
        assert len(found) == 1 and found[0].startswith(prefix + line), printed

    preview = run_build(content, tmp_path / "out", settings=settings, env=env)
    said(preview, "ERROR: ")  # the rest of the site is built from the memory
    assert preview.returncode == 0 and "1 error(s)" in preview.stdout
    assert page(tmp_path).select_one(".notice-pending")
    strict = run_build(content, tmp_path / "out", "--strict", settings=settings, env=env)
    assert strict.returncode == 1
    said(strict, "ERROR: ")
    translate = run("invoke", "translate", "--content", str(content))
    assert translate.returncode == 1 and translate.stdout == ""
    assert len(translate.stderr.splitlines()) == 1
    said(translate, "error: ")
    report = run("invoke", "translations", "--content", str(content))
    assert report.returncode == 0 and "vest" in report.stdout
    said(report, "warning: ")
    published = run("newsdesk.publish", "--target", "ssh", "--dry-run", "--content",
                    str(content))
    assert published.returncode == 1
    said(published, "error: not published: ")


def test_a_file_saved_with_a_byte_order_mark_is_translated_whole(content, tmp_path, server,
                                                                 settings):
    """The stage reads an article's header as the reader does: a byte order mark (as some
    Windows editors save) hides no field."""
    (content / "articles" / "vest.sr.md").write_text("\ufeff" + SR_ARTICLE, encoding="utf-8")
    build(content, tmp_path, server.url, settings)
    assert page(tmp_path).h1.text == "EN: Vlada usvojila budžet za sledeću godinu"
    assert server.texts().count("Vlada usvojila budžet za sledeću godinu") == 1


def human_pair(content, key, day, category_sr, category_en):
    articles = content / "articles"
    (articles / f"{key}.sr.md").write_text(
        f"Title: Sednica {key}\nDate: 2024-02-{day:02d} 10:00\nAuthor: Đorđe Šćekić\n"
        f"Category: {category_sr}\n\nPoslanici su raspravljali o zakonu.\n", encoding="utf-8")
    (articles / f"{key}.en.md").write_text(
        f"Title: Session {key}\nDate: 2024-02-{day:02d} 10:00\nAuthor: Đorđe Šćekić\n"
        f"Category: {category_en}\nTranslation: true\n\nMPs debated the law.\n",
        encoding="utf-8")


def test_categories_pair_up_by_the_most_articles_in_the_stage_and_the_switcher(
        content, tmp_path, server, settings):
    """One article pairs Politika with World, two with Politics: the machine translation
    and the category page's language switcher both take Politics."""
    human_pair(content, "a-sednica", 3, "Politika", "World")
    human_pair(content, "b-sednica", 4, "Politika", "Politics")
    human_pair(content, "c-sednica", 5, "Politika", "Politics")
    build(content, tmp_path, server.url, settings)
    assert page(tmp_path).select_one(".kicker a").text == "Politics"
    assert "Politika" not in server.texts()
    switcher = page(tmp_path, "kategorija/politika/index.html").select_one(
        'a[hreflang="en"]')
    assert switcher["href"].rstrip("/").endswith("en/category/politics")


def test_a_translation_names_the_latin_original_when_both_scripts_are_written(
        content, tmp_path, server, settings):
    """Of a Latin and a Cyrillic version written by hand, the Latin one is the original for
    the translation stage and for the translation's page alike."""
    versions = {
        "sr": "Title: Izbori u Čačku\nAuthor: Željko Đurić\nCategory: Politika\n\n"
              "Glasanje je počelo u sedam.",
        "sr-cyrl": "Title: Избори у Чачку\nAuthor: Жељко Ђурић\nCategory: Политика\n\n"
                   "Гласање је почело у седам.",
        "en": "Title: Elections in Čačak\nAuthor: Željko Đurić\nCategory: Politics\n"
              "Translation: true\n\nVoting began at seven.",
    }
    for lang, text in versions.items():
        (content / "articles" / f"izbori.{lang}.md").write_text(
            f"Date: 2024-02-10 10:00\n{text}\n", encoding="utf-8")
    build(content, tmp_path, server.url, settings)
    html = page(tmp_path, "en/2024/izbori/index.html")
    data = json.loads(html.select_one('script[type="application/ld+json"]').string)
    assert data["translationOfWork"]["inLanguage"] == "sr-Latn"
    assert data["translationOfWork"]["@id"].endswith("/2024/izbori/")
    notes = (content / "translations" / "en" / "izbori.po").read_text(encoding="utf-8")
    assert "# human-translation: izbori.en.md" in notes


def test_memory_files_are_written_whole_with_the_usual_permissions(content, tmp_path, server,
                                                                   settings):
    """A memory file is replaced in one step and is as readable as any file the user makes
    (the umask's permissions), so others in the newsroom can read what the build wrote."""
    build(content, tmp_path, server.url, settings)
    umask = os.umask(0)
    os.umask(umask)
    po = content / "translations" / "en" / "vest.po"
    assert po.stat().st_mode & 0o777 == 0o666 & ~umask
    assert not [p.name for p in po.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_run_of_many_saves_clears_each_memory_folder_of_killed_runs_files_once(tmp_path):
    """A memory folder holds a file per article: a run that saves many clears what killed
    runs left in it at its first save there, not at every save (quadratic); a single save (the
    review desk's) clears its file's own."""
    from newsdesk.memory import MemoryFile

    dead = 2**22 + 1  # above any pid Linux gives
    folder = tmp_path / "translations" / "en"
    folder.mkdir(parents=True)
    swept: set = set()
    for n, key in enumerate(("a", "b")):
        stale = folder / f".{key}.po.{dead}.{n}.tmp"
        stale.write_bytes(b"half")
        memory = MemoryFile(folder.parent, key, "en", "sr-Latn", swept=swept)
        memory.record("title", "Naslov", "Title", "test")
        assert memory.save()
        assert stale.exists() == (key == "b"), key
    memory = MemoryFile(folder.parent, "b", "en", "sr-Latn")
    memory.record("title", "Naslov", "Headline", "test")
    assert memory.save()
    assert not list(folder.glob(".*.tmp"))
