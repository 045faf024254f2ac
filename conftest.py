"""Tests run in the `fast` budget unless the caller chose one; nbval's kernels inherit it.

`make test` runs them on every core (pytest-xdist, `--dist loadgroup`). Some tests must share
a process: a notebook's cells share its kernel, and the book's tests share one build of the
book. Those form units; each unit goes whole to the least loaded worker, longest first, by the
seconds in SLOW, so that the workers finish close together.
"""

import heapq
import os
from collections import defaultdict

import pytest

os.environ.setdefault("DAE_BUDGET", "fast")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")

# Seconds the slow units took on a 2-core machine (pytest --durations, the compatibility
# stacks cached), by the start of their name (`_unit`); any other unit counts one second per
# test. They only steer how the tests are shared out: a wrong figure costs time, not a result.
SLOW = {
    "tests/test_compat.py::test_chapters_run_on_the_lowest_versions": 252,
    "tests/test_compat.py::test_chapters_run_on_colabs_stack": 230,
    "test_binder.py": 94,
    "test_install.py": 93,
    "test_benchmark.py": 75,  # one fast benchmark run, shared by the module's tests
    "test_train_denoiser.py": 25,
    "built book": 20,  # the build, the book's tests and the browser's
    "04_": 30,
    "06_": 24,
    "01_": 20,
    "02_": 20,
    "05_": 13,
    "03_": 11,
}


def _unit(item) -> str:
    """The tests that must run in the same process as `item` share this name."""
    if item.path.suffix == ".ipynb":
        return item.path.name  # nbval: one kernel per notebook
    if "built_book" in getattr(item, "fixturenames", ()):
        return "built book"  # one session-scoped build of the book
    if item.path.name == "test_compat.py":
        return item.nodeid  # each stack in its own cached environment
    return item.path.name  # a module's tests may share module-scoped fixtures


@pytest.hookimpl(tryfirst=True)  # before xdist turns the marks into groups
def pytest_collection_modifyitems(config, items):
    workers = getattr(config, "workerinput", {}).get("workercount")
    if not workers:
        return
    tests = defaultdict(int)
    for item in items:
        tests[_unit(item)] += 1
    cost = {unit: next((s for name, s in SLOW.items() if unit.startswith(name)), count)
            for unit, count in tests.items()}
    loads = [(0.0, worker) for worker in range(workers)]
    worker_of = {}
    for unit in sorted(cost, key=lambda u: (-cost[u], u)):  # longest first
        load, worker = heapq.heappop(loads)
        worker_of[unit] = worker
        heapq.heappush(loads, (load + cost[unit], worker))
    for item in items:
        item.add_marker(pytest.mark.xdist_group(f"worker{worker_of[_unit(item)]}"))
