"""A newsroom's own plugin extends the build through the project's signals (newsdesk.signals),
and the build hands its steps what they need as objects, never through the settings."""

import json
import re

import pytest

from newsdesk import buildstate
from newsdesk.defaults import PLUGINS

from .conftest import ROOT, SEED_EN, SEED_SR, copy_content, run_build, write_settings

# Written in Cyrillic only: the Latin version is derived when the articles are grouped.
RAILWAY = """Title: Пруга до Ћуприје поново отворена
Date: 2024-06-03 09:30
Author: Ђорђе Шћепановић
Category: Друштво
Tags: Ћуприја, ж/пруга, 100%

Први воз после три године стигао је у Ћуприју у 9.15.
"""

DESK_PLUGIN = '''"""The desk's plugin: notes what the editions signals give it, adds a page."""

import json
from pathlib import Path

from newsdesk.signals import editions_grouped, editions_translated, editions_written

NOTES = {}
ROSTER = "dopisnici/spisak.txt"


def editions_of(groups):
    return {key: sorted(group) for key, group in groups.items()}


def on_grouped(generator, groups):
    NOTES["grouped"] = editions_of(groups)


def on_translated(generator, groups):
    NOTES["translated"] = editions_of(groups)


def on_written(generator, cache, keys):
    roster = Path(generator.output_path, ROSTER)

    def render():
        roster.parent.mkdir(parents=True, exist_ok=True)
        roster.write_text("Đorđe Šćepanović, Ćuprija\\nЉиљана Ђурић, Ниш\\n", encoding="utf-8")

    cache.write(generator.output_path, ROSTER, "spisak-1", render)
    keys[ROSTER] = "spisak-1"
    NOTES["written"] = {"sender": type(generator).__name__, "cache": type(cache).__name__,
                        "editions": [edition.code for edition in generator.editions],
                        "keys": keys}
    Path(generator.settings["DESK_NOTES"]).write_text(json.dumps(NOTES), encoding="utf-8")


def register():
    editions_grouped.connect(on_grouped)
    editions_translated.connect(on_translated)
    editions_written.connect(on_written)
'''


@pytest.mark.build
def test_a_plugin_of_its_own_gets_the_documented_arguments(tmp_path):
    content = copy_content(tmp_path)
    (content / "articles" / "2024" / "pruga-cuprija.sr-Cyrl.md").write_text(RAILWAY, "utf-8")
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "dopisnistvo.py").write_text(DESK_PLUGIN, encoding="utf-8")
    notes = tmp_path / "beleske.json"
    settings = write_settings(tmp_path, PLUGINS=[*PLUGINS, "dopisnistvo"],
                              PLUGIN_PATHS=[str(plugins)], DESK_NOTES=str(notes))
    output = tmp_path / "izdanje"
    result = run_build(content, output, settings=settings)
    assert result.returncode == 0, result.stderr

    seen = json.loads(notes.read_text(encoding="utf-8"))
    # In turn: the versions as written (and Latin from Cyrillic), then every translation.
    assert seen["grouped"]["pruga-cuprija"] == ["sr-Cyrl", "sr-Latn"]
    assert seen["grouped"]["citaonice-nocu"] == ["sr-Latn"]
    assert seen["translated"]["citaonice-nocu"] == ["en", "sr-Cyrl", "sr-Latn"]
    written = seen["written"]
    assert (written["sender"], written["cache"]) == ("EditionsGenerator", "PageCache")
    assert written["editions"] == ["sr-Latn", "sr-Cyrl", "en"]
    assert SEED_SR in written["keys"] and SEED_EN in written["keys"]
    # The page the plugin added is published and kept for the next build, like the editions'.
    assert "Đorđe Šćepanović" in (output / "dopisnici" / "spisak.txt").read_text("utf-8")
    kept = buildstate.Store(tmp_path / "cache").page_keys(output, "live")
    assert kept["dopisnici/spisak.txt"] == "spisak-1"


SETTING_CHANGED = re.compile(r"settings\[[^]]+\]\s*=[^=]|settings\.(update|setdefault|pop)\(")


def test_no_step_changes_the_settings_during_a_build():
    changes = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
               for path in (ROOT / "newsdesk").rglob("*.py")
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if SETTING_CHANGED.search(line)]
    assert changes == []
