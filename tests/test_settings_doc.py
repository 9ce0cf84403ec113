"""docs/settings.md lists every setting the code reads, with the code's own defaults.

The code is read, not run: an AST walk over newsdesk/ finds `settings.get("NAME", default)`,
`settings["NAME"]` and helpers called as `helper(settings, "NAME", default)` (on `settings`,
`*.settings` or Pelican's `context`); the templates' `{{ NAME }}`; the values of
newsdesk/defaults.py; and publishconf.py's environment variables. Names the code itself writes
into the settings for one run (`override=` of read_settings, `settings["X"] = …`,
`dict(context, X=…)`) are its run state, not settings a user sets.
"""

import ast
import importlib
import re
import runpy
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pelican.settings import DEFAULT_CONFIG

import newsdesk.defaults

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "newsdesk"
DOC = ROOT / "docs" / "settings.md"
NAME = re.compile(r"[A-Z][A-Z0-9_]+")
HEADER = "| Setting | Default | What it does | Set by |"
SHORT = 50  # a default whose repr is longer may be described in words instead


@dataclass
class Read:
    name: str
    module: str
    where: str
    default: ast.expr | None  # the fallback the code gives, if any


def _holder(node):
    """Whether `node` is the settings (or Pelican's context, a copy of them)."""
    name = getattr(node, "id", None) or getattr(node, "attr", None) or ""
    return name.endswith("settings") or name == "context"


def _setting_name(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str) \
            and NAME.fullmatch(node.value):
        return node.value
    return None


def _module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _fallback(call, parent, rest):
    """The default a read gives: the argument after the name, `default=`, or `… or VALUE`."""
    if len(rest) > 1:
        return rest[1]
    keyword = next((k.value for k in call.keywords if k.arg == "default"), None)
    if keyword is not None:
        return keyword
    if isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.Or) \
            and parent.values[0] is call:
        return parent.values[1]
    return None


def _scan_module(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_name(path)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    reads, written = [], set()
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Subscript) and _holder(node.value):
            name = _setting_name(node.slice)
            if name and isinstance(node.ctx, ast.Store):
                written.add(name)
            elif name:
                reads.append(Read(name, module, where, None))
        elif isinstance(node, ast.Call):
            if getattr(node.func, "id", None) == "dict" and node.args and _holder(node.args[0]):
                written |= {k.arg for k in node.keywords if k.arg and NAME.fullmatch(k.arg)}
            override = next((k.value for k in node.keywords if k.arg == "override"), None)
            if isinstance(override, ast.Dict):
                written |= {n for n in map(_setting_name, override.keys) if n}
            if isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                    and _holder(node.func.value):
                rest = node.args
            elif node.args and _holder(node.args[0]):
                rest = node.args[1:]
            else:
                continue
            name = rest and _setting_name(rest[0])
            if name:
                reads.append(Read(name, module, where, _fallback(node, parents.get(node), rest)))
    return reads, written


def _scan_package():
    reads, written = [], set()
    for path in sorted(PACKAGE.rglob("*.py")):
        module_reads, module_written = _scan_module(path)
        reads += module_reads
        written |= module_written
    return reads, written


def _environment_reads():
    """The environment variables newsdesk/ reads by a name it spells out (os.environ.get(NAME),
    os.environ[NAME], os.getenv(NAME), NAME a string or a module constant)."""
    names = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        namespace = None
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in (
                    "os.environ.get", "os.getenv") and node.args:
                key = node.args[0]
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                key = node.slice
            else:
                continue
            for option in key.values if isinstance(key, ast.BoolOp) else [key]:
                if isinstance(option, ast.Constant):
                    names.add(option.value)
                elif isinstance(option, ast.Name):  # a module constant; a parameter is skipped
                    namespace = namespace or vars(importlib.import_module(_module_name(path)))
                    names.add(namespace.get(option.id))
    return names - {None}


def _template_reads():
    names = set()
    for path in (PACKAGE / "theme" / "templates").rglob("*.html"):
        for block in re.findall(r"{[{%](.*?)[%}]}", path.read_text(encoding="utf-8"), re.S):
            code = re.sub(r"'[^']*'|\"[^\"]*\"", "", block)  # not the strings in it
            names |= set(re.findall(r"\b[A-Z][A-Z0-9_]+\b", code))
    return names


def _publish_settings():
    """{setting: [environment variables]} of publishconf.py's top-level assignments."""
    tree = ast.parse((ROOT / "publishconf.py").read_text(encoding="utf-8"))
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and NAME.fullmatch(getattr(node.targets[0], "id", "")):
            found[node.targets[0].id] = [
                call.args[0].value for call in ast.walk(node.value)
                if isinstance(call, ast.Call) and getattr(call.func, "id", None) in
                ("env", "env_int") and isinstance(call.args[0], ast.Constant)]
    return found


READS, WRITTEN = _scan_package()
SITE_DEFAULTS = {k: v for k, v in vars(newsdesk.defaults).items() if NAME.fullmatch(k)}
PUBLISH = _publish_settings()
SET_BY_USERS = SITE_DEFAULTS.keys() | PUBLISH.keys()
RUN_STATE = WRITTEN - SET_BY_USERS
READ_NAMES = {read.name for read in READS} | _template_reads()


def _value(read):
    """The fallback of a read, worked out in its module."""
    module = importlib.import_module(read.module)
    return eval(compile(ast.Expression(read.default), read.where, "eval"), vars(module))


def _fallbacks(name):
    return [(read.where, _value(read)) for read in READS
            if read.name == name and read.default is not None]


def code_default(name):
    """What a site gets when it sets nothing: newsdesk/defaults.py, else Pelican's default,
    else the code's fallback (one, or None)."""
    if name in SITE_DEFAULTS:
        return SITE_DEFAULTS[name]
    if name in DEFAULT_CONFIG:
        return DEFAULT_CONFIG[name]
    values = [value for _, value in _fallbacks(name)]
    return values[0] if values else None


def _cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def doc_rows(text):
    """{setting: (default cell, set-by cell)} of the settings table."""
    lines = text.splitlines()
    start = lines.index(HEADER) + 2
    rows = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        name, default, _, set_by = _cells(line)
        match = re.fullmatch(r"`([A-Z][A-Z0-9_]+)`", name)
        assert match, f"docs/settings.md: a row names no setting: {line}"
        assert match[1] not in rows, f"docs/settings.md: {match[1]} has two rows"
        rows[match[1]] = default, set_by
    return rows


def given_value(cell):
    """(True, the Python value) of a default cell that starts with one, in `code`; (False,
    None) for one in words."""
    match = re.match(r"`([^`]+)`", cell)
    if not match:
        return False, None
    try:
        return True, ast.literal_eval(match[1])
    except (ValueError, SyntaxError):
        return False, None


def _written_out_in_defaults():
    """The names newsdesk/defaults.py gives a plain value (not one it works out)."""
    tree = ast.parse(Path(newsdesk.defaults.__file__).read_text(encoding="utf-8"))
    plain = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                ast.literal_eval(node.value)
            except ValueError:
                continue
            plain.add(node.targets[0].id)
    return plain


PLAIN_DEFAULTS = _written_out_in_defaults()


def short(name, value):
    """Whether a default is a plain value short enough for the table."""
    if name in SITE_DEFAULTS and name not in PLAIN_DEFAULTS:
        return False
    text = repr(value)
    try:
        return len(text) <= SHORT and ast.literal_eval(text) == value
    except (ValueError, SyntaxError):
        return False


ROWS = doc_rows(DOC.read_text(encoding="utf-8"))


def test_every_setting_the_code_reads_has_a_row():
    missing = (READ_NAMES | SET_BY_USERS) - RUN_STATE - ROWS.keys()
    where = {r.name: r.where for r in READS}
    assert not missing, "not in docs/settings.md: " + ", ".join(
        f"{name} ({where.get(name, 'defaults.py, publishconf.py or a template')})"
        for name in sorted(missing))


def test_no_row_names_a_setting_the_code_does_not_read():
    assert ROWS.keys() - READ_NAMES - SET_BY_USERS == set(), "no code reads these"
    assert ROWS.keys() & RUN_STATE == set(), "the build's own run state is not a setting"


@pytest.mark.parametrize("name", sorted(ROWS))
def test_the_rows_default_is_the_codes(name):
    given, value = given_value(ROWS[name][0])
    expected = code_default(name)
    if given:
        assert value == expected, f"docs/settings.md: {name} defaults to {expected!r}"
    else:
        assert not short(name, expected), f"docs/settings.md: give {name}'s default: {expected!r}"


@pytest.mark.parametrize("name", sorted({r.name for r in READS if r.default is not None}))
def test_the_codes_fallbacks_are_the_sites_defaults(name):
    """A fallback in the code is the default of newsdesk/defaults.py, or Pelican's own for a
    setting of Pelican's: never a third value."""
    allowed = [code_default(name)] + ([DEFAULT_CONFIG[name]] if name in DEFAULT_CONFIG else [])
    for where, value in _fallbacks(name):
        assert value in allowed, f"{where}: {name} falls back to {value!r}, not {allowed[0]!r}"


@pytest.fixture(scope="module")
def publish_values():
    """publishconf.py's values with none of the environment variables it reads set."""
    with pytest.MonkeyPatch.context() as patch:
        for variable in {v for names in PUBLISH.values() for v in names}:
            patch.delenv(variable, raising=False)
        patch.setattr(sys, "path", list(sys.path))  # publishconf.py adds its folder
        patch.delitem(sys.modules, "pelicanconf", raising=False)
        return runpy.run_path(str(ROOT / "publishconf.py"))


@pytest.mark.parametrize("name", sorted(PUBLISH))
def test_publish_rows_give_publishconfs_variables_and_value(name, publish_values):
    set_by = ROWS[name][1]
    assert "publishconf:" in set_by, f"docs/settings.md: {name} is set in publishconf.py"
    given = set_by[set_by.index("publishconf:"):]
    for variable in PUBLISH[name]:
        assert f"`{variable}`" in given, f"docs/settings.md: {name} is set from {variable}"
    values = [given_value(f"`{span}`") for span in re.findall(r"`([^`]+)`", given)]
    assert (True, publish_values[name]) in values, \
        f"docs/settings.md: publishconf.py sets {name} to {publish_values[name]!r}"


def test_every_environment_variable_is_documented():
    text = DOC.read_text(encoding="utf-8")
    variables = _environment_reads() | {v for names in PUBLISH.values() for v in names}
    assert {v for v in variables if f"`{v}`" not in text} == set()
