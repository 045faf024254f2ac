"""The book: it builds with warnings as errors, and the stored chapter outputs are real runs."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


def _outputs(notebook: Path):
    cells = json.loads(notebook.read_text())["cells"]
    return [out for cell in cells if cell["cell_type"] == "code" for out in cell.get("outputs", [])]


def _text(output) -> str:
    return "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))


def test_every_chapter_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text()
    for notebook in NOTEBOOKS:
        assert f"notebooks/{notebook.stem}" in toc


def test_book_renders_each_chapter_with_its_figures(built_book):
    assert (built_book / "book" / "intro.html").exists()
    for notebook in NOTEBOOKS:
        page = (built_book / "notebooks" / f"{notebook.stem}.html").read_text()
        figures = re.findall(r'<img[^>]+src="([^"]+\.png)"', page)
        assert figures, f"{notebook.name} rendered without figures"
        for src in figures:
            assert (built_book / "notebooks" / src).resolve().exists(), src
        for tag in re.findall(r'<img[^>]+\.png"[^>]*>', page):
            if "_static/" not in tag:  # the theme's own icons have short alt texts
                assert re.search(r'alt="[^"]{20,}"', tag), f"{notebook.name}: no alt text"
        assert "highlight-ipythontb" not in page, f"{notebook.name} shows an error output"
        solutions = page.count('class="cell tag_hide-cell')
        assert solutions >= 3, f"{notebook.name} has {solutions} hidden solutions, expected 3+"
        assert "colab.research.google.com/github/" in page


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_outputs_come_from_a_default_run(notebook):
    outputs = _outputs(notebook)
    assert not any(out["output_type"] == "error" for out in outputs)
    assert any("image/png" in out.get("data", {}) for out in outputs)
    assert any("Run record: budget 'default'" in _text(out) for out in outputs), (
        "store outputs from a default run: make notebooks")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_colab_setup_installs_from_the_configured_repository(notebook):
    content = json.loads(notebook.read_text())
    assert content["metadata"]["kernelspec"]["name"] == "python3"  # what Colab and Jupyter start
    cells = content["cells"]
    setup = next("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert 'if "google.colab" in sys.modules' in setup
    assert f"git+{CONFIG['repository']['url']}" in setup
    install_lines = [line for line in setup.splitlines() if "pip" in line or "git+" in line]
    assert install_lines and not any("tensorflow" in line.lower() for line in install_lines)


def _setup_cell(notebook: Path) -> str:
    cells = json.loads(notebook.read_text())["cells"]
    return next("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def _colab_block(setup: str) -> str:
    """The `if "google.colab" in sys.modules:` block of a setup cell."""
    lines = setup.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith('if "google.colab"'))
    end = next((i for i in range(start + 1, len(lines))
                if lines[i] and not lines[i].startswith(" ")), len(lines))
    return "\n".join(lines[start:end])


def test_every_chapter_installs_dae_utils_the_same_way():
    blocks = {_colab_block(_setup_cell(notebook)) for notebook in NOTEBOOKS}
    assert len(blocks) == 1, "the chapters' Colab install blocks differ"


def test_a_failed_colab_install_says_what_failed_in_one_line(tmp_path):
    """No network or no public repository: one line with the reason and what to do."""
    block = _colab_block(_setup_cell(NOTEBOOKS[0]))
    url = re.search(r'"(git\+https://[^"]+)"', block).group(1)
    script = tmp_path / "setup.py"
    script.write_text("import sys, types\n"
                      'sys.modules["google.colab"] = types.ModuleType("colab")\n'
                      + block.replace(url, "git+file:///no/such/repository") + "\n")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()
    assert len(message) == 1, message
    assert message[0].startswith("Could not install dae_utils from git+file:///no/such")
    assert "does not appear to be a git repository" in message[0]  # git's own reason
    assert "internet" in message[0] and "Traceback" not in result.stderr


SECOND_EDITION = [n for n in NOTEBOOKS if n.stem[:2] in {"01", "02", "03", "04", "05"}]
WITH_ANSWERS = [*SECOND_EDITION, *(n for n in NOTEBOOKS if n.stem[:2] in {"06", "07"})]
REFERENCE = re.compile(r"mean training image:? (?:PSNR )?(\d+\.\d+) dB")
# What an exercise prints about things that are not its trained model: the references and
# the classical filters it compares against.
NOT_A_MODEL = re.compile(r"(mean training image|all black|noisy input|median 3x3|references?"
                         r"|References)[^,;)\n]*?\d+\.\d+ dB")


@pytest.mark.parametrize("notebook", WITH_ANSWERS, ids=lambda p: p.stem)
def test_every_exercise_has_a_written_answer(notebook):
    cells = json.loads(notebook.read_text())["cells"]
    solutions = [i for i, c in enumerate(cells) if "hide-cell" in c["metadata"].get("tags", [])]
    assert len(solutions) >= 3
    for i in solutions:
        answer = "".join(cells[i + 1]["source"])
        assert cells[i + 1]["cell_type"] == "markdown" and answer.startswith(
            ":::{dropdown} Answer to exercise"), f"cell {i}: no written answer after it"
    for cell in cells:
        source = "".join(cell["source"])
        assert "%%" not in source and "\u00ab" not in source, "a placeholder was left"


@pytest.mark.parametrize("notebook", SECOND_EDITION, ids=lambda p: p.stem)
def test_every_trained_exercise_beats_the_mean_digit(notebook):
    """The stored default run: in every solution that reports a PSNR, the best model it
    trained scores above the mean-training-image reference the chapter printed."""
    cells = json.loads(notebook.read_text())["cells"]
    text = "\n".join(_text(out) for cell in cells for out in cell.get("outputs", []))
    reference = float(REFERENCE.search(text).group(1))
    checked = 0
    for cell in cells:
        if "hide-cell" not in cell["metadata"].get("tags", []):
            continue
        printed = NOT_A_MODEL.sub("", "\n".join(_text(o) for o in cell.get("outputs", [])))
        scores = [float(value) for value in re.findall(r"(\d+\.\d+) dB", printed)]
        if scores:
            checked += 1
            assert max(scores) > reference + 0.5, (
                f"an exercise's best model scores {max(scores)} dB, not clearly above the "
                f"mean training image's {reference} dB")
    assert checked >= 1


def test_chapter_code_fits_the_book_column():
    """The rendered code column shows 88 characters; ruff checks it (notebooks/ruff.toml)."""
    config = (ROOT / "notebooks" / "ruff.toml").read_text()
    assert "line-length = 88" in config
    for notebook in NOTEBOOKS:
        for cell in json.loads(notebook.read_text())["cells"]:
            if cell["cell_type"] == "code":
                for line in "".join(cell["source"]).splitlines():
                    assert len(line) <= 88, f"{notebook.name}: {line[:60]}..."


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_has_alt_text(notebook):
    """Figures from code cells carry alt text (cell metadata mystnb.image.alt), each its own:
    two figures with one description leave a screen reader unable to tell them apart."""
    seen = {}
    for i, cell in enumerate(json.loads(notebook.read_text())["cells"]):
        figures = sum("image/png" in out.get("data", {}) for out in cell.get("outputs", []))
        assert figures <= 1, f"cell {i} draws {figures} figures under one alt text"
        if figures:
            alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) > 20, f"cell {i} draws a figure without alt text"
            assert alt not in seen, f"cells {seen.get(alt)} and {i} share one alt text"
            seen[alt] = i


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_stray_object_reprs_or_local_paths(notebook):
    """Stored outputs show results, not matplotlib return values or this machine's paths."""
    for out in _outputs(notebook):
        plain = "".join(out.get("data", {}).get("text/plain", ""))
        if "image/png" not in out.get("data", {}):
            assert not re.match(r"(Text|\[<matplotlib|<matplotlib)", plain), plain[:80]
        text = _text(out)
        assert str(ROOT) not in text and "/tmp/" not in text, text[:120]


def test_every_page_shows_its_edition_and_links_the_changelog(built_book):
    import dae_utils

    date = re.search(rf"^## \[{re.escape(dae_utils.__version__)}\] - (\S+)$",
                     (ROOT / "CHANGELOG.md").read_text(), re.MULTILINE).group(1)
    pages = [p for p in built_book.rglob("*.html")
             if p.parent.name in ("book", "notebooks")]
    assert len(pages) >= len(NOTEBOOKS) + 4  # chapters, intro, instructors, references, changelog
    for page in pages:
        html = page.read_text()
        footer = re.search(r'<p class="edition">Edition ([^ ]+) \(([^)]+)\)'
                           r'(?: with unreleased changes)? &middot; <a href="([^"]+)">', html)
        assert footer, f"{page.name} does not show the edition"
        assert footer.groups()[:2] == (dae_utils.__version__, date)
        target = page if footer.group(3).startswith("#") else page.parent / footer.group(3)
        assert target.resolve() == built_book / "book" / "changelog.html", page.name
    changelog = (built_book / "book" / "changelog.html").read_text()
    assert re.search(rf">{re.escape(dae_utils.__version__)}</a> - {date}<", changelog)
