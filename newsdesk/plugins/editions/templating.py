"""What the theme's templates get besides Pelican's context: date filters and fragment memos.

- `date_long`, `month_year`: a date formatted by Babel in the locale of the edition being
  written; `datetime_iso`: the machine-readable form for `<time datetime>`.
- `remembered(macro, *args)`: the macro's output, rendered once per edition (and process) for
  the same arguments. A teaser shows the same in every listing it appears in, so listing pages
  are put together from teasers rendered once. Only for macros whose output depends on nothing
  but their arguments and the edition.
- `news_article_data`: the article's schema.org NewsArticle data (see structured.py).
- `same_word(a, b)`: whether two names are one word, but for its ending ("Vest", "Vesti"):
  a kicker says it once.

Compiled templates are kept in the build cache (CACHE_PATH/templates, with CACHE_CONTENT), so
a rebuild does not compile them again; the folder is emptied whenever the build cache is not
reused (newsdesk.build: code, theme or settings changed).
"""

import functools
import os
from collections.abc import Callable, Mapping
from typing import Any

from babel.dates import format_date, format_skeleton
from jinja2 import Environment, FileSystemBytecodeCache, pass_context
from jinja2.runtime import Context, Macro

from .structured import news_article_data

# Formatted dates kept per process: every date is shown on its article and in several listings.
DATE_CACHE_SIZE = 65536


def add_template_helpers(generator: Any) -> None:
    generator.env.globals.update(news_article_data=news_article_data, remembered=remembered,
                                 same_word=same_word)
    generator.env.filters.update(
        date_long=_babel_filter(lambda value, locale: format_date(value, "long", locale)),
        datetime_iso=lambda value: value.isoformat(timespec="seconds"),
        month_year=_babel_filter(lambda value, locale: format_skeleton("yMMMM", value,
                                                                       locale=locale)),
    )


# Endings a word may have in one name and not in the other (Serbian cases and numbers, English
# plurals), in both scripts: at most two letters of them are set aside.
WORD_ENDINGS = frozenset("aeiousаеиоу")


def same_word(a: object, b: object) -> bool:
    """Whether two names are one word but for its ending: Vest and Vesti, Analiza and
    Analize, Intervju and Intervjui, News and News (not Vest and Vesna)."""
    return _stem(str(a)) == _stem(str(b))


def _stem(name: str) -> str:
    word = name.strip().casefold()
    for _ in range(2):
        if len(word) > 3 and word[-1] in WORD_ENDINGS:
            word = word[:-1]
    return word


def keep_compiled_templates(env: Environment, settings: Mapping[str, Any]) -> None:
    """Keep the environment's compiled templates in the build cache between builds."""
    if not settings.get("CACHE_CONTENT"):
        return
    folder = os.path.join(settings["CACHE_PATH"], "templates")
    os.makedirs(folder, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(folder)
    if not settings.get("REUSE_CACHE"):
        env.bytecode_cache.clear()  # file by file: the folder stays for a build using it


def _babel_filter(format_value: Callable[[Any, str], str]) -> Callable[[Context, Any], str]:
    """A Jinja filter formatting a date with the locale of the edition being written."""
    cached = functools.lru_cache(maxsize=DATE_CACHE_SIZE)(format_value)

    @pass_context
    def babel_filter(context: Context, value: Any) -> str:
        return cached(value, context["edition"].locale)

    return babel_filter


@pass_context
def remembered(context: Context, macro: Macro, *args: Any, **kwargs: Any) -> Any:
    """`macro(*args, **kwargs)`, rendered once per edition, page address base and arguments.

    Objects are told apart by identity; the arguments are kept with the output, so an
    identity is never reused by another object while the output is remembered.
    """
    store = context.get("fragments")
    if store is None:  # a page written outside an edition's output: nothing to share with
        return macro(*args, **kwargs)
    key = (macro.name, context.get("SITEURL"), *map(_identity, args),
           *sorted((name, _identity(value)) for name, value in kwargs.items()))
    if key not in store:
        store[key] = (args, kwargs, macro(*args, **kwargs))
    return store[key][2]


def _identity(value: object) -> object:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return id(value)
