"""Rebuilds: nothing to do when nothing changed, the content cache, pages written in parallel."""

import fcntl
import os
import re
import shutil
import sqlite3
import subprocess
import sys

import pytest

from newsdesk import buildstate

from .conftest import ROOT, copy_content, run_build, tree, write_settings

ARTICLE = "2024/beogradski-metro-tunel/index.html"
SOURCE = "articles/2024/beogradski-metro-tunel.sr.md"


@pytest.mark.build
def test_a_build_with_nothing_changed_does_nothing(tmp_path):
    content = copy_content(tmp_path, complete=True)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    output = tmp_path / "out"
    first = run_build(content, output, settings=settings)
    assert first.returncode == 0 and "Built" in first.stdout, first.stdout + first.stderr
    inode = output.stat().st_ino

    again = run_build(content, output, settings=settings)
    assert again.returncode == 0 and "Nothing changed" in again.stdout, again.stdout
    assert output.stat().st_ino == inode, "the output folder was not replaced"

    source = content / SOURCE
    source.write_text(source.read_text(encoding="utf-8") + "\nNova rečenica.\n", "utf-8")
    edited = run_build(content, output, settings=settings)
    assert "Built" in edited.stdout and "Nova rečenica." in (output / ARTICLE).read_text()

    forced = run_build(content, output, "--force", settings=settings)
    assert "Built" in forced.stdout

    changed_env = run_build(content, output, settings=settings, env={"MT_CHAR_BUDGET": "5"})
    assert "Built" in changed_env.stdout, "MT_* settings from the environment count"
    rotated = run_build(content, output, settings=settings, env={"MT_API_KEY": "novi-ključ"})
    assert "Built" in rotated.stdout, "a new key may translate what is pending: it counts"
    rendered, unchanged = map(int, re.search(r"(\d+) page\(s\) rendered, (\d+) unchanged",
                                             rotated.stdout).groups())
    assert unchanged > 100 and rendered < unchanged, "a key rotation makes no page again"

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "newsdesk" / "theme", theme)
    themed = write_settings(tmp_path, THEME=str(theme), CACHE_PATH=str(tmp_path / "cache"))
    assert "Built" in run_build(content, output, settings=themed).stdout
    assert "Nothing changed" in run_build(content, output, settings=themed).stdout
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- v2 --></body>"))
    assert "Built" in run_build(content, output, settings=themed).stdout
    assert "<!-- v2 -->" in (output / "index.html").read_text()


# The build command, saying at its end whether it imported Pelican.
BUILD_TELLING_IMPORTS = """
import sys
from newsdesk import build
status = build.main(sys.argv[1:])
print("Pelican imported" if "pelican" in sys.modules else "Pelican not imported")
sys.exit(status)
"""


def build_telling_imports(content, output, settings, env, libraries):
    """Build as run_build does, with `libraries` on the import path: (stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, "-c", BUILD_TELLING_IMPORTS, "--content", str(content), "--output",
         str(output), "--settings", str(settings)], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{libraries}", "MT_PROVIDER": "none",
             **env}, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.build
def test_a_build_with_nothing_to_do_finds_it_without_pelican_and_nothing_else(tmp_path):
    """A build of unchanged inputs ends before it imports Pelican; a value its settings file
    reads from the environment, an installed library, an edit or a removed output still count."""
    content = copy_content(tmp_path, complete=True)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    with settings.open("a", encoding="utf-8") as file:
        file.write("import os\nSITEURL = os.environ.get('PREGLED_ADDRESS', 'https://a.example')\n")
    output, libraries = tmp_path / "out", tmp_path / "libraries"
    libraries.mkdir()

    def build(**env):
        return build_telling_imports(content, output, settings, env, libraries)

    assert "Built" in build()
    again = build()
    assert "Nothing changed" in again and "Pelican not imported" in again, again

    moved = build(PREGLED_ADDRESS="https://b.example")
    assert "Built" in moved, "a settings value read from the environment changed"
    assert "https://b.example/" in (output / "index.html").read_text(encoding="utf-8")
    assert "Pelican not imported" in build(PREGLED_ADDRESS="https://b.example")

    (libraries / "installed.py").write_text("VERSION = 2\n")
    installed = build(PREGLED_ADDRESS="https://b.example")
    assert "Nothing changed" in installed and "Pelican imported" in installed, \
        "a library installed: the versions that count are looked up"
    assert "Pelican not imported" in build(PREGLED_ADDRESS="https://b.example")

    source = content / SOURCE
    source.write_text(source.read_text(encoding="utf-8") + "\nJoš jedna rečenica.\n", "utf-8")
    assert "Built" in build(PREGLED_ADDRESS="https://b.example")
    assert "Još jedna rečenica." in (output / ARTICLE).read_text(encoding="utf-8")

    shutil.rmtree(output)
    assert "Built" in build(PREGLED_ADDRESS="https://b.example")
    assert (output / ARTICLE).is_file()


@pytest.mark.build
def test_a_file_put_back_with_its_old_size_and_time_is_read_again(tmp_path):
    """An article restored from a copy (cp -p, rsync -a, tar) with another text of the same
    length and the old modification time is built again, not taken from the kept articles."""
    content = copy_content(tmp_path, complete=True)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    output = tmp_path / "out"
    assert "Built" in run_build(content, output, settings=settings).stdout
    source = content / SOURCE
    text, was = source.read_text(encoding="utf-8"), source.stat()
    assert "Beograd" in text
    copy = tmp_path / "copy.md"
    copy.write_text(text.replace("Beograd", "Veograd"), encoding="utf-8")
    os.utime(copy, ns=(was.st_atime_ns, was.st_mtime_ns))
    shutil.copy2(copy, source)
    assert (source.stat().st_size, source.stat().st_mtime_ns) == (was.st_size, was.st_mtime_ns)
    assert "Built" in run_build(content, output, settings=settings).stdout
    assert "Veograd" in (output / ARTICLE).read_text(encoding="utf-8")


OWN_EXTENSION = """
import pathlib

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from potpis_tekst import SIGNATURE

NOTE = pathlib.Path(__file__).with_name("napomena.txt")


class Signature(Postprocessor):
    def run(self, text):
        return text + "<p class={css}>" + SIGNATURE + " " + NOTE.read_text() + "</p>"


class SignatureExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(Signature(md), "signature", 0)
"""


@pytest.mark.build
@pytest.mark.parametrize("named", ["as an object", "by module name"])
def test_the_sites_own_markdown_extension_is_code_the_build_depends_on(tmp_path, named):
    """A Markdown extension of the site's own, beside its settings file, is code, with the
    site's modules it imports: an edit to either makes the articles again (none is kept from
    the old code). What it reads at run time is not: `--force` keeps nothing."""
    content = copy_content(tmp_path, complete=True)
    code = tmp_path / "site-code"
    code.mkdir()
    module, helper, note = code / "potpis.py", code / "potpis_tekst.py", code / "napomena.txt"
    module.write_text(OWN_EXTENSION.format(css="potpis"), encoding="utf-8")
    helper.write_text("SIGNATURE = 'Potpis redakcije: prva'\n", encoding="utf-8")
    note.write_text("Napomena A.", encoding="utf-8")
    extension = ("potpis.SignatureExtension()" if named == "as an object"
                 else "'potpis:SignatureExtension'")
    settings = tmp_path / "siteconf.py"
    settings.write_text("\n".join([
        "import sys", f"sys.path.insert(0, {str(ROOT)!r})", f"sys.path.insert(0, {str(code)!r})",
        "from pelicanconf import *", "import potpis",
        f"MARKDOWN = {{**MARKDOWN, 'extensions': [{extension}]}}",
        f"CACHE_PATH = {str(tmp_path / 'cache')!r}"]) + "\n", encoding="utf-8")
    output = tmp_path / "out"

    def page():
        return (output / ARTICLE).read_text(encoding="utf-8")

    first = run_build(content, output, settings=settings)
    assert "Built" in first.stdout, first.stdout + first.stderr
    assert "<p class=potpis>Potpis redakcije: prva Napomena A.</p>" in page()
    assert "Nothing changed" in run_build(content, output, settings=settings).stdout

    helper.write_text("SIGNATURE = 'Potpis redakcije: nova'\n", encoding="utf-8")
    edited = run_build(content, output, settings=settings)
    assert "Built" in edited.stdout, edited.stdout
    assert "Potpis redakcije: prva" not in page(), "an article kept from the old code"
    assert "Potpis redakcije: nova" in page()
    assert "Nothing changed" in run_build(content, output, settings=settings).stdout

    module.write_text(OWN_EXTENSION.format(css="signature"), encoding="utf-8")
    assert "Built" in run_build(content, output, settings=settings).stdout
    assert "<p class=signature>Potpis redakcije: nova" in page()

    note.write_text("Napomena B.", encoding="utf-8")
    assert "Nothing changed" in run_build(content, output, settings=settings).stdout
    assert "Built" in run_build(content, output, "--force", settings=settings).stdout
    assert "Napomena B." in page(), "--force keeps no article from an earlier build"


@pytest.mark.build
def test_a_linked_folder_of_articles_pointed_elsewhere_is_read_again(tmp_path):
    """A folder of articles that is a symbolic link to another place in the content counts by
    where it points and what is there: retargeted, or its article edited, the site follows."""
    content = copy_content(tmp_path, complete=True)
    source = (content / SOURCE).read_text(encoding="utf-8")
    english = (content / SOURCE.replace(".sr.", ".en.")).read_text(encoding="utf-8")
    versions = {  # in both languages: a build asks no provider
        "sr": source.replace("Beogradski metro: počelo bušenje prvog tunela",
                             "Novosadski tramvaj: počeli radovi"),
        "en": english.replace("Belgrade metro: boring of the first tunnel begins",
                              "Novi Sad tram: works begin").replace(
            "belgrade-metro-tunnel-boring-begins", "novi-sad-tram-works-begin")}
    for edition in ("jutro", "vece"):
        folder = content / "dodaci" / edition
        folder.mkdir(parents=True)
        for lang, text in versions.items():
            (folder / f"tramvaj-novi-sad.{lang}.md").write_text(
                text.replace("Date: 2024-02-06", "Date: 2024-03-06")
                + f"\nIzdanje: {edition}.\n", encoding="utf-8")
    link = content / "articles" / "dodatak"
    link.symlink_to("../dodaci/jutro", target_is_directory=True)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    output = tmp_path / "out"
    page = output / "2024" / "tramvaj-novi-sad" / "index.html"
    first = run_build(content, output, settings=settings)
    assert "Built" in first.stdout, first.stdout + first.stderr
    assert "Izdanje: jutro." in page.read_text(encoding="utf-8")
    assert "Nothing changed" in run_build(content, output, settings=settings).stdout

    link.unlink()
    link.symlink_to("../dodaci/vece", target_is_directory=True)
    again = run_build(content, output, settings=settings)
    assert "Built" in again.stdout, again.stdout
    assert "Izdanje: vece." in page.read_text(encoding="utf-8")
    unchanged = int(re.search(r"page\(s\) rendered, (\d+) unchanged", again.stdout).group(1))
    assert unchanged > 100, "the link's other folder holds articles alone: the rest is kept"

    article = content / "dodaci" / "vece" / "tramvaj-novi-sad.sr.md"
    article.write_text(article.read_text(encoding="utf-8") + "Dopuna.\n", encoding="utf-8")
    assert "Built" in run_build(content, output, settings=settings).stdout
    assert "Dopuna." in page.read_text(encoding="utf-8")
    assert "Nothing changed" in run_build(content, output, settings=settings).stdout


# A Markdown extension that stands in for an author who saves a file while a build runs: the
# first time it is used, it adds a sentence to the file named by the flag file, and removes it.
AUTHOR_MEANWHILE = """
import os
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

FLAG = {flag!r}


class Meanwhile(Postprocessor):
    def run(self, text):
        if os.path.exists(FLAG):
            with open(FLAG, encoding="utf-8") as fp:
                target = fp.read()
            os.unlink(FLAG)
            with open(target, "a", encoding="utf-8") as fp:
                fp.write("\\nDopisano tokom izgradnje.\\n")
        return text


class MeanwhileExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(Meanwhile(md), "meanwhile", 0)
"""


@pytest.mark.build
def test_a_build_that_writes_the_memory_is_done_but_not_one_edited_meanwhile(tmp_path):
    """A new article's memory files, written by the build that first reads it, are that
    build's own: the next build has nothing to do. A file an author saves while a build runs
    is not: the next build reads it."""
    content = copy_content(tmp_path, complete=True)
    code = tmp_path / "site-code"
    code.mkdir()
    flag = tmp_path / "author-saves"
    (code / "meanwhile.py").write_text(AUTHOR_MEANWHILE.format(flag=str(flag)), "utf-8")
    settings = tmp_path / "siteconf.py"
    settings.write_text("\n".join([
        "import sys", f"sys.path.insert(0, {str(ROOT)!r})", f"sys.path.insert(0, {str(code)!r})",
        "from pelicanconf import *", "import meanwhile",
        "MARKDOWN = {**MARKDOWN, 'extensions': [meanwhile.MeanwhileExtension()]}",
        f"CACHE_PATH = {str(tmp_path / 'cache')!r}"]) + "\n", encoding="utf-8")
    output = tmp_path / "out"
    assert "Built" in run_build(content, output, settings=settings).stdout
    source = (content / SOURCE).read_text(encoding="utf-8")
    english = (content / SOURCE.replace(".sr.", ".en.")).read_text(encoding="utf-8")
    articles = content / "articles" / "2024"
    (articles / "tramvaj-novi-sad.sr.md").write_text(source.replace(
        "Beogradski metro: počelo bušenje prvog tunela", "Novosadski tramvaj: počeli radovi"),
        encoding="utf-8")
    (articles / "tramvaj-novi-sad.en.md").write_text(english.replace(
        "belgrade-metro-tunnel-boring-begins", "novi-sad-tram-works-begin"), encoding="utf-8")
    new = run_build(content, output, settings=settings)
    assert "Built" in new.stdout, new.stdout + new.stderr
    assert (content / "translations" / "en" / "tramvaj-novi-sad.po").is_file()
    again = run_build(content, output, settings=settings)
    assert "Nothing changed" in again.stdout, "the build's own writes are not edits"

    other = content / "articles" / "2024" / "citaonice-nocu.sr.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nIspravka.\n", encoding="utf-8")
    flag.write_text(str(content / SOURCE), encoding="utf-8")
    assert "Built" in run_build(content, output, settings=settings).stdout
    assert not flag.exists(), "the author saved during the build"
    after = run_build(content, output, settings=settings)
    assert "Built" in after.stdout, "an edit made while a build ran is not taken for built"
    assert "Dopisano tokom izgradnje." in (output / ARTICLE).read_text(encoding="utf-8")


@pytest.mark.build
def test_a_build_with_problems_is_never_taken_as_done(tmp_path):
    content = copy_content(tmp_path, complete=True)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    (content / "articles" / "bad.sr.md").write_text("Title: T\nDate: 2024-01-01\nType: gossip\n\n"
                                                    "B.\n", encoding="utf-8")
    output = tmp_path / "out"
    assert run_build(content, output, settings=settings).returncode == 0
    strict = run_build(content, output, "--strict", settings=settings)
    assert strict.returncode == 1 and "unknown Type 'gossip'" in strict.stdout + strict.stderr


def memo_entries(cache, name):
    with sqlite3.connect(cache / buildstate.FILE) as db:
        return db.execute("SELECT count(*) FROM memo WHERE name=?", (name,)).fetchall()[0][0]


@pytest.mark.build
def test_cached_content_gives_the_same_site_and_follows_edits(tmp_path):
    content = copy_content(tmp_path, complete=True)
    cache = tmp_path / "cache"
    settings = write_settings(tmp_path, CACHE_PATH=str(cache))
    assert run_build(content, tmp_path / "fresh", settings=settings).returncode == 0
    assert (cache / "ArticlesGenerator-Readers").is_file()
    assert memo_entries(cache, "translated-html")
    assert run_build(content, tmp_path / "cached", settings=settings).returncode == 0
    assert tree(tmp_path / "fresh") == tree(tmp_path / "cached")

    source = content / SOURCE
    source.write_text(source.read_text(encoding="utf-8") + "\nSasvim nov pasus.\n",
                      encoding="utf-8")
    assert run_build(content, tmp_path / "cached", settings=settings).returncode == 0
    assert "Sasvim nov pasus." in (tmp_path / "cached" / ARTICLE).read_text()


def test_content_cache_is_dropped_when_a_photo_or_the_code_changes(tmp_path):
    from pelican.settings import read_settings

    from newsdesk import fingerprint

    content = copy_content(tmp_path, complete=True)
    cache = tmp_path / "cache"

    def content_cache_valid(cache, settings):
        return fingerprint.site_key_valid(buildstate.store(cache),
                                          fingerprint.site_key(settings))

    settings = read_settings(str(write_settings(tmp_path)), override={"PATH": str(content)})
    assert not content_cache_valid(cache, settings), "no cache yet"
    assert content_cache_valid(cache, settings)
    source = content / SOURCE
    source.write_text(source.read_text(encoding="utf-8") + "\nEdit.\n", encoding="utf-8")
    assert content_cache_valid(cache, settings), "articles are checked one by one by Pelican"
    with buildstate.store(cache).transaction() as writes:
        writes.put_memo("test", {"key": "value"})
    photo = next((content / "images").glob("*.jpg"))
    os.utime(photo, ns=(photo.stat().st_atime_ns, photo.stat().st_mtime_ns + 10**9))
    assert not content_cache_valid(cache, settings), "a photo's caption may be in the HTML"
    assert memo_entries(cache, "test") == 0, "the memos made with the old site are dropped"
    assert content_cache_valid(cache, settings)
    changed = dict(settings, MARKDOWN={**settings["MARKDOWN"], "output_format": "xhtml"})
    assert not content_cache_valid(cache, changed)

    theme = tmp_path / "theme"
    shutil.copytree(settings["THEME"], theme)
    themed = dict(settings, THEME=str(theme))
    assert not content_cache_valid(cache, themed)
    base = theme / "templates" / "base.html"
    os.utime(base, ns=(base.stat().st_atime_ns, base.stat().st_mtime_ns + 10**9))
    assert content_cache_valid(cache, themed), "a checkout that puts the same template back"
    base.write_text(base.read_text(encoding="utf-8") + "<!-- v2 -->", encoding="utf-8")
    assert not content_cache_valid(cache, themed), "a template that says something else"


@pytest.mark.build
def test_pages_are_rendered_by_several_workers_and_come_out_the_same(tmp_path):
    content = copy_content(tmp_path, complete=True)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "newsdesk" / "theme", theme)
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace(
        "</body>", "<!-- pid {{ '' | pid }} --></body>"), encoding="utf-8")
    trees = {}
    for workers in (1, 3):
        settings = write_settings(tmp_path, THEME=str(theme), WRITE_WORKERS=workers,
                                  CACHE_CONTENT=False)
        with open(settings, "a", encoding="utf-8") as fp:  # which process rendered each page
            fp.write("import os\nJINJA_FILTERS = {'pid': lambda _: os.getpid()}\n")
        result = run_build(content, tmp_path / f"out{workers}", settings=settings)
        assert result.returncode == 0, result.stdout + result.stderr
        trees[workers] = tree(tmp_path / f"out{workers}")
    pids = {re.search(rb"<!-- pid (\d+) -->", page).group(1)
            for name, page in trees[3].items() if name.endswith(".html")}
    assert len(pids) == 3, "three processes rendered pages"

    def without_pid(pages):
        return {name: re.sub(rb"<!-- pid \d+ -->", b"", page) for name, page in pages.items()
                if not name.startswith("pagefind/") and "/pagefind/" not in name}

    assert without_pid(trees[1]) == without_pid(trees[3])


@pytest.mark.build
def test_a_template_failing_in_a_worker_fails_the_build(tmp_path):
    content = copy_content(tmp_path, complete=True)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "newsdesk" / "theme", theme)
    article = theme / "templates" / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "{% block content %}",
        "{% block content %}{% if article.key == 'beogradski-metro-tunel' and "
        "edition.code == 'en' %}{{ article.no_such_thing.boom() }}{% endif %}", 1))
    output = tmp_path / "out"
    output.mkdir()
    (output / "old.txt").write_text("old")
    settings = write_settings(tmp_path, THEME=str(theme), WRITE_WORKERS=2)
    result = run_build(content, output, settings=settings)
    assert result.returncode == 1
    assert "no_such_thing" in result.stderr + result.stdout
    assert os.listdir(output) == ["old.txt"], "the output folder is left as it was"


@pytest.mark.build
def test_articles_read_on_several_processes_come_out_the_same(tmp_path):
    """Reading, Cyrillic and translated HTML worked out by forked workers (as for a large
    site) give the site a single process gives."""
    content = copy_content(tmp_path)
    trees = {}
    for minimum in (1, 10**6):
        folder = tmp_path / str(minimum)
        folder.mkdir()
        settings = write_settings(folder, CACHE_PATH=str(folder / "cache"), READ_WORKERS=2,
                                  PREFETCH_MIN=minimum)
        result = run_build(content, folder / "out", "--verbose", settings=settings)
        assert result.returncode == 0, result.stdout + result.stderr
        log = result.stdout + result.stderr
        parallel = ("article file(s) read on 2 processes", "cyrillic-html: ",
                    "translated-html: ")
        assert all((line in log) == (minimum == 1) for line in parallel), log
        trees[minimum] = tree(folder / "out")
    assert trees[1] == trees[10**6]


@pytest.mark.build
def test_one_build_of_an_output_at_a_time(tmp_path):
    """A second build of the same output folder stops with a clear message while the first
    runs, and leaves the output as it was."""
    content = copy_content(tmp_path, complete=True)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    output = tmp_path / "out"
    assert run_build(content, output, settings=settings).returncode == 0
    before = tree(output)
    (content / "articles/2024/intervju-inflacija.sr.md").write_text("Title: x\n\nNovo.\n")
    with open(buildstate.lock_file(tmp_path / "cache", output), "a+") as lock:
        fcntl.lockf(lock, fcntl.LOCK_EX)
        lock.write("process 4242")
        lock.flush()
        result = run_build(content, output, settings=settings)
    assert result.returncode == 1
    assert f"{output}: already being built by process 4242" in result.stderr
    assert tree(output) == before


@pytest.mark.build
def test_a_build_removes_what_killed_builds_left(tmp_path):
    content = copy_content(tmp_path, complete=True)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    output = tmp_path / "out"
    assert run_build(content, output, settings=settings).returncode == 0
    staging = tmp_path / ".out.new-99999"
    search = tmp_path / "..out.new-99999.search-x1y2" / "site"
    for folder in (staging / "2024", search):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text("half-written")
    # Files half-written by a killed build, and one being written by a live process.
    finished = subprocess.Popen(["true"])
    finished.wait()
    cache = tmp_path / "cache"
    killed = [cache / f".{name}.{finished.pid}.0.tmp" for name in ("index.json", "notes.txt")]
    live = cache / f".index.json.{os.getpid()}.0.tmp"
    for half in (*killed, live):
        half.write_bytes(b"half-written")
    result = run_build(content, output, settings=settings)
    assert result.returncode == 0 and "Nothing changed" in result.stdout
    assert not staging.exists() and not search.parent.exists()
    assert not any(half.exists() for half in killed) and live.exists()
    assert memo_entries(cache, "articles")


@pytest.mark.build
def test_compiled_templates_are_kept_between_builds(tmp_path):
    content = copy_content(tmp_path, complete=True)
    settings = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    output = tmp_path / "out"
    assert run_build(content, output, settings=settings).returncode == 0
    compiled = tmp_path / "cache" / "templates"
    stamps = {p.name: p.stat().st_mtime_ns for p in compiled.iterdir()}
    assert len(stamps) >= 5, "every template used is kept compiled"

    source = content / SOURCE
    source.write_text(source.read_text(encoding="utf-8") + "\nNova rečenica.\n", "utf-8")
    assert "Built" in run_build(content, output, settings=settings).stdout
    assert "Nova rečenica." in (output / ARTICLE).read_text()
    assert {p.name: p.stat().st_mtime_ns for p in compiled.iterdir()} == stamps, (
        "the rebuild loaded the compiled templates instead of compiling them again")

    # Other settings (Jinja's among them) drop the build cache: templates are compiled again.
    other = write_settings(tmp_path, CACHE_PATH=str(tmp_path / "cache"),
                           JINJA_ENVIRONMENT={"autoescape": True, "trim_blocks": True,
                                              "extensions": ["jinja2.ext.i18n", "jinja2.ext.do"],
                                              "lstrip_blocks": False})
    assert "Built" in run_build(content, output, settings=other).stdout
    again = {p.name: p.stat().st_mtime_ns for p in compiled.iterdir()}
    assert again.keys() == stamps.keys() and all(again[n] != stamps[n] for n in stamps)
