"""Rebuilds after an edit: only the pages and search shards that show it are made again."""

import json
import os
import shutil
import zlib

import pytest
from babel.messages.pofile import read_po, write_po

from newsdesk import pagecache
from newsdesk.build import replace_folder
from newsdesk.plugins.search import page_ids

from .conftest import ROOT, copy_content, read_html, run_build, tree, write_settings

SOURCE = "articles/2024/beogradski-metro-tunel.sr.md"
PAGES = {"sr-Latn": "2024/beogradski-metro-tunel/index.html",
         "sr-Cyrl": "sr-cyrl/2024/beogradski-metro-tunel/index.html",
         "en": "en/2024/belgrade-metro-tunnel-boring-begins/index.html"}


def inodes(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_ino
            for p in folder.rglob("*") if p.is_file()}


def shard(key, shards=8):
    return zlib.crc32(key.encode()) % shards


def build(content, output, settings, *flags):
    result = run_build(content, output, *flags, settings=settings)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.build
def test_an_edit_renders_only_the_pages_that_show_it_and_gives_the_full_site(tmp_path):
    content = copy_content(tmp_path, complete=True)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    output = tmp_path / "out"
    build(content, output, settings)
    before = inodes(output)
    source = content / SOURCE
    source.write_text(source.read_text(encoding="utf-8") + "\nSasvim nov pasus o tunelu.\n",
                      encoding="utf-8")
    build(content, output, settings)
    after = inodes(output)

    pages = [name for name in after if name.endswith(".html")]
    rendered = {name for name in pages if before.get(name) != after[name]}
    assert {PAGES["sr-Latn"], PAGES["sr-Cyrl"]} <= rendered
    assert "Sasvim nov pasus o tunelu." in (output / PAGES["sr-Latn"]).read_text()
    assert "Сасвим нов пасус о тунелу." in (output / PAGES["sr-Cyrl"]).read_text()
    assert PAGES["en"] not in rendered, "the English version shows nothing that changed"
    unrelated = "2024/festival-nauke-novi-sad/index.html"
    assert unrelated in after and unrelated not in rendered
    assert len(rendered) < len(pages) / 3, (len(rendered), len(pages))

    # Search: no shard is indexed again. The new version of the article is indexed in its
    # edition's recent bundle; the old one, still in its shard, is listed as superseded.
    for prefix in ("", "sr-cyrl/", "en/"):
        root = output / f"{prefix}pagefind"
        manifest = json.loads((root / "shards.json").read_text())
        shards = [b for b in manifest["bundles"] if b != "recent/"]
        assert len(shards) > 1
        for bundle in shards:
            entry = f"{prefix}pagefind/{bundle}pagefind-entry.json"
            assert before[entry] == after[entry], entry
        url = "/" + PAGES["en" if prefix == "en/" else ("sr-Cyrl" if prefix else "sr-Latn")]
        url = url.removesuffix("index.html")
        if prefix == "en/":
            assert manifest == {"bundles": shards, "superseded": {}}, "nothing changed there"
            continue
        assert manifest["bundles"][-1] == "recent/"
        assert set(page_ids(root / "recent")) == {url}
        shard_holding = page_ids(root / f"{shard('beogradski-metro-tunel')}")
        assert manifest["superseded"] == {shard_holding[url]: url}

    # The rebuilt site is the site a full build makes.
    build(content, tmp_path / "full", settings, "--force")
    assert tree(output) == tree(tmp_path / "full")


@pytest.mark.build
def test_a_page_that_logged_a_warning_is_rendered_again_and_warns_again(tmp_path):
    content = copy_content(tmp_path, complete=True)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    with open(settings, "a", encoding="utf-8") as fp:
        fp.write("import logging\n\n\ndef warn(value):\n"
                 "    logging.getLogger('theme').warning('template says: %s', value)\n"
                 "    return ''\n\n\nJINJA_FILTERS = {'warn': warn}\n")
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "newsdesk" / "theme", theme)
    article = theme / "templates" / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}"
        "{% if article.key == 'festival-nauke-novi-sad' %}{{ article.slug|warn }}{% endif %}",
        1), encoding="utf-8")
    with open(settings, "a", encoding="utf-8") as fp:
        fp.write(f"THEME = {str(theme)!r}\n")
    output = tmp_path / "out"
    first = build(content, output, settings)
    assert "template says: novi-sad-science-festival" in first.stderr
    other = content / SOURCE
    other.write_text(other.read_text(encoding="utf-8") + "\nJoš jedan pasus.\n", "utf-8")
    second = build(content, output, settings)
    assert "template says: novi-sad-science-festival" in second.stderr, "a linked page is silent"
    assert run_build(content, output, "--strict", settings=settings).returncode == 1


@pytest.mark.build
def test_edits_to_the_memory_and_the_keep_list_reach_the_pages(tmp_path):
    from pelican.settings import read_settings

    from newsdesk.bench import CopyProvider
    from newsdesk.sources import find_sources
    from newsdesk.translate import TranslationStage

    content = copy_content(tmp_path, complete=False)  # the reading-room piece waits
    conf = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    TranslationStage(conf, content, provider=CopyProvider()).run(
        find_sources(content, conf["ARTICLE_PATHS"], conf["DEFAULT_LANG"]), show_progress=False)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    output = tmp_path / "out"
    build(content, output, settings, "--strict")
    page = output / "en/2024/citaonice-nocu/index.html"
    assert "čitaonice" in page.read_text(encoding="utf-8")

    # An editor corrects the machine translation of the title in the memory.
    memory = content / "translations/en/citaonice-nocu.po"
    with open(memory, "rb") as fp:
        catalog = read_po(fp)
    title = next(m for m in catalog if m.context == "title")
    title.string, title.flags = "Reading rooms stay open at night", set()
    with open(memory, "wb") as fp:
        write_po(fp, catalog)
    keep = content / "translations/keep-as-written.txt"
    keep.write_text(keep.read_text(encoding="utf-8") + "\nTunel\n", encoding="utf-8")
    build(content, output, settings, "--strict")
    assert "Reading rooms stay open at night" in page.read_text(encoding="utf-8")
    cyrillic = (output / "sr-cyrl/2024/beogradski-metro-tunel/index.html").read_text()
    assert "Tunel" in cyrillic, "the keep list changes the Cyrillic text"
    build(content, tmp_path / "full", settings, "--force")
    assert tree(output) == tree(tmp_path / "full")



@pytest.mark.build
def test_new_tags_change_related_reading_as_in_a_clean_build(tmp_path):
    """Related reading is remembered between builds only while tags, categories and dates
    stay the same."""
    def related(site):
        html = read_html(site / "2024/intervju-inflacija/index.html")
        return [a["href"] for a in html.select(".related a")]

    content = copy_content(tmp_path, complete=True)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    output = tmp_path / "out"
    build(content, output, settings)
    festival = "/2024/festival-nauke-novi-sad/"
    assert festival not in related(output), "no tag or section in common"
    source = content / "articles/2024/festival-nauke-novi-sad.sr.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "Tags: nauka, Novi Sad", "Tags: nauka, Novi Sad, inflacija, Srbija"), encoding="utf-8")
    build(content, output, settings)
    assert related(output)[0] == festival

    (tmp_path / "clean").mkdir()
    clean = write_settings(tmp_path / "clean", CACHE_PATH=str(tmp_path / "clean-cache"))
    build(content, tmp_path / "clean-out", clean)
    assert tree(output) == tree(tmp_path / "clean-out")


@pytest.mark.build
def test_a_page_linking_to_an_article_follows_it_when_it_moves(tmp_path):
    content = copy_content(tmp_path, complete=True)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    output = tmp_path / "out"
    linking = content / "articles/2024/festival-nauke-novi-sad.sr.md"
    linking.write_text(linking.read_text(encoding="utf-8") + "\nVidi i [metro]({filename}/"
                       f"{SOURCE}).\n", encoding="utf-8")
    build(content, output, settings)
    page = output / "2024/festival-nauke-novi-sad/index.html"
    assert 'href="/2024/beogradski-metro-tunel/"' in page.read_text(encoding="utf-8")

    source = content / SOURCE
    source.write_text(source.read_text(encoding="utf-8").replace("Date: 2024-", "Date: 2023-"),
                      encoding="utf-8")
    build(content, output, settings)
    assert 'href="/2023/beogradski-metro-tunel/"' in page.read_text(encoding="utf-8")


@pytest.mark.build
def test_the_build_before_last_is_the_next_staging_folder_and_the_live_site_is_never_written(
        tmp_path):
    content = copy_content(tmp_path, complete=True)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    output, spare = tmp_path / "out", tmp_path / ".out.spare"
    build(content, output, settings)
    unrelated = "2024/festival-nauke-novi-sad"
    first_folder = (output / unrelated).stat().st_ino

    edited = content / "articles/2024/intervju-inflacija.sr.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nDodatak intervjuu.\n",
                      encoding="utf-8")
    build(content, output, settings)
    assert (spare / unrelated).stat().st_ino == first_folder, "the first build is kept"
    second = tree(output)

    source = content / SOURCE
    original = source.read_text(encoding="utf-8")
    source.write_text(original + "\nTreća verzija teksta.\n", encoding="utf-8")
    deleted = "2024/liste-cekanja-operacije/index.html"
    assert (output / deleted).is_file()
    for language in ("sr", "en"):
        (content / f"articles/2024/liste-cekanja-operacije.{language}.md").unlink()
    build(content, output, settings)
    assert (output / unrelated).stat().st_ino == first_folder, "built in the first build's folder"
    assert tree(spare) == second, "the site it replaced is kept whole, as it was"
    assert "Treća verzija teksta." in (output / PAGES["sr-Latn"]).read_text(encoding="utf-8")
    assert not (output / deleted).exists() and not (output / deleted).parent.exists()

    # Back to the text of the second build, whose folder is now the staging folder: its pages
    # are as that build left them, though the third build made others from the same files.
    source.write_text(original, encoding="utf-8")
    build(content, output, settings)
    assert "Treća verzija teksta." not in (output / PAGES["sr-Latn"]).read_text(encoding="utf-8")
    build(content, tmp_path / "full", settings, "--force")
    assert tree(output) == tree(tmp_path / "full")


def test_the_spare_is_cleared_by_another_process_and_dropped_if_that_fails(tmp_path, monkeypatch):
    def spare(name):
        folder = tmp_path / name
        for path in ("2024/a/index.html", "2024/b/index.html", "feeds/all.xml", "theme/x.css",
                     "pagefind/0/pagefind-entry.json"):
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(path, encoding="utf-8")
        return folder

    pages = {"2024/a/index.html": "ka", "pagefind/0/": {"k": "p"}, "2024/gone/index.html": "kg"}
    clearing = pagecache.SpareClearing(spare("ok"), pages)
    assert clearing.pid, "cleared by a forked process"
    assert clearing.wait() == {"2024/a/index.html": "ka", "pagefind/0/": {"k": "p"}}
    assert sorted(p.relative_to(tmp_path / "ok").as_posix()
                  for p in (tmp_path / "ok").rglob("*") if p.is_file()) == [
        "2024/a/index.html", "pagefind/0/pagefind-entry.json"]
    assert not (tmp_path / "ok/feeds").exists(), "emptied folders go too"

    def fail(*_):
        raise PermissionError("no")

    monkeypatch.setattr(pagecache, "_clear", fail)
    clearing = pagecache.SpareClearing(spare("bad"), pages)
    assert clearing.wait() == {}
    assert "PermissionError: no" in clearing.failure
    assert not (tmp_path / "bad").exists(), "a folder that could not be cleared is not used"


@pytest.mark.build
def test_a_site_still_being_deleted_under_this_process_id_does_not_stop_a_build(tmp_path):
    def folder(name, text):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(text, encoding="utf-8")
        return tmp_path / name

    # An earlier process with this ID moved a site here, and its `rm -rf` still runs.
    busy = folder(f".out.old-{os.getpid()}", "older")
    output = folder("out", "old")
    retired = replace_folder(folder(".out.new-1", "new"), output)
    assert (output / "index.html").read_text(encoding="utf-8") == "new"
    assert (retired / "index.html").read_text(encoding="utf-8") == "old"
    busy_spare = folder(f".out.old-{os.getpid()}-spare", "older")
    folder(".out.spare", "spare")
    pagecache.drop_spare(output)
    assert not (tmp_path / ".out.spare").exists()
    assert {busy, busy_spare, retired} <= set(tmp_path.iterdir())


@pytest.mark.parametrize("html, links", [
    ('<a href="{filename}/articles/x.md">x</a>', True),
    ('<a href="|filename|/articles/x.md">x</a>', True),
    ('<a href="{tag}metro">metro</a>', True),
    ('<img src="{static}/images/a.jpg"> {author} said', True),
    ('<img src="{static}/images/a.jpg"><p>a | b {x}</p>', False),
    ("<p>the tag} and index| alone</p>", False),
    ("<p>no marks at all</p>", False),
])
def test_a_text_links_to_other_content_only_with_a_cross_link(html, links):
    assert pagecache._links_to_content(html) is links


def test_a_page_key_takes_an_object_only_by_the_key_it_declares():
    class Box:
        def __init__(self, shown):
            self.shown = shown

    class DeclaredBox(Box):
        def cache_key(self):
            return self.shown

    cache = pagecache.PageCache({"OUTPUT_PATH": "out"})
    assert cache.key(DeclaredBox("a")) == cache.key(DeclaredBox("a")) != cache.key(
        DeclaredBox("b"))
    with pytest.raises(TypeError, match="Box, which the page cache cannot tell apart"):
        cache.key(Box("a"))
