"""A random sequence of the edits a newsroom makes, each followed by a rebuild: the rebuilt site
must be the site a clean build of the same inputs makes.

NEWSDESK_RANDOM_STEPS sets the number of steps (default 8; .ci/run sets 20), NEWSDESK_RANDOM_SEED
the seed (default: a new one each run, named in the failure so that it can be replayed).
"""

import os
import random
import re
import shutil

import pytest
from PIL import Image, ImageDraw

from newsdesk.defaults import THEME

from .conftest import copy_content, run_build, tree, write_settings

pytestmark = pytest.mark.build

STEPS = int(os.environ.get("NEWSDESK_RANDOM_STEPS", "8"))
SERBIAN_NAMES = ("Đorđe Šćepanović", "Ђорђе Шћепановић", "Žaklina Čolić", "Жаклина Чолић")


class Newsroom:
    """The inputs of one site, and the edits its people make to them."""

    def __init__(self, tmp_path, rng):
        self.rng = rng
        self.content = copy_content(tmp_path)
        self.theme = tmp_path / "theme"
        shutil.copytree(THEME, self.theme)
        self.values = {"THEME": str(self.theme), "RELATED_ARTICLES": 4}
        self.count = 0

    def articles(self):
        return sorted((self.content / "articles").rglob("*.md"))

    def pick(self, pattern):
        return self.rng.choice(sorted(self.content.glob(pattern)))

    def write(self, path, text):
        path.write_text(text, encoding="utf-8")
        self.count += 1
        return f"{path.relative_to(self.content.parent).as_posix()}"

    def article_text(self):
        path = self.rng.choice(self.articles())
        name = self.rng.choice(SERBIAN_NAMES)
        text = path.read_text(encoding="utf-8").rstrip("\n")
        return "text of " + self.write(path, f"{text}\n\n{name} kaže: „Izmena {self.count}.”\n")

    def article_metadata(self):
        path = self.rng.choice(self.articles())
        text = path.read_text(encoding="utf-8")
        if self.rng.random() < 0.5:
            text = re.sub(r"^Title: (.*)$", rf"Title: \1 ({self.count})", text, count=1,
                          flags=re.M)
        else:
            tag = self.rng.choice(("C++", "#MeToo", "5G/6G", "Šabac", "Шабац"))
            text = re.sub(r"^Tags: (.*)$", rf"Tags: \1, {tag}", text, count=1, flags=re.M)
        return "metadata of " + self.write(path, text)

    def translation_entry(self):
        path = self.pick("translations/*/*.po")
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        entries = [i for i, line in enumerate(lines)
                   if line.startswith('msgstr "') and line.strip() != 'msgstr ""']
        if not entries:
            return "no translation entry to correct"
        i = self.rng.choice(entries)
        lines[i] = lines[i].rstrip('"\n') + f' (ispravka {self.count})"\n'
        return "translation in " + self.write(path, "".join(lines))

    def image(self):
        path = self.pick("images/*.jpg")
        with Image.open(path) as image:
            image = image.convert("RGB")
        x = self.rng.randrange(max(1, image.width - 40))
        ImageDraw.Draw(image).rectangle((x, 0, x + 40, 40), fill=(200, 30, 30))
        image.save(path, "JPEG", quality=90)
        self.count += 1
        return f"pixels of {path.name}"

    def new_article(self):
        self.count += 1
        slug = f"vanredna-vest-{self.count}"
        folder = self.content / "articles" / "2024"
        (folder / f"{slug}.sr.md").write_text(
            f"Title: Хитно: поплава у Шапцу {self.count}\nDate: 3.4.2024.\n"
            f"Author: {self.rng.choice(SERBIAN_NAMES)}\nCategory: Društvo\n"
            "Tags: Шабац, поплаве\nType: news\nSummary: Река Сава се излила код Шапца.\n\n"
            "Ђорђе Шћепановић из градског штаба каже да је евакуација почела у зору.\n",
            encoding="utf-8")
        if self.rng.random() < 0.5:
            (folder / f"{slug}.en.md").write_text(
                f"Title: Breaking: flood in Šabac {self.count}\nDate: 3.4.2024.\n"
                "Author: Đorđe Šćepanović\nCategory: Society\nTags: Šabac, floods\nType: news\n"
                "Summary: The Sava burst its banks near Šabac.\n\n"
                "Đorđe Šćepanović of the city's crisis team says the evacuation began at dawn.\n",
                encoding="utf-8")
        return f"new article {slug}"

    def deleted_article(self):
        articles = self.articles()
        if len(articles) <= 6:
            return "no article to delete"
        path = self.rng.choice(articles)
        path.unlink()
        self.count += 1
        return f"deleted {path.name}"

    def template(self):
        path = self.theme / "templates" / "base.html"
        text = path.read_text(encoding="utf-8")
        self.write(path, text.replace("</body>", f"<span hidden>r{self.count}</span></body>", 1))
        return "template base.html"

    def setting(self):
        self.values["RELATED_ARTICLES"] = self.rng.choice([n for n in range(1, 6)
                                                           if n != self.values["RELATED_ARTICLES"]])
        return f"RELATED_ARTICLES = {self.values['RELATED_ARTICLES']}"

    EDITS = (article_text, article_metadata, translation_entry, image, new_article,
             deleted_article, template, setting)


def test_every_rebuild_is_the_clean_build_of_its_inputs(tmp_path):
    seed = int(os.environ.get("NEWSDESK_RANDOM_SEED") or random.SystemRandom().randrange(10**9))
    rng = random.Random(seed)
    newsroom = Newsroom(tmp_path, rng)
    kept = tmp_path / "kept"

    def build(output, cache):
        settings = write_settings(tmp_path / f"{cache}-settings", CACHE_PATH=str(tmp_path / cache),
                                  **newsroom.values)
        result = run_build(newsroom.content, output, settings=settings)
        assert result.returncode == 0, f"seed {seed}: {result.stderr[-3000:]}"

    build(kept, "kept-cache")
    done = []
    for step in range(STEPS):
        edits = rng.sample(Newsroom.EDITS, rng.choice((1, 1, 2, 3)))
        done.append(" + ".join(edit(newsroom) for edit in edits))
        build(kept, "kept-cache")
        clean = tmp_path / f"clean-{step}"
        build(clean, f"clean-{step}-cache")
        rebuilt, expected = tree(kept), tree(clean)
        differing = sorted(name for name in rebuilt.keys() | expected.keys()
                           if rebuilt.get(name) != expected.get(name))
        assert not differing, (f"seed {seed} (NEWSDESK_RANDOM_SEED), after {done}: "
                               f"the rebuild differs from a clean build in {differing[:20]}")
        shutil.rmtree(clean)
        shutil.rmtree(tmp_path / f"clean-{step}-cache")
