"""Serbian text's script is read from the text: a Cyrillic `.sr.md` file is a Cyrillic
original, in the build and in the translation tasks alike."""

import subprocess
import sys

import pytest

from newsdesk.transliterate import serbian_script

from .conftest import ROOT, copy_content, read_html, run_build

CYRILLIC = """Title: Премијера у Народном позоришту
Date: 3.4.2026. 20:00
Author: Милица Јовановић
Category: Култура
Tags: позориште, Београд
Summary: Нова представа о животу у Чачку.

Представа говори о породици која живи у Чачку и чека боља времена. Глумци су добили дуг
аплауз, а редитељ је рекао да је „ово тек почетак“.
"""

MIXED = """Title: Vesti iz Novog Sada
Date: 4.4.2026. 10:00
Author: Đorđe Šćepanović
Category: Društvo

Gradsko veće je danas usvojilo budžet za narednu godinu. Одборници су расправљали четири
сата и на крају гласали за предлог. Opozicija je napustila salu pre glasanja.
"""


def test_the_script_of_prose():
    assert serbian_script("Представа говори о породици, каже Milica.") == ("sr-Cyrl", False)
    assert serbian_script("Predstava govori o porodici, kaže Милица.") == ("sr-Latn", False)
    assert serbian_script("Глумци су добили аплауз за „novu predstavu“ [vidi](x).")[1] is False
    assert serbian_script(MIXED)[1] is True


def _tasks(content, *args):
    return subprocess.run([sys.executable, "-m", "newsdesk.translate", "--content", str(content),
                           *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={"MT_PROVIDER": "none", "PATH": "/usr/bin:/bin",
                               "PYTHONPATH": str(ROOT)})


@pytest.mark.build
def test_a_cyrillic_sr_file_is_a_cyrillic_original(tmp_path):
    content = copy_content(tmp_path, complete=True)
    (content / "articles" / "2026").mkdir()
    (content / "articles" / "2026" / "premijera.sr.md").write_text(CYRILLIC, encoding="utf-8")
    output = tmp_path / "out"
    result = run_build(content, output)
    assert result.returncode == 0 and "ERROR" not in result.stderr, result.stderr
    latin = read_html(output / "2026" / "premijera" / "index.html")
    assert latin.html["lang"] == "sr-Latn"
    assert latin.h1.get_text(strip=True) == "Premijera u Narodnom pozorištu"
    assert "Predstava govori o porodici" in latin.select_one(".story-body").get_text()
    cyrillic = read_html(output / "sr-cyrl" / "2026" / "premijera" / "index.html")
    assert cyrillic.html["lang"] == "sr-Cyrl"
    assert cyrillic.h1.get_text(strip=True) == "Премијера у Народном позоришту"
    assert not (content / "translations" / "sr-Latn" / "premijera.po").exists()

    translate = _tasks(content)
    assert translate.returncode == 0, translate.stderr
    assert not (content / "translations" / "sr-Latn" / "premijera.po").exists(), \
        "no Serbian is translated into Serbian"
    report = _tasks(content, "--report")
    rows = {tuple(line.split()[:3]) for line in report.stdout.splitlines()
            if line.startswith("premijera ")}
    assert ("premijera", "sr-Cyrl", "original") in rows, report.stdout
    assert ("premijera", "sr-Latn", "transliteration") in rows, report.stdout
    assert ("premijera", "en", "pending") in rows, report.stdout


@pytest.mark.build
def test_prose_that_mixes_scripts_is_a_warning_naming_the_file(tmp_path):
    content = copy_content(tmp_path, complete=True)
    (content / "articles" / "2026").mkdir()
    (content / "articles" / "2026" / "vesti-ns.sr.md").write_text(MIXED, encoding="utf-8")
    (content / "articles" / "2026" / "premijera.sr.md").write_text(CYRILLIC, encoding="utf-8")
    result = run_build(content, tmp_path / "out")
    warnings = [line for line in result.stderr.splitlines() if "mixes Latin and Cyrillic" in line]
    assert len(warnings) == 1 and "vesti-ns.sr.md" in warnings[0], result.stderr
