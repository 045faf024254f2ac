"""The benchmark: its fast mode end to end, resuming from the job cache, the rules that keep
failed and unconverged runs out of its claims, its tuning, and the checks on its results."""

import copy
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from dae_utils.baselines import bm3d_available
from dae_utils.benchmark import report, summary
from dae_utils.benchmark.denoisers import DENOISERS
from dae_utils.benchmark.runner import Job, run_jobs
from dae_utils.benchmark.sizes import SIZES
from dae_utils.benchmark.splits import NOISES
from dae_utils.benchmark.suite_classical import Grid, tune
from dae_utils.budget import BUDGETS
from dae_utils.cli.benchmark import main

PNG = b"\x89PNG\r\n\x1a\n"


def _command(out, *extra):
    return subprocess.run(
        [sys.executable, "-m", "dae_utils.cli.benchmark", "--budget", "fast", "--out", str(out),
         *extra], capture_output=True, text=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})


@pytest.fixture(scope="module")
def fast_results(tmp_path_factory):
    """Run `python -m dae_utils.cli.benchmark --budget fast` once; return its output folder."""
    out = tmp_path_factory.mktemp("bench")
    result = _command(out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr == "", "the command printed TensorFlow's log lines or warnings"
    assert "Wrote" in result.stdout and "jobs, 2 at a time" in result.stdout
    return out


@pytest.fixture()
def results(fast_results):
    return report.load_results(fast_results)  # runs check_results too


def test_fast_run_covers_every_suite_data_set_method_and_seed(results):
    meta = results["meta"]
    assert meta["budget"] == "fast" and set(meta["data"]) == {"MNIST", "Fashion-MNIST"}
    assert set(meta["suites"]) == {"denoisers", "classical", "ablation", "schedules",
                                   "throughput"}
    assert meta["data"]["Fashion-MNIST"]["n_test"] == 16
    learned = results["denoisers"]["rows"]
    assert {(r["dataset"], r["noise"], r["method"]) for r in learned} == {
        (d, n, m) for d in meta["data"] for n in NOISES for m in DENOISERS}
    for row in learned:
        assert row["seeds"] == len(meta["seeds"]) == len(row["convergence"])
        assert row["changes"] == DENOISERS[row["method"]].changes
        for run in row["convergence"]:
            curve = run["curve"]
            assert len(curve["steps"]) == len(curve["val_psnr"]) == len(curve["seconds"])
            assert run["best_step"] in curve["steps"] and run["stopped"] in (
                "converged", "step cap")
    classical = {r["method"] for r in results["classical"]["rows"]}
    assert classical == {"median", "Gaussian", "non-local means", "total variation", "Wiener",
                         *(["BM3D"] if bm3d_available() else [])}
    for row in results["classical"]["rows"]:
        assert set(row["correction"]) == {"scale", "offset"}
        expected = SIZES["fast"].bm3d_test_images if row["method"] == "BM3D" else 16
        assert row["psnr"]["images"] == expected
    nlm = next(r for r in results["classical"]["rows"] if r["method"] == "non-local means")
    assert len(nlm["best_per_option"]) == 6  # three patch sizes, two noise estimates


def test_the_chapters_head_trains_on_its_own_recipe_at_the_rows_rate(results):
    """Experiment 3 of the ablation: the chapter's sigmoid, on the noise of the benchmark row
    it is compared with, at that row's chosen rate; both arms on the same seeds."""
    rows = {(r["method"], r["noise"]): r for r in results["denoisers"]["rows"]
            if r["dataset"] == "MNIST"}
    recipes = results["ablation"]["recipes"]
    assert [(r["method"], r["noise"]) for r in recipes] == list(
        SIZES["fast"].chapter_head_recipes)
    for recipe in recipes:
        assert recipe["learning_rate"] == rows[recipe["method"], recipe["noise"]][
            "learning_rate"]
        assert recipe["seeds"] == len(results["meta"]["seeds"])
        assert len(recipe["chapter"]["curves"]) == len(recipe["benchmark"]["curves"])


def test_every_planned_comparison_is_tested_or_says_why_not_and_holm_adjusts(results):
    rows = results["comparisons"]["rows"]
    assert [(r["dataset"], r["noise"], r["a"], r["b"]) for r in rows] == summary.planned(
        results["meta"]["data"])
    family = [*rows, *results["ablation"]["rows"], *results["ablation"]["heads"],
              *results["schedules"]["rows"]]
    # The recipes experiment is a follow-up outside the planned family: no Holm, no verdict.
    assert all("p_holm" not in r and "clear" not in r for r in results["ablation"]["recipes"])
    assert results["comparisons"]["family_size"] == len(family)
    for row in family:
        assert ("difference" in row) != ("skipped" in row)
        if "difference" in row:
            assert row["p_holm"] >= row["difference"]["p"]
            assert row["clear"] == (row["p_holm"] < 0.05)
        else:
            assert row["p_holm"] == 1.0 and not row["clear"]


def test_the_schedules_threshold_is_the_sources_best_checkpoint(results):
    for row in results["schedules"]["rows"]:
        for run in row["runs"]:
            assert run["threshold_mse"] == min(run["source"]["val_mse"])
            best = run["source"]["val_mse"].index(run["threshold_mse"])
            assert run["source_seconds_to_best"] == run["source"]["seconds"][best]
            assert len(run["book"]["steps"]) == len(run["book"]["seconds"])
        for arm in ("source", "book"):  # each run's test score, and their mean in the row
            per_run = [run[f"{arm}_test_psnr"] for run in row["runs"]]
            assert abs(sum(per_run) / len(per_run) - row[f"{arm}_test_psnr"]["mean"]) < 1e-9


def test_fast_run_writes_the_report_and_the_figures(fast_results):
    markdown = (fast_results / "report.md").read_text()
    for heading in ("## MNIST", "## Fashion-MNIST", "## Convergence",
                    "## Planned comparisons (Holm-adjusted)", "## Fresh noise",
                    "## The sources' training schedules", "## Throughput"):
        assert heading in markdown
    for name in ("results-MNIST.png", "curves-MNIST.png", "schedules.png"):
        assert (fast_results / name).read_bytes()[:8] == PNG


def test_a_second_run_resumes_from_the_cache_and_one_suite_runs_alone(fast_results, tmp_path):
    out = tmp_path / "copy"
    shutil.copytree(fast_results, out)
    again = _command(out)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "already done" in again.stdout and "[1/" not in again.stdout  # nothing trained
    assert json.loads((out / "denoisers.json").read_text()) == json.loads(
        (fast_results / "denoisers.json").read_text())
    walls = [json.loads((folder / "meta.json").read_text())["wall_seconds"]
             for folder in (fast_results, out)]
    kept = [{k: v for k, v in wall.items() if k != "this command"} for wall in walls]
    assert kept[0] == kept[1], "a resumed run keeps the times of the phases it did not run"
    shutil.rmtree(out / "jobs" / "throughput")
    alone = _command(out, "--suite", "throughput")
    assert alone.returncode == 0, alone.stderr[-2000:]
    assert "throughput (alone): 1 jobs" in alone.stdout and "denoisers:" not in alone.stdout
    assert (out / "jobs" / "throughput").is_dir()


def _learned(method, seed, psnr, failed=False, gain=0.0):
    attempt = {"learning_rate": 1e-3, "stopped": "converged", "best_step": 10,
               "steps_trained": 20, "best_val_psnr": 15.0, "last_fifth_gain": gain,
               "steps": [10, 20], "val_psnr": [15.0, 15.0], "seconds": [1.0, 2.0],
               "failed": failed}
    result = {"dataset": "MNIST", "noise": NOISES[0], "method": method, "seed": seed,
              "chapter": "2", "loss": "mse", "head": "linear", "changes": "",
              "learning_rate": 1e-3, "attempts": [attempt], "failed": failed}
    if not failed:
        result.update(psnr=list(psnr), ssim=[0.5] * len(psnr), psnr_uncorrected=1.0,
                      parameters=10, images_per_second=1.0)
    return result


def test_failed_seeds_enter_no_mean_and_unconverged_models_no_comparison():
    rng = np.random.default_rng(0)
    good = rng.normal(18, 1, 50)
    rows, scores = summary._learned_rows([
        _learned("U-Net", 0, good), _learned("U-Net", 1, None, failed=True),
        _learned("U-Net", 2, good + 0.2), _learned("dense 128", 0, good - 1, gain=0.5),
        _learned("dense 128", 2, good - 1), _learned("builder", 0, good)], subset=10)
    unet = next(r for r in rows if r["method"] == "U-Net")
    assert unet["seeds"] == 3 and unet["seeds_failed"] == 1 and unet["psnr"]["seeds"] == 2
    assert unet["psnr"]["mean"] == pytest.approx(good.mean() + 0.1)
    dense = next(r for r in rows if r["method"] == "dense 128")
    assert dense["unconverged"] and not unet["unconverged"]
    unconverged = {(r["dataset"], r["noise"], r["method"]) for r in rows if r["unconverged"]}
    assert unet["psnr_subset"] == pytest.approx(good[:10].mean() + 0.1)
    family = [("MNIST", NOISES[0], "U-Net", "dense 128"), ("MNIST", NOISES[0], "U-Net", "BM3D"),
              ("MNIST", NOISES[0], "U-Net", "builder")]
    compared = summary._compare(scores, unconverged, family)
    assert compared[0]["skipped"] == "dense 128 had not converged"
    assert compared[1]["skipped"] == "BM3D has fewer than two trained seeds"
    assert compared[2]["skipped"] == "builder has fewer than two trained seeds"  # one seed


def test_two_learned_models_are_paired_on_the_seeds_both_trained():
    rng = np.random.default_rng(1)
    a = ([0, 1, 2], rng.normal(18, 1, (3, 40)))
    b = ([0, 2], a[1][[0, 2]] - 0.5)
    difference, n = summary._paired(a, b)
    assert n == 40 and difference["seeds"] == 2
    assert difference["mean"] == pytest.approx(0.5)
    assert summary._paired(a, ([1], a[1][[1]]))[0] is None


def test_a_verdict_names_the_winner_only_when_the_holm_adjusted_p_is_small():
    row = {"a": "U-Net", "b": "Wiener", "difference": {"mean": -0.5, "low": -0.8,
                                                       "high": -0.2, "p": 0.001},
           "p_holm": 0.01, "clear": True}
    assert report.verdict(row).startswith("Wiener beats U-Net: U-Net - Wiener = -0.50 dB")
    assert "not clearly different" in report.verdict(dict(row, p_holm=0.2, clear=False))
    assert "not compared (BM3D has no" in report.verdict(
        {"a": "U-Net", "b": "BM3D", "skipped": "BM3D has no trained run"})


def test_the_job_cache_key_follows_what_decides_the_result(tmp_path):
    size = SIZES["fast"]
    job = Job("suite", "math:sqrt", {"x": 1})
    assert job.key(size) == Job("other", "math:sqrt", {"x": 1}).key(size)
    assert job.key(size) != Job("suite", "math:sqrt", {"x": 2}).key(size)
    assert job.key(size) != job.key(SIZES["default"])
    from dataclasses import replace

    assert job.key(size) == job.key(replace(size, workers=7, seeds=(5, 6))), (
        "which jobs exist and how many run at once change no job's result")
    assert job.key(size) != job.key(replace(size, tune_images=9))
    assert run_jobs([job], size, tmp_path, compute=False) == [None]


@pytest.mark.parametrize(("damage", "message"), [
    (lambda r: r["denoisers"]["rows"].pop(), "missing"),
    (lambda r: r["classical"]["rows"][0]["psnr"].update(mean=float("nan")), "has PSNR"),
    (lambda r: r["denoisers"]["rows"][0].update(seeds=9), "seeds, the run"),
    (lambda r: r["meta"].pop("machine"), "meta has no 'machine'"),
    (lambda r: r["meta"].pop("job_seconds"), "meta has no 'job_seconds'"),
    (lambda r: r.pop("ablation"), "no results of suite 'ablation'"),
    (lambda r: r["schedules"]["rows"][0]["runs"][0]["book"]["seconds"].reverse(),
     "not increasing"),
])
def test_incomplete_results_are_refused(results, damage, message):
    broken = copy.deepcopy(results)
    damage(broken)
    with pytest.raises(ValueError, match=message):
        report.check_results(broken)


def test_tuning_extends_past_an_edge_then_refines_around_the_best():
    calls = []

    def score(x):  # peak at 0.1, below the grid
        calls.append(x)
        return -abs(np.log(x / 0.1)), None

    tuned = tune(score, Grid((0.4, 0.8, 1.6)))
    assert not tuned["on_edge"] and min(calls) < 0.1
    assert tuned["best"] == pytest.approx(0.1, rel=0.2)
    grid_points = {0.4, 0.8, 1.6, 0.2, 0.1, 0.05}
    assert set(calls) - grid_points, "no setting between grid points was tried"


def test_tuning_flags_an_edge_it_cannot_pass_and_ignores_a_flat_edge():
    rising = tune(lambda size: (size, None), Grid((1, 3, 5), "odd", lower=1, upper=7))
    assert rising["best"] == 7 and rising["on_edge"]
    assert set(rising["tried"]) == {"1", "3", "5", "7"}
    flat = tune(lambda h: (min(h, 1.0), None), Grid((0.25, 0.5, 1.0, 2.0)), refinements=0)
    assert not flat["on_edge"] and set(flat["tried"]) == {"0.25", "0.5", "1.0", "2.0"}


def test_missing_results_say_how_to_make_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m dae_utils.cli.benchmark --out"):
        report.load_results(tmp_path / "bench-default")
    with pytest.raises(FileNotFoundError, match="python -m dae_utils.cli.benchmark --out"):
        report.load_stored_results(tmp_path / "bench-default", "http://127.0.0.1:9/none")


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
        main(["--suite", "everything"])
    assert "invalid choice" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--workers", "0", "--out", str(tmp_path)])
    assert "--workers must be 1 or more" in capsys.readouterr().err


def test_the_benchmark_has_a_size_for_every_run_budget_and_no_other():
    assert set(SIZES) == set(BUDGETS)
    assert len(SIZES["default"].seeds) >= 3 and len(SIZES["full"].seeds) >= 3
    for name, size in SIZES.items():
        assert size.name == name and set(size.datasets) == {"MNIST", "Fashion-MNIST"}
        assert size.rule.warmup_fraction >= 0.1 and size.rule.clipnorm > 0


def _head_run(output, seed, psnr, gain):
    attempt = {"learning_rate": 0.01, "stopped": "step cap", "best_step": 3, "failed": False,
               "steps_trained": 3, "best_val_psnr": psnr, "last_fifth_gain": gain,
               "steps": [1, 2, 3], "val_psnr": [psnr - 1, psnr - 0.5, psnr],
               "seconds": [1.0, 2.0, 3.0]}
    return {"method": "builder", "dataset": "MNIST", "noise": NOISES[0], "seed": seed,
            "learning_rate": 0.01, "output": output, "failed": False,
            "attempts": [attempt], "psnr": [psnr, psnr + 0.1]}


@pytest.mark.parametrize(("gain", "compared"), [(0.02, True), (0.15, False)])
def test_the_head_ablation_compares_only_converged_arms(gain, compared):
    runs = [_head_run(output, seed, 18.0 + seed / 10 + (output == "chapter") / 5,
                      gain if (output, seed) == ("chapter", 1) else 0.01)
            for seed in range(3) for output in ("chapter", "benchmark")]
    row, = summary._heads(runs)
    assert ("difference" in row) == compared
    if not compared:
        assert row["skipped"] == "an arm had not converged"
