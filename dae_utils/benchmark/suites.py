"""The benchmark's suites, run in order, each job cached as it finishes (`runner`).

1. "rates" and "classical": the learning-rate grid of every learned model (seed 0, first noise
   recipe) and every classical method, in one pool of workers;
2. "denoisers" and "ablation": every model, noise and seed at its chosen rate, and the arm of
   the ablation trained on noise drawn once;
3. "schedules": the sources' schedules against the book's, one job at a time (alone);
4. "throughput": alone, last.
A suite left out of `suites` is skipped; one whose results are cached costs nothing.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from dae_utils.benchmark import (
    suite_ablation,
    suite_classical,
    suite_denoisers,
    suite_schedules,
    suite_throughput,
)
from dae_utils.benchmark.runner import run_jobs

__all__ = ["SUITES", "run_suites"]

SUITES = ("denoisers", "classical", "ablation", "schedules", "throughput")
# Relative training cost per step, to start the longest jobs first.
_COST = {"U-Net": 6, "deep conv AE": 5, "builder": 5, "strided": 2, "dense 1024": 1,
         "dense 128": 0, "BM3D": 7, "non-local means": 2}


def _longest_first(jobs: list) -> list:
    return sorted(jobs, key=lambda job: -_COST.get(job.arguments.get("method"), 0))


def run_suites(size, cache: Path, suites=SUITES, workers: int | None = None, log=print) -> dict:
    """Run the jobs of `suites` not yet in the cache, then gather every suite whose jobs are
    all cached, run now or before: {"results": {suite: [job results]}, "rates": {(data set,
    model): rate}, "wall_seconds": {phase: seconds, summed over the runs that computed its
    jobs}}. The ablation's results come as "ablation" (noise), "head ablation" and
    "recipe ablation"."""
    selected = set(suites)
    unknown = selected - set(SUITES)
    if unknown:
        raise ValueError(f"unknown suites {sorted(unknown)}; choose from {SUITES}.")
    workers = workers or size.workers
    wall = {}

    def phase(name, jobs, pool_workers):
        todo = [job for job in jobs if not job.path(cache, size).exists()]
        if jobs:
            log(f"{name}: {len(jobs)} jobs, {pool_workers} at a time.")
            started = time.perf_counter()
            run_jobs(jobs, size, cache, pool_workers, log)
            if todo:  # a phase whose jobs were all cached keeps the time it took then
                wall[name] = round(time.perf_counter() - started, 1)
                _record_wall(cache, name, wall[name])

    def cached(jobs):
        found = run_jobs(jobs, size, cache, compute=False)
        return found if jobs and all(r is not None for r in found) else None

    rate_jobs, classical_jobs = suite_denoisers.rate_jobs(size), suite_classical.jobs(size)
    phase("learning rates and classical methods", _longest_first(
        (rate_jobs if selected & {"denoisers", "ablation"} else [])
        + (classical_jobs if "classical" in selected else [])), workers)
    rate_results = cached(rate_jobs)
    rates = suite_denoisers.choose_rates(rate_results) if rate_results else {}
    noise_jobs = suite_ablation.jobs(size, rates) if rate_results else []
    head_jobs = suite_ablation.head_jobs(size)
    recipe_jobs = suite_ablation.recipe_jobs(size, rates) if rate_results else []
    wanted = {"denoisers": suite_denoisers.jobs(size, rates) if rate_results else [],
              "ablation": noise_jobs + head_jobs + recipe_jobs}
    # The ablation's fresh arm is a denoisers job: run once, used by both.
    phase("denoisers and ablation", _longest_first(list(dict.fromkeys(
        job for suite in ("denoisers", "ablation") if suite in selected
        for job in wanted[suite]))), workers)
    wanted |= {"classical": classical_jobs, "schedules": suite_schedules.jobs(size),
               "throughput": suite_throughput.jobs(size)}
    for suite in ("schedules", "throughput"):
        if suite in selected:
            phase(f"{suite} (alone)", wanted[suite], 1)

    results = {"rates": rate_results} if rate_results else {}
    for suite in SUITES:
        found = cached(wanted[suite])
        if found:
            results[suite] = found
    if "ablation" in results:  # its three experiments
        found = results["ablation"]
        heads_end = len(noise_jobs) + len(head_jobs)
        results["ablation"] = found[:len(noise_jobs)]
        results["head ablation"] = found[len(noise_jobs):heads_end]
        if recipe_jobs:
            results["recipe ablation"] = found[heads_end:]
    return {"results": results, "rates": rates, "wall_seconds": _recorded_walls(cache)}


def _record_wall(cache: Path, phase: str, seconds: float) -> None:
    """Add `seconds` to the wall time recorded for `phase` (runs resumed add up)."""
    walls = _recorded_walls(cache)
    walls[phase] = round(walls.get(phase, 0.0) + seconds, 1)
    Path(cache).mkdir(parents=True, exist_ok=True)
    (Path(cache) / "wall_seconds.json").write_text(json.dumps(walls, indent=1) + "\n")


def _recorded_walls(cache: Path) -> dict:
    """{phase: wall seconds} of every run on this cache so far."""
    path = Path(cache) / "wall_seconds.json"
    return json.loads(path.read_text()) if path.exists() else {}
