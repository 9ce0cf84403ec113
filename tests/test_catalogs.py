"""Interface catalogs: compiled in memory with Babel, with Serbian plural rules."""

import pytest

from newsdesk.catalogs import load_translations

from .conftest import ROOT

TRANSLATIONS = ROOT / "newsdesk" / "theme" / "translations"


@pytest.mark.parametrize("n,expected", [
    (1, "1 članak"), (2, "2 članka"), (4, "4 članka"), (5, "5 članaka"), (11, "11 članaka"),
    (12, "12 članaka"), (21, "21 članak"), (22, "22 članka"), (25, "25 članaka"),
    (101, "101 članak"), (111, "111 članaka"),
])
def test_serbian_plural_forms(n, expected):
    sr = load_translations(TRANSLATIONS, "sr_Latn")
    assert sr.ngettext("%(num)d article", "%(num)d articles", n) % {"num": n} == expected


def test_english_uses_the_source_strings():
    en = load_translations(TRANSLATIONS, "en_150")
    assert en.ngettext("%(num)d article", "%(num)d articles", 1) == "%(num)d article"
    assert en.gettext("Read more") == "Read more"


def test_no_compiled_catalog_is_kept_in_the_tree():
    assert not list((ROOT / "newsdesk" / "theme").rglob("*.mo"))
