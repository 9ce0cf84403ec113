"""An article file's name, `<key>.<lang>.md`: its key links the versions of one article."""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsdesk.languages import names_no_script, normalize_language

SERBIAN = ("sr-Latn", "sr-Cyrl")


def name_parts(path: Path | str) -> tuple[str, str | None]:
    """(key, language code or None) as the file's name gives them: the key up to the first
    dot, the language up to the next one when the name has one besides its extension
    (`izbori.sr-Cyrl.md`; `izbori.md` names none)."""
    parts = os.path.basename(path).split(".")
    return parts[0], (parts[1] if len(parts) > 2 else None)


def article_key(path: Path | str, fields: Mapping[str, Any]) -> str:
    """An article's key: its Key field, else its file's name."""
    return str(fields.get("key") or name_parts(path)[0])


def language_code(path: Path | str, fields: Mapping[str, Any],
                  default: str | None) -> str | None:
    """The language code an article is written in: its file's name, else its Lang field, else
    `default`; the field when the name says only `sr` and the field a Serbian script."""
    from_name, written = name_parts(path)[1], fields.get("lang")
    if from_name and written and names_no_script(from_name) and \
            normalize_language(written) in SERBIAN:
        return str(written)
    return from_name or (str(written) if written else default)


def names_disagree(path: Path | str, fields: Mapping[str, Any]) -> bool:
    """Whether the file's name and its Lang field name different languages."""
    from_name, written = name_parts(path)[1], fields.get("lang")
    return bool(from_name and written and language_code(path, fields, None) == from_name
                and normalize_language(from_name) != normalize_language(written))
