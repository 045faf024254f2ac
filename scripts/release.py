"""Cut a release of the book: `python scripts/release.py 0.3.0` (or `make release VERSION=0.3.0`).

The mechanical part of a release (CONTRIBUTING.md describes the rest), in one commit:
1. `dae_utils.__version__` becomes the new version;
2. CHANGELOG.md's "## [Unreleased]" entries become "## [X.Y.Z] - date", under a new empty
   "Unreleased" heading, and the links at its foot follow;
3. CITATION.cff's version and date-released follow;
4. every chapter's Colab setup cell installs `dae_utils` at the new tag (`@vX.Y.Z`);
5. the commit "Release X.Y.Z" is tagged `vX.Y.Z`.

It refuses, changing nothing, when the working tree has uncommitted changes, the version is
not higher than the current one, or the Unreleased section is empty (write what readers and
instructors will notice there first).
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"', re.MULTILINE)
# The install address in a chapter's Colab cell, with or without a release tag.
PIN = re.compile(r"(git\+https://github\.com/dae-book/dae-book)(@v[0-9A-Za-z.]+)?")
UNRELEASED = "## [Unreleased]"
REPOSITORY = "https://github.com/dae-book/dae-book"


def current_version(root: Path = ROOT) -> str:
    """The version written in dae_utils/__init__.py."""
    return VERSION_LINE.search((root / "dae_utils" / "__init__.py").read_text()).group(1)


def _parse(version: str, what: str = "the version asked for") -> tuple[int, int, int]:
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise SystemExit(f"release: {what}, '{version}', is not a version like 0.3.0 "
                         "(MAJOR.MINOR.PATCH)")
    return tuple(int(part) for part in version.split("."))


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"release: git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def changelog_with_release(text: str, version: str, date: str) -> str:
    """CHANGELOG.md's text with its Unreleased entries filed under `version` and `date`."""
    if UNRELEASED not in text:
        raise SystemExit(f"release: CHANGELOG.md has no '{UNRELEASED}' heading")
    head, rest = text.split(UNRELEASED, 1)
    following = re.search(r"^## \[", rest, re.MULTILINE)
    entries = rest[: following.start()] if following else rest
    if not entries.strip():
        raise SystemExit("release: CHANGELOG.md's Unreleased section is empty; write there "
                         "what readers and instructors will notice, then release")
    text = f"{head}{UNRELEASED}\n\n## [{version}] - {date}\n\n{rest.lstrip()}"
    links = f"[Unreleased]: {REPOSITORY}/compare/v{version}...HEAD\n"
    links += f"[{version}]: {REPOSITORY}/releases/tag/v{version}\n"
    return re.sub(r"^\[Unreleased\]: .*\n", links, text, count=1, flags=re.MULTILINE)


def pin_chapter(text: str, version: str) -> str:
    """A notebook's text with its Colab install address pinned to `vVERSION`."""
    pinned, count = PIN.subn(rf"\g<1>@v{version}", text)
    if count != 1:
        raise SystemExit(f"release: expected one install address in a chapter, found {count}")
    return pinned


def release(version: str, date: str, root: Path = ROOT, tag: bool = True) -> None:
    old = current_version(root)
    if _parse(version) <= _parse(old, "dae_utils.__version__"):
        raise SystemExit(f"release: {version} is not higher than the current version {old}")
    if _git(root, "status", "--porcelain", "--untracked-files=no").strip():
        raise SystemExit("release: commit or stash your changes first (git status)")
    if tag and _git(root, "tag", "--list", f"v{version}").strip():
        raise SystemExit(f"release: the tag v{version} exists already")
    _git(root, "var", "GIT_COMMITTER_IDENT")  # fails now, not after the files changed

    updates = {}
    init = root / "dae_utils" / "__init__.py"
    updates[init] = VERSION_LINE.sub(f'__version__ = "{version}"', init.read_text())
    changelog = root / "CHANGELOG.md"
    updates[changelog] = changelog_with_release(changelog.read_text(), version, date)
    citation = root / "CITATION.cff"
    text = re.sub(r"^version: .*$", f"version: {version}", citation.read_text(), flags=re.M)
    updates[citation] = re.sub(r"^date-released: .*$", f"date-released: {date}", text,
                               flags=re.M)
    for notebook in sorted((root / "notebooks").glob("*.ipynb")):
        updates[notebook] = pin_chapter(notebook.read_text(), version)
        json.loads(updates[notebook])  # still a notebook
    originals = {path: path.read_text() for path in updates}
    for path, content in updates.items():  # every check passed: now write
        path.write_text(content)
    try:
        _git(root, "add", *[str(path.relative_to(root)) for path in updates])
        _git(root, "commit", "--quiet", "-m", f"Release {version}")
    except SystemExit:  # a hook or a signing key refused: leave the files as they were
        for path, content in originals.items():
            path.write_text(content)
        _git(root, "reset", "--quiet", "--", *[str(p.relative_to(root)) for p in originals])
        raise
    if tag:
        _git(root, "tag", "-a", f"v{version}", "-m", f"Release {version}")
    print(f"Released {version} ({date}), was {old}: version, changelog, citation and "
          f"{len(updates) - 3} chapters' pins committed"
          + (f", tagged v{version}." if tag else ".")
          + f" Publish it with: git push origin main v{version}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version", help="the new version, MAJOR.MINOR.PATCH, e.g. 0.3.0")
    parser.add_argument("--date", default=datetime.date.today().isoformat(),
                        help="release date, YYYY-MM-DD (default: today)")
    parser.add_argument("--no-tag", action="store_true", help="commit without tagging")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.date):
        raise SystemExit(f"release: '{args.date}' is not a date like 2026-12-02")
    try:
        datetime.date.fromisoformat(args.date)
    except ValueError:
        raise SystemExit(f"release: '{args.date}' is not a date like 2026-12-02") from None
    release(args.version, args.date, tag=not args.no_tag)


if __name__ == "__main__":
    sys.exit(main())
