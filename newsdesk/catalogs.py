"""Interface-string catalogs: gettext PO files read and compiled in memory with Babel."""

import functools
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import cast

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from newsdesk.atomic import write_atomic

DOMAIN = "messages"


def po_path(translations_dir: Path | str, locale: str) -> Path:
    """Where the catalog of one locale lives."""
    return Path(translations_dir) / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalog(po_file: Path | str, locale: str) -> Translations:
    """Read a PO file and return its compiled gettext translations, never touching disk."""
    with open(po_file, "rb") as fp:
        return _compile(read_po(fp, locale=locale, domain=DOMAIN))


# Locales whose catalog is made from another's by changing the script, so that translators keep
# one Serbian catalog.
SCRIPT_CATALOGS = {"sr_Cyrl": "sr_Latn"}


def load_translations(translations_dir: Path | str, locale: str) -> NullTranslations:
    """Translations for a locale; the source strings (English) when it has no catalog."""
    po_file = po_path(translations_dir, locale)
    if po_file.exists():
        return compile_catalog(po_file, locale)
    base = SCRIPT_CATALOGS.get(locale)
    if base and po_path(translations_dir, base).exists():
        return _compile(_cyrillic_catalog(po_path(translations_dir, base), locale))
    return NullTranslations()


def _cyrillic_catalog(po_file: Path, locale: str) -> Catalog:
    from newsdesk.transliterate import to_cyrillic

    with open(po_file, "rb") as fp:
        catalog = read_po(fp, locale=locale, domain=DOMAIN)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.string, tuple):
            message.string = tuple(to_cyrillic(s) for s in message.string)
        else:
            message.string = to_cyrillic(cast(str, message.string))
    return catalog


def _compile(catalog: Catalog) -> Translations:
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def extract_template(theme_dir: Path | str) -> Catalog:
    """A fresh catalog of every interface string used in the theme's templates."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    theme_dir = Path(theme_dir)
    with open(theme_dir / "babel.cfg", encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp)
    catalog = Catalog(project="Pregled", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        theme_dir, method_map, options_map
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _locales(theme_dir: Path | str) -> list[str]:
    base = Path(theme_dir) / "translations"
    return sorted(p.name for p in base.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").exists())


def update_catalogs(theme_dir: Path | str) -> Iterator[str]:
    """Extract the template, merge it into every locale's catalog; yield what was done."""
    from babel.messages.pofile import write_po

    errors = template_errors(theme_dir)
    if errors:
        raise ValueError("templates the extractor cannot read: " + "; ".join(errors))
    template = extract_template(theme_dir)
    base = Path(theme_dir) / "translations"
    write_atomic(base / f"{DOMAIN}.pot", lambda fp: write_po(
        fp, template, width=100, sort_output=True, no_location=True))
    yield f"extracted {len(template)} strings into {base / (DOMAIN + '.pot')}"
    for locale in _locales(theme_dir):
        path = po_path(base, locale)
        with open(path, "rb") as fp:
            catalog = read_po(fp, locale=locale)
        catalog.update(template, update_header_comment=False)
        write_atomic(path, functools.partial(
            write_po, catalog=catalog, width=100, sort_output=True, no_location=True,
            ignore_obsolete=True), durable=True)
        compile_catalog(path, locale)
        untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        yield f"{path}: {len(catalog)} strings, {len(untranslated)} to translate"


def template_errors(theme_dir: Path | str) -> list[str]:
    """Templates the extractor cannot parse (Babel skips them silently, losing their strings)."""
    from jinja2 import Environment, TemplateSyntaxError

    env = Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.do"])
    problems: list[str] = []
    for path in sorted((Path(theme_dir) / "templates").rglob("*.html")):
        try:
            env.parse(path.read_text(encoding="utf-8"))
        except TemplateSyntaxError as exc:
            problems.append(f"{path}:{exc.lineno}: {exc.message}")
    return problems


def check_catalogs(theme_dir: Path | str) -> list[str]:
    """Problems that would make a reader see an untranslated or broken interface string."""
    template = extract_template(theme_dir)
    problems = template_errors(theme_dir)
    base = Path(theme_dir) / "translations"
    for locale in _locales(theme_dir):
        path = po_path(base, locale)
        with open(path, "rb") as fp:
            catalog = read_po(fp, locale=locale)
        for message in template:
            if not message.id:
                continue
            found = catalog.get(message.id)
            if found is None:
                problems.append(f"{path}: missing {message.id!r}")
            elif not found.string or found.fuzzy or (
                isinstance(found.string, tuple) and not all(found.string)
            ):
                problems.append(f"{path}: untranslated {message.id!r}")
        for message, errors in catalog.check():
            problems += [f"{path}: {message.id!r}: {error}" for error in errors]
    return problems
