"""Editions: the current one is the same everywhere, and the release command makes the next.

The version lives in `dae_utils.__version__`; CHANGELOG.md dates it, CITATION.cff repeats it
for citation tools, and every chapter's Colab cell installs the package at its tag.
`scripts/release.py` moves all of them together, here on a throwaway copy of the repository.
"""

import datetime
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import dae_utils

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPOSITORY = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")

_spec = importlib.util.spec_from_file_location("release", ROOT / "scripts" / "release.py")
release = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(release)


def _install_cell(notebook: Path) -> dict:
    cells = json.loads(notebook.read_text())["cells"]
    return next(c for c in cells if c["cell_type"] == "code")


def _changelog_date(text: str, version: str) -> str | None:
    entry = re.search(rf"^## \[{re.escape(version)}\] - (\d{{4}}-\d{{2}}-\d{{2}})$", text,
                      re.MULTILINE)
    return entry and entry.group(1)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chapter_installs_the_release_it_was_stored_with(notebook):
    cell = _install_cell(notebook)
    source = "".join(cell["source"])
    pins = re.findall(r'"git\+[^"]+"', source)
    assert pins == [f'"git+{REPOSITORY}@v{dae_utils.__version__}"'], (
        f"{notebook.name} installs {pins}; run `make release` rather than editing pins")
    # Out of the way: hidden on the book's page, a collapsed form in Colab.
    assert "hide-input" in cell["metadata"].get("tags", [])
    assert cell["metadata"].get("colab", {}).get("cellView") == "form"
    assert source.startswith("# @title ")


def test_the_changelog_dates_the_current_version_and_keeps_an_unreleased_section():
    text = (ROOT / "CHANGELOG.md").read_text()
    date = _changelog_date(text, dae_utils.__version__)
    assert date, f"CHANGELOG.md has no '## [{dae_utils.__version__}] - YYYY-MM-DD' entry"
    # Not in the future (a day's margin for time zones).
    assert datetime.date.fromisoformat(date) <= datetime.date.today() + datetime.timedelta(1)
    headings = re.findall(r"^## \[([^\]]+)\]", text, re.MULTILINE)
    assert headings[:2] == ["Unreleased", dae_utils.__version__], headings
    assert f"[{dae_utils.__version__}]: {REPOSITORY}/releases/tag/v{dae_utils.__version__}" in text


def test_the_citation_file_names_the_current_edition():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert citation["version"] == dae_utils.__version__
    assert str(citation["date-released"]) == _changelog_date(changelog, dae_utils.__version__)
    assert citation["repository-code"] == REPOSITORY


@pytest.mark.skipif(UV is None, reason="needs uv (pip install uv; in requirements.txt)")
def test_the_citation_file_is_valid_cff_and_the_validator_would_say_otherwise(tmp_path):
    """cffconvert, the Citation File Format's own validator, in an isolated uv tool
    environment (it needs jsonschema 3, the book's tools jsonschema 4)."""
    def validate(path: Path):
        return subprocess.run([UV, "tool", "run", "--quiet", "--from", "cffconvert==2.0.0",
                               "cffconvert", "--validate", "--infile", str(path)],
                              capture_output=True, text=True, timeout=300)

    result = validate(ROOT / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid according to schema version 1.2.0" in result.stdout
    broken = tmp_path / "CITATION.cff"
    broken.write_text(re.sub(r"^date-released: .*$", "date-released: 2 December 2026",
                             (ROOT / "CITATION.cff").read_text(), flags=re.MULTILINE))
    assert validate(broken).returncode != 0


def _git(folder: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def throwaway(tmp_path) -> Path:
    """A git repository holding what a release touches, as committed here."""
    copy = tmp_path / "repository"
    for name in ["dae_utils/__init__.py", "CHANGELOG.md", "CITATION.cff", "scripts/release.py",
                 *(f"notebooks/{n.name}" for n in NOTEBOOKS)]:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, copy / name)
    _git(copy, "init", "--quiet")
    _git(copy, "config", "user.email", "test@example.org")
    _git(copy, "config", "user.name", "Release test")
    for setting, value in (("commit.gpgsign", "false"), ("tag.gpgSign", "false"),
                           ("core.hooksPath", "/dev/null")):  # not the contributor's own
        _git(copy, "config", setting, value)
    _git(copy, "add", ".")
    _git(copy, "commit", "--quiet", "-m", "as in the repository")
    return copy


def _release(copy: Path, *args: str):
    return subprocess.run([sys.executable, str(copy / "scripts" / "release.py"), *args],
                          cwd=copy, capture_output=True, text=True)


def _next_minor(version: str) -> str:
    major, minor, _ = (int(p) for p in version.split("."))
    return f"{major}.{minor + 1}.0"


def test_release_bumps_files_the_changelog_pins_and_tags(throwaway):
    new = _next_minor(dae_utils.__version__)
    changelog = throwaway / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n### Changed\n- Chapter 2 was rewritten.\n", 1))
    _git(throwaway, "commit", "--quiet", "-am", "an entry")

    result = _release(throwaway, new, "--date", "2027-01-15")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"git push origin main v{new}" in result.stdout

    assert release.current_version(throwaway) == new
    text = changelog.read_text()
    assert re.search(rf"## \[Unreleased\]\n\n## \[{new}\] - 2027-01-15\n\n### Changed\n"
                     r"- Chapter 2 was rewritten\.", text)
    assert f"[Unreleased]: https://github.com/dae-book/dae-book/compare/v{new}...HEAD" in text
    assert f"[{new}]: https://github.com/dae-book/dae-book/releases/tag/v{new}" in text
    citation = yaml.safe_load((throwaway / "CITATION.cff").read_text())
    assert (citation["version"], str(citation["date-released"])) == (new, "2027-01-15")
    for notebook in NOTEBOOKS:
        source = "".join(_install_cell(throwaway / "notebooks" / notebook.name)["source"])
        assert f'"git+{REPOSITORY}@v{new}"' in source, notebook.name
    assert _git(throwaway, "tag", "--points-at", "HEAD").split() == [f"v{new}"]
    assert _git(throwaway, "log", "-1", "--format=%s").strip() == f"Release {new}"
    assert _git(throwaway, "status", "--porcelain") == ""


@pytest.mark.parametrize("problem", ["empty changelog", "not higher", "not a version",
                                     "uncommitted change", "tag exists", "bad date",
                                     "hook refuses the commit"])
def test_release_refuses_in_one_line_and_changes_nothing(throwaway, problem):
    version = _next_minor(dae_utils.__version__)
    if problem == "not higher":
        version = dae_utils.__version__
    elif problem == "not a version":
        version = "next"
    changelog = throwaway / "CHANGELOG.md"
    unreleased = "" if problem == "empty changelog" else "### Fixed\n- A typo.\n\n"
    changelog.write_text(re.sub(r"## \[Unreleased\]\n.*?(?=^## \[)",
                                f"## [Unreleased]\n\n{unreleased}", changelog.read_text(),
                                count=1, flags=re.MULTILINE | re.DOTALL))
    _git(throwaway, "commit", "--quiet", "--allow-empty", "-am", "the Unreleased section")
    if problem == "uncommitted change":
        (throwaway / "CITATION.cff").write_text("edited\n")
    if problem == "tag exists":
        _git(throwaway, "tag", f"v{version}")
    if problem == "hook refuses the commit":
        hooks = throwaway.parent / "hooks"
        hooks.mkdir()
        (hooks / "pre-commit").write_text("#!/bin/sh\necho refused >&2\nexit 1\n")
        (hooks / "pre-commit").chmod(0o755)
        _git(throwaway, "config", "core.hooksPath", str(hooks))
    before = _git(throwaway, "status", "--porcelain") + _git(throwaway, "rev-parse", "HEAD")

    result = _release(throwaway, version, *(["--date", "20270115"] if problem == "bad date"
                                            else []))
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()
    assert len(message) == 1 and message[0].startswith("release: "), message
    assert "Traceback" not in result.stderr
    assert _git(throwaway, "status", "--porcelain") + _git(throwaway, "rev-parse", "HEAD") == before
    assert _git(throwaway, "tag") == ("" if problem != "tag exists" else f"v{version}\n")
