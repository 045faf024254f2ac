"""The book: it builds with warnings as errors, and the stored chapter outputs are real runs."""

import json
import re
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
