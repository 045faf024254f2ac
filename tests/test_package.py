"""The package's layout: what `import dae_utils` costs, its public surface, its command lines."""

import ast
import importlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import dae_utils

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dae_utils"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")
PUBLIC = [p for p in MODULES if not p.name.startswith("_")]


def _dotted(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_the_version_is_written_once_and_installed_as_written():
    assert importlib.metadata.version("dae-utils") == dae_utils.__version__
    assert "version =" not in (ROOT / "pyproject.toml").read_text().split("[project]")[1] \
        .split("\n[")[0].replace("dynamic", "")


def test_the_package_docstring_maps_every_module():
    for path in MODULES:
        assert f"`{_dotted(path)}`" in dae_utils.__doc__, f"{_dotted(path)} is not in the map"


@pytest.mark.parametrize("path", PUBLIC, ids=_dotted)
def test_public_modules_declare_what_they_export(path):
    module = importlib.import_module(_dotted(path))
    assert hasattr(module, "__all__"), f"{_dotted(path)} has no __all__"
    for name in module.__all__:
        assert hasattr(module, name), f"{_dotted(path)}.__all__ names a missing {name}"
    defined = {node.name for node in ast.parse(path.read_text()).body
               if isinstance(node, (ast.FunctionDef, ast.ClassDef))
               and not node.name.startswith("_")}
    missing = defined - set(module.__all__)
    assert not missing, f"public but not in __all__: {missing}"


@pytest.mark.parametrize("path", MODULES, ids=_dotted)
def test_no_module_imports_another_modules_private_names(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dae_utils"):
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert not private, f"{_dotted(path)} imports {private} from {node.module}"


def test_importing_the_package_loads_no_tensorflow():
    code = "import sys, dae_utils; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("command", ["dae_utils.cli.train_denoiser", "dae_utils.cli.benchmark"])
def test_command_line_help_is_quick_and_loads_no_tensorflow(command):
    code = (f"import runpy, sys; sys.argv = ['x', '--help']\n"
            f"try:\n    runpy.run_module('{command}', run_name='__main__')\n"
            f"except SystemExit:\n    pass\n"
            f"print('tensorflow loaded:', 'tensorflow' in sys.modules)")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "0"})
    seconds = time.perf_counter() - start
    assert result.returncode == 0 and "usage:" in result.stdout
    assert "tensorflow loaded: False" in result.stdout
    assert result.stderr == ""
    print(f"{command} --help: {seconds:.2f} s")


def test_gitignore_ignores_no_tracked_file():
    if not (ROOT / ".git").exists() or not shutil.which("git"):
        pytest.skip("not a git checkout")
    tracked_but_ignored = subprocess.run(
        ["git", "ls-files", "--cached", "--ignored", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert tracked_but_ignored == []
