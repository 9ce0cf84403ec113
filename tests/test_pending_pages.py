"""Pages waiting for their translation show the original as written, and the Cyrillic edition
is Cyrillic throughout: outlet names, kickers, and no original put through a converter."""

import re

import pytest

from .conftest import ROOT, copy_content, read_html, run_build

ORIGINAL = {
    "title": "City approves tram network expansion",
    "summary": "The assembly backed three new lines to Novi Beograd and Zemun.",
    "body": "Đorđe Balašević reports that the city assembly approved the expansion of the "
            "tram network on Tuesday, with work to start in spring.",
    "caption": "A tram on Brankov most at rush hour.",
    "credit": "Tanjug/Žarko Šćekić",
    "alt": "A red tram crossing a bridge over the Sava",
}
ENGLISH_ONLY = f"""Title: {ORIGINAL["title"]}
Date: 2024-02-12 10:00
Author: Đorđe Balašević
Category: News
Tags: trams, Novi Beograd
Type: news
Summary: {ORIGINAL["summary"]}
Image: {{static}}/images/metro-tunel.jpg
Caption: {ORIGINAL["caption"]} [{ORIGINAL["credit"]}]
Alt: {ORIGINAL["alt"]}

{ORIGINAL["body"]}

Passengers will get new night lines on weekdays.
"""
# written in Cyrillic, with no Source: the byline names the outlet
CYRILLIC_ORIGINAL = """Title: Народно позориште отвара сезону премијером
Date: 2024-02-13 09:30
Author: Ђорђе Балашевић
Category: Вести
Tags: позориште
Type: news
Summary: Сезона почиње у суботу.

Народно позориште у Београду отвара нову сезону у суботу.
"""
# The memory knows the English title and category, not the rest: the page still waits.
MEMORY = """# article: tramvajska-mreza
# source-language: en
# target-language: sr-Latn
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"

msgctxt "title"
msgid "City approves tram network expansion"
msgstr "Grad odobrio proširenje tramvajske mreže"
"""
GLOSSARY_ENTRY = """
msgctxt "category"
msgid "News"
msgstr "Vesti"
"""
PENDING = {"sr-Latn": "2024/tramvajska-mreza/index.html",
           "sr-Cyrl": "sr-cyrl/2024/tramvajska-mreza/index.html"}
OUTLET = {"sr-Latn": "Pregled", "sr-Cyrl": "Преглед"}
SECTION = {"sr-Latn": "Vesti", "sr-Cyrl": "Вести"}
LATIN = re.compile(r"[A-Za-zČčĆćĐđŠšŽž]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Latin that belongs in the Cyrillic edition's text: URLs, domains, e-mail addresses
ADDRESS = re.compile(r"\S+://\S+|[\w.+-]+@[\w.-]+|\b[\w-]+(?:\.[a-z]{2,})+\b")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pending")
    content = copy_content(tmp, complete=True)
    articles = content / "articles" / "2024"
    (articles / "tramvajska-mreza.en.md").write_text(ENGLISH_ONLY, encoding="utf-8")
    (articles / "narodno-pozoriste.sr-Cyrl.md").write_text(CYRILLIC_ORIGINAL, encoding="utf-8")
    memory = content / "translations" / "sr-Latn"
    (memory / "tramvajska-mreza.po").write_text(MEMORY, encoding="utf-8")
    with open(memory / "glossary.po", "a", encoding="utf-8") as fp:
        fp.write(GLOSSARY_ENTRY)
    output = tmp / "output"
    result = run_build(content, output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.mark.build
@pytest.mark.parametrize("edition", ["sr-Latn", "sr-Cyrl"])
def test_a_page_waiting_for_translation_shows_the_original_as_written(built, edition):
    page = read_html(built / PENDING[edition])
    assert page.html["lang"] == edition
    assert page.select_one(".notice-pending")
    assert page.h1.text == ORIGINAL["title"] and page.h1["lang"] == "en", \
        "the original's title, not the one translation the memory has"
    assert page.title.text.startswith(ORIGINAL["title"] + " | ")
    standfirst = page.select_one(".standfirst")
    assert standfirst.text == ORIGINAL["summary"] and standfirst["lang"] == "en"
    body = page.select_one(".story-body")
    assert body["lang"] == "en" and body.p.text == ORIGINAL["body"]
    figure = page.select_one(".lead-figure")
    assert figure["lang"] == "en"
    assert figure.figcaption.text.strip().startswith(ORIGINAL["caption"])
    assert figure.select_one(".credit").text == ORIGINAL["credit"]
    assert figure.img["alt"] == ORIGINAL["alt"]
    author = page.select_one(".byline [rel=author], .byline span:not(.source)")
    assert author.text == "Đorđe Balašević" and author["lang"] == "en"
    if author.name == "a":  # the edition's page of the author
        prefix = "/sr-cyrl" if edition == "sr-Cyrl" else ""
        assert author["href"] == f"{prefix}/autor/djordje-balasevic/"
    source = page.select_one(".byline .source")
    assert source.text == OUTLET[edition] and not source.get("lang")
    # a category the glossary translates is the edition's; tags still untranslated are not
    kicker = page.select_one(".story-header .kicker").find(["a", "span"])
    assert kicker.text == SECTION[edition] and not kicker.get("lang")
    tags = page.select(".tags li > *")
    assert [(t.text, t.get("lang")) for t in tags] == [("trams", "en"), ("Novi Beograd", "en")]


@pytest.mark.build
@pytest.mark.parametrize("edition", ["sr-Latn", "sr-Cyrl"])
def test_a_page_waiting_for_translation_is_not_for_search_engines(built, edition):
    page = read_html(built / PENDING[edition])
    assert page.select_one('meta[name=robots]')["content"] == "noindex"
    assert not page.select("link[rel=alternate][hreflang]")
    url = "http://127.0.0.1:8000/" + PENDING[edition].removesuffix("index.html")
    for sitemap in built.glob("*sitemap*.xml"):
        assert url not in sitemap.read_text(encoding="utf-8"), sitemap.name
    english = read_html(built / "en/2024/tramvajska-mreza/index.html")
    assert not english.select('meta[name=robots]')
    assert {link["hreflang"] for link in english.select("link[rel=alternate][hreflang]")} \
        <= {"en", "x-default"}


@pytest.mark.build
def test_the_cyrillic_edition_names_its_outlet_in_cyrillic(built):
    cyrillic = read_html(built / "sr-cyrl/2024/narodno-pozoriste/index.html")
    assert cyrillic.select_one(".byline .source").text == "Преглед"
    assert cyrillic.select_one(".byline a").text == "Ђорђе Балашевић"
    latin = read_html(built / "2024/narodno-pozoriste/index.html")
    assert latin.select_one(".byline .source").text == "Pregled"
    syndicated = read_html(built / "sr-cyrl/2024/srbija-i-rusija-obecale-dublju-saradnju/"
                                   "index.html")
    assert syndicated.select_one(".byline .source").text == "Euractiv.rs", "a Source as given"


CYRILLIC_PAGES = [
    "sr-cyrl/index.html", "sr-cyrl/kategorija/vesti/index.html",
    "sr-cyrl/autor/djordje-balasevic/index.html", "sr-cyrl/arhiva/2024/02/index.html",
    "sr-cyrl/2024/narodno-pozoriste/index.html", "sr-cyrl/2024/beogradski-metro-tunel/index.html",
    PENDING["sr-Cyrl"],
]


def visible_latin(page, keep):
    """Latin words a reader sees in a Cyrillic page, but for what belongs there: text marked
    in another language or translate="no", photo credits, addresses and the keep-as-written
    names."""
    body = page.body
    for element in body.select('script, style, [translate="no"], .credit'):
        element.decompose()
    for element in body.select("[lang]"):
        if element["lang"] != "sr-Cyrl":
            element.decompose()
    text = ADDRESS.sub(" ", " ".join(body.stripped_strings))
    for name in keep:
        text = text.replace(name, " ")
    return sorted({word for word in text.split() if LATIN.search(word)})


@pytest.mark.build
def test_the_cyrillic_edition_is_cyrillic_but_for_originals(built):
    keep_list = ROOT / "content/translations/keep-as-written.txt"
    keep = [line.strip() for line in keep_list.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    problems = {}
    for path in CYRILLIC_PAGES:
        page = read_html(built / path)
        converted = [element.text for element in page.body.select('[lang="en"]')
                     if CYRILLIC.search(element.text)]  # an original through the converter
        latin = visible_latin(page, keep)
        if converted or latin:
            problems[path] = converted + latin
    assert problems == {}


def kickers(page):
    return [" ".join(k.text.split()) for k in page.select(".teaser .kicker")]


@pytest.mark.build
def test_kickers_say_a_word_once(built):
    latin = kickers(read_html(built / "index.html"))
    cyrillic = kickers(read_html(built / "sr-cyrl/index.html"))
    english = kickers(read_html(built / "en/index.html"))
    assert latin[0] == "Vesti" and cyrillic[0] == "Вести", "not Vest · Vesti"
    assert english[0] == "News", "not News · News"
    assert "Analiza · Energetika" in latin and "Анализа · Енергетика" in cyrillic
    assert all(not LATIN.search(kicker) for kicker in cyrillic), cyrillic


@pytest.mark.parametrize(("label", "section", "same"), [
    ("Vest", "Vesti", True), ("Вест", "Вести", True), ("News", "News", True),
    ("Analiza", "Analize", True), ("Intervju", "Intervjui", True), ("Opinion", "Opinions", True),
    ("Vest", "Vesna", False), ("Vest", "Politika", False), ("Analysis", "Economy", False),
])
def test_a_kicker_tells_one_word_in_two_forms(label, section, same):
    from newsdesk.plugins.editions.templating import same_word

    assert same_word(label, section) is same
