"""The Markdown reader: one Markdown instance for every file, each file read as if alone."""

import pytest
from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from newsdesk.plugins.newsmeta.reader import NewsMarkdownReader

from .conftest import ROOT

pytestmark = pytest.mark.build

FIRST = """Title: Prvi
Date: 2024-03-01 10:00
Tags: EU, Srbija
Summary: Sažetak sa *naglaskom* i fusnotom.

Tekst o EU[^1] i [izvoru][ref], "pod navodnicima".

[^1]: Evropska unija.
[ref]: https://example.org/izvor
*[EU]: Evropska unija
"""

SECOND = """Title: Drugi
Date: 2024-03-02 10:00

Opet EU i [izvor][ref], bez fusnote[^1].
"""

BAD_DATE = """Title: Loš datum
Date: prvog marta

Tekst.
"""


@pytest.fixture()
def files(tmp_path):
    paths = {}
    for name, text in (("first", FIRST), ("second", SECOND), ("bad", BAD_DATE)):
        paths[name] = tmp_path / f"{name}.md"
        paths[name].write_text(text, encoding="utf-8")
    return paths


@pytest.fixture()
def settings(tmp_path):
    return read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(tmp_path)})


def test_one_markdown_instance_reads_every_file_as_pelican_would(files, settings):
    reader = NewsMarkdownReader(settings)
    first = reader.read(files["first"])
    instance = reader._md
    # after its metadata extension was set aside: reported, and left out
    assert reader.read(files["bad"]) == ("", {"status": "skip"})
    second = reader.read(files["second"])
    again = reader.read(files["first"])

    assert reader._md is instance
    for path, result in (("first", first), ("second", second), ("first", again)):
        assert result == MarkdownReader(settings).read(files[path])
    # Nothing of the first file is left for the next: footnotes, links, abbreviations, fields.
    content, metadata = second
    assert "footnote" not in content and "<abbr" not in content
    assert "example.org" not in content and "[izvor][ref]" in content
    assert set(metadata) == {"title", "date"}
    assert '<abbr title="Evropska unija">EU</abbr>' in first[0]
    assert first[1]["summary"] == again[1]["summary"]
