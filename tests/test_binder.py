"""Binder's launch button: repo2docker's install steps, run here in a fresh venv.

repo2docker reads binder/ (runtime.txt for Python, requirements.txt through pip, then the
postBuild script) from the repository root. This test runs the same two steps with the same
tools and then a chapter from the repository's notebooks folder, as Binder opens it.
"""

import os
import re
import sys
from pathlib import Path

import pytest
from test_compat import UV, _execute, _find_python, _run, _source_copy

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def test_binder_config_names_a_python_and_installs_the_pins():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.1[1-3]", runtime), runtime
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    assert "-r ../requirements.txt" in lines
    assert os.access(BINDER / "postBuild", os.X_OK), "postBuild must be executable"


@pytest.mark.skipif(UV is None, reason="needs uv to create the venv")
def test_binder_install_steps_give_a_chapter_that_runs(tmp_path):
    version = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    venv = tmp_path / "binder-venv"
    _run([UV, "venv", "--quiet", "--seed", "--python", _find_python(version) or sys.executable,
          venv])
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}:{os.environ['PATH']}"
    # repo2docker's two steps, from the repository root, with the environment's own pip.
    source = _source_copy(tmp_path)  # the repository's files, built outside the checkout
    _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "-r",
          "binder/requirements.txt"], cwd=source, env=env)
    _run(["bash", source / "binder" / "postBuild"], cwd=source, env=env)

    location = _run([venv / "bin" / "python", "-c", "import dae_utils; print(dae_utils.__file__)"],
                    cwd=tmp_path, env=env)
    assert Path(location.strip()).is_relative_to(venv), f"dae_utils came from {location}"

    # Binder opens notebooks/<chapter>.ipynb in place; run a copy beside it in the fast budget.
    chapter = ROOT / "notebooks" / "01_conv_autoencoder.ipynb"
    copy = chapter.with_name(f".binder-test-{os.getpid()}.ipynb")
    copy.write_text(chapter.read_text())
    try:
        printed = _execute(venv, copy)
    finally:
        copy.unlink(missing_ok=True)
    assert "Run record: budget 'fast'" in printed
