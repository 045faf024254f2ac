"""Show the book's edition on every page: its version, its date and a link to the changelog.

The version is `dae_utils.__version__` (the one place it is written); the date is that
version's entry in CHANGELOG.md, so a build whose version has no changelog entry fails.
Pages can also write the edition with the MyST substitutions {{ edition }} and
{{ edition_date }}.
"""

import re
from pathlib import Path

from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[2]


def edition() -> tuple[str, str, bool]:
    """(version, release date, whether CHANGELOG.md lists unreleased changes) of the book as
    it stands in the repository: pages built between releases say so."""
    init = (ROOT / "dae_utils" / "__init__.py").read_text()
    version = re.search(r'^__version__ = "([^"]+)"', init, re.MULTILINE).group(1)
    changelog = (ROOT / "CHANGELOG.md").read_text()
    entry = re.search(rf"^## \[{re.escape(version)}\] - (\d{{4}}-\d{{2}}-\d{{2}})", changelog,
                      re.MULTILINE)
    if entry is None:
        raise ExtensionError(f"CHANGELOG.md has no '## [{version}] - YYYY-MM-DD' entry for "
                             "dae_utils.__version__; cut releases with `make release`")
    unreleased = changelog.split("## [Unreleased]", 1)[-1].split("\n## [", 1)[0]
    return version, entry.group(1), bool(unreleased.strip())


def _set_edition(app, config):
    version, date, unreleased = edition()
    config.version = config.release = version
    note = " with unreleased changes" if unreleased else ""
    config.myst_substitutions = {**config.myst_substitutions, "edition": version,
                                 "edition_date": date, "edition_note": note}


def _footer(app, pagename, templatename, context, doctree):
    substitutions = app.config.myst_substitutions
    changelog = context["pathto"]("book/changelog")
    context["theme_extra_footer"] = (
        f'<p class="edition">Edition {app.config.release} ({substitutions["edition_date"]})'
        f'{substitutions["edition_note"]} &middot; <a href="{changelog}">what changed</a></p>')


def setup(app):
    app.connect("config-inited", _set_edition)
    app.connect("html-page-context", _footer)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
