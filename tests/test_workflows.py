"""The GitHub Actions workflows: clean under actionlint (with shellcheck), installing and
publishing with the README's own commands, and holding no secret."""

import os
import re
import subprocess
import sysconfig
import textwrap
from pathlib import Path

import pytest
import yaml

from newsdesk.secrets import SECRET_NAME, redact

from .conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PUBLISH = ROOT / ".github" / "workflows" / "publish.yml"
SCRIPTS = Path(sysconfig.get_path("scripts"))
# A secret may reach a workflow only as a whole expression in an env value.
SECRET_EXPRESSION = re.compile(r"\$\{\{ (?:secrets\.[A-Z][A-Z0-9_]*|github\.token) \}\}")
# Token and key formats that are secret wherever they appear.
TOKEN_SHAPES = re.compile(r"gh[opsur]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|"
                          r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----|"
                          r"xox[abpr]-[\w-]{10,}")


def actionlint(*files):
    """actionlint's findings on `files`, with the pinned shellcheck checking every run: script."""
    for tool in ("actionlint", "shellcheck"):
        assert (SCRIPTS / tool).exists(), f"{tool} is missing: pip install -e '.[test]'"
    return subprocess.run([str(SCRIPTS / "actionlint"), "-no-color", "-oneline",
                           f"-shellcheck={SCRIPTS / 'shellcheck'}", "-pyflakes=",
                           *map(str, files)], cwd=ROOT, capture_output=True, text=True)


def quick_start():
    """The README's Quick start commands, one a line."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)[1]
    return block.strip().splitlines()


def steps(path):
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_commands(path):
    return [step["run"].strip() for step in steps(path) if "run" in step]


def env_mappings(node):
    """Every `env:` mapping in a parsed workflow: the workflow's, each job's, each step's."""
    if isinstance(node, dict):
        if isinstance(node.get("env"), dict):
            yield node["env"]
        for value in node.values():
            yield from env_mappings(value)
    elif isinstance(node, list):
        for item in node:
            yield from env_mappings(item)


def test_there_is_a_publish_workflow():
    assert PUBLISH in WORKFLOWS


@pytest.mark.build
def test_actionlint_finds_nothing():
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0 and not result.stdout, result.stdout + result.stderr


@pytest.mark.build
def test_actionlint_reports_workflow_and_shell_mistakes(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  objava:\n    runs-on: ubuntu-24.04\n    steps:\n"
                      "      - run: echo $NASLOV_ČLANKA ${{ steps.nema.outputs.putanja }}\n"
                      , encoding="utf-8")
    findings = actionlint(broken).stdout
    assert "SC2086" in findings  # shellcheck ran: the unquoted variable
    assert 'property "nema" is not defined' in findings


@pytest.mark.build
def test_the_readme_s_ci_steps_lint_clean(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Publishing from CI", 1)[1].split("\n## ", 1)[0]
    snippets = re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert snippets
    for number, snippet in enumerate(snippets):
        steps = textwrap.indent(textwrap.dedent(snippet), " " * 6)
        workflow = tmp_path / f"snippet{number}.yml"
        workflow.write_text("on: push\njobs:\n  publish:\n    runs-on: ubuntu-24.04\n"
                            f"    steps:\n{steps}", encoding="utf-8")
        result = actionlint(workflow)
        assert result.returncode == 0 and not result.stdout, result.stdout + snippet


def test_the_workflow_installs_the_project_as_the_readme_says():
    build_line, _ = quick_start()
    install = build_line.rsplit(" && ", 1)[0]  # the build line without the build
    assert install.endswith("install -e .")  # the check's browser tools come with it
    assert install in run_commands(PUBLISH)


@pytest.mark.build
def test_the_workflow_publishes_with_the_readme_s_invoke():
    build_line, _ = quick_start()
    invoke = build_line.rsplit(" && ", 1)[1].removesuffix(" build")
    assert invoke == ".venv/bin/python -m invoke"
    assert f"{invoke} publish --target gh-pages" in run_commands(PUBLISH)


def test_the_publish_step_sets_only_variables_the_project_reads():
    settings = (ROOT / "publishconf.py").read_text(encoding="utf-8")
    providers = (ROOT / "newsdesk" / "providers.py").read_text(encoding="utf-8")
    read = {*re.findall(r'env\("([A-Z0-9_]+)"', settings),
            *re.findall(r'GITHUB_PAGES_TOKEN_VAR = "([A-Z_]+)"', settings),
            *re.findall(r'(?:setting\(settings|os\.environ\.get\()\s*,?\s*"(MT_[A-Z_]+)"',
                        providers)}
    (publish,) = [step for step in steps(PUBLISH) if "invoke publish" in step.get("run", "")]
    assert set(publish["env"]) <= read, set(publish["env"]) - read
    assert {"MT_API_KEY", "GITHUB_TOKEN"} <= set(publish["env"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_no_secret_value_is_written_into_a_workflow(path):
    text = path.read_text(encoding="utf-8")
    assert redact(text, environ={}) == text  # no user:password@, ?token=, Authorization:
    assert not TOKEN_SHAPES.search(text)
    secret_uses = re.findall(r"\$\{\{[^}]*\b(?:secrets\.|github\.token)[^}]*\}\}", text)
    in_env = [value for env in env_mappings(yaml.safe_load(text)) for value in env.values()]
    assert sorted(secret_uses) == sorted(v for v in in_env if SECRET_EXPRESSION.fullmatch(v))
    for env in env_mappings(yaml.safe_load(text)):
        for name, value in env.items():
            if SECRET_NAME.search(name):
                assert SECRET_EXPRESSION.fullmatch(str(value)), f"{name} is not from a secret"


def commit_step():
    (step,) = [step for step in steps(PUBLISH) if "content/translations" in step.get("run", "")]
    return step


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def newsroom(tmp_path):
    """A bare `origin` with main holding one translation file, and the runner's clone of it."""
    seed = tmp_path / "seed"
    (seed / "content" / "translations" / "en").mkdir(parents=True)
    (seed / "content" / "translations" / "en" / "budzet.po").write_text(
        'msgid "Vlada je usvojila budžet."\nmsgstr ""\n', encoding="utf-8")
    git(tmp_path, "init", "--quiet", "--initial-branch=main", str(seed))
    git(seed, "add", ".")
    git(seed, "-c", "user.name=Đorđe Šćekić", "-c", "user.email=urednik@example.org",
        "commit", "--quiet", "-m", "Prvi broj")
    git(tmp_path, "clone", "--quiet", "--bare", str(seed), str(tmp_path / "origin.git"))
    git(tmp_path, "clone", "--quiet", str(tmp_path / "origin.git"), str(tmp_path / "runner"))
    return tmp_path


def run_commit_step(runner):
    """The step's script as the runner runs it (bash -eo pipefail), in `runner`."""
    step = commit_step()
    env = {**os.environ, **step["env"], "GITHUB_RUN_ID": "4242", "GITHUB_REF_NAME": "main"}
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                          cwd=runner, capture_output=True, text=True, env=env)


def editor_pushes(newsroom, path, text, message):
    editor = newsroom / "editor"
    if not editor.exists():
        git(newsroom, "clone", "--quiet", str(newsroom / "origin.git"), str(editor))
    (editor / path).parent.mkdir(parents=True, exist_ok=True)
    (editor / path).write_text(text, encoding="utf-8")
    git(editor, "add", ".")
    git(editor, "-c", "user.name=Милица Јовановић", "-c", "user.email=milica@example.org",
        "commit", "--quiet", "-m", message)
    git(editor, "push", "--quiet", "origin", "main")


@pytest.mark.build
def test_new_machine_translations_are_committed_on_top_of_main(newsroom):
    runner = newsroom / "runner"
    (runner / "content" / "translations" / "en" / "budzet.po").write_text(
        '#, fuzzy\nmsgid "Vlada je usvojila budžet."\nmsgstr "The government adopted the '
        'budget."\n', encoding="utf-8")
    editor_pushes(newsroom, "content/articles/2026/cirilica.sr.md", "Title: Ћирилица\n",
                  "Članak: Ćirilica")
    result = run_commit_step(runner)
    assert result.returncode == 0, result.stdout + result.stderr
    log = git(newsroom / "origin.git", "log", "--format=%s", "main").splitlines()
    assert log == ["Machine translations from publish run 4242", "Članak: Ćirilica", "Prvi broj"]
    shown = git(newsroom / "origin.git", "show", "main:content/translations/en/budzet.po")
    assert "The government adopted the budget." in shown


@pytest.mark.build
def test_an_unchanged_memory_commits_nothing(newsroom):
    result = run_commit_step(newsroom / "runner")
    assert result.returncode == 0, result.stderr
    assert "the translation memory is unchanged" in result.stdout
    assert git(newsroom / "origin.git", "log", "--format=%s", "main").splitlines() == [
        "Prvi broj"]


@pytest.mark.build
def test_a_clash_with_an_editor_s_change_fails_the_step(newsroom):
    po = "content/translations/en/budzet.po"
    (newsroom / "runner" / po).write_text(
        '#, fuzzy\nmsgid "Vlada je usvojila budžet."\nmsgstr "Cabinet passed the budget."\n',
        encoding="utf-8")
    editor_pushes(newsroom, po, 'msgid "Vlada je usvojila budžet."\nmsgstr "The government '
                  'approved the budget."\n', "Pregledan prevod budžeta")
    result = run_commit_step(newsroom / "runner")
    assert result.returncode != 0
    assert "::error::" in result.stdout
    assert git(newsroom / "origin.git", "log", "-1", "--format=%s", "main").strip() == (
        "Pregledan prevod budžeta")


@pytest.mark.build
@pytest.mark.parametrize("owner, repository, variable, address", [
    ("Redakcija-Pregled", "Pregled", "", "https://redakcija-pregled.github.io/Pregled"),
    ("Redakcija-Pregled", "redakcija-pregled.github.io", "",
     "https://redakcija-pregled.github.io"),
    ("Redakcija-Pregled", "Pregled", "https://pregled.rs", "https://pregled.rs"),
])
def test_the_site_address_is_github_pages_own_unless_set(tmp_path, owner, repository, variable,
                                                         address):
    (step,) = [step for step in steps(PUBLISH) if step.get("name") == "The site's address"]
    github_env = tmp_path / "github_env"
    env = {**os.environ, "SITEURL": variable, "REPOSITORY": repository,
           "GITHUB_REPOSITORY_OWNER": owner, "GITHUB_ENV": str(github_env)}
    subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                   cwd=tmp_path, check=True, env=env)
    assert github_env.read_text(encoding="utf-8") == f"SITEURL={address}\n"
