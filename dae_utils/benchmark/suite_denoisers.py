"""Suite "denoisers": every learned model trained to convergence, with seeds, on both data sets
and both noise recipes.

1. Learning rate: per model and data set, each peak rate of the size's grid trains seed 0 on
   the first noise recipe; the rate with the best validation PSNR is that model's rate on that
   data set, for every seed and both recipes (the run that chose it is its seed-0 run).
2. Every (data set, noise, model, seed) trains to convergence (`training`), retried at a lower
   rate while it ends at or below the mean training image on validation. A run that fails
   every attempt is reported as failed and enters no mean.
3. Each trained model restores the fixed noisy test images; its outputs go through the same
   validation-fitted intensity correction as every classical method.
"""

from __future__ import annotations

import time

import numpy as np

from dae_utils.benchmark.denoisers import DENOISERS
from dae_utils.benchmark.runner import Job
from dae_utils.benchmark.splits import NOISES, load_split, noise_recipe, noisy

__all__ = ["SUITE", "rate_jobs", "choose_rates", "jobs", "train_job", "scores",
           "mean_image_floor"]

SUITE = "denoisers"
_MODULE = __name__


def scores(clean, restored) -> dict:
    """Per-image PSNR (dB, 3 decimals) and SSIM (4 decimals) as JSON-ready lists."""
    from dae_utils.metrics import psnr, ssim

    return {"psnr": np.round(psnr(clean, restored, "none"), 3).tolist(),
            "ssim": np.round(ssim(clean, restored, "none"), 4).tolist()}


def mean_image_floor(split: dict) -> float:
    """PSNR of the mean training image on the validation images: a run at or below it failed."""
    from dae_utils.metrics import psnr

    return float(psnr(split["val"], np.broadcast_to(split["train"].mean(axis=0),
                                                    split["val"].shape)))


def train_job(size, dataset: str, noise: str, method: str, seed: int, learning_rate: float,
              noise_draws: str = "fresh", output: str = "benchmark",
              retries: int | None = None) -> dict:
    """Train one model once (with the size's retries, or `retries`) and score it on the test
    images. output "chapter": the model with its chapter's sigmoid (`CHAPTER_OUTPUTS`)."""
    from dae_utils.baselines import fit_intensity_correction
    from dae_utils.benchmark.denoisers import CHAPTER_OUTPUTS
    from dae_utils.benchmark.training import images_of, train_with_retries

    denoiser = DENOISERS[method] if output == "benchmark" else CHAPTER_OUTPUTS[method]
    split = load_split(dataset, size.datasets[dataset])
    validation = (noisy(split, noise, "val"), split["val"])
    x_train = split["train"]
    floor = mean_image_floor(split)
    run, attempts = train_with_retries(
        denoiser.build, denoiser.loss, denoiser.head, size.rule, learning_rate, x_train,
        noise_recipe(noise), validation, floor, seed=seed, noise_draws=noise_draws,
        retries=size.retries if retries is None else retries)
    result = {"dataset": dataset, "noise": noise, "method": method, "seed": seed,
              "noise_draws": noise_draws, "output": output, "chapter": denoiser.chapter,
              "loss": denoiser.loss,
              "head": denoiser.head, "changes": denoiser.changes, "floor_db": floor,
              "learning_rate": learning_rate, "attempts": attempts, "failed": run is None,
              "n_train": len(x_train)}
    if run is None:
        return result
    correction = fit_intensity_correction(images_of(run.model, validation[0], denoiser.head),
                                          split["val"])
    test_noisy = noisy(split, noise, "test")
    images_of(run.model, test_noisy[:8], denoiser.head)  # warm up before timing
    started = time.perf_counter()
    restored = images_of(run.model, test_noisy, denoiser.head)
    seconds = time.perf_counter() - started
    return {**result, "parameters": int(run.model.count_params()),
            "images_per_second": len(test_noisy) / max(seconds, 1e-9),
            "correction": {"scale": correction.scale, "offset": correction.offset},
            "psnr_uncorrected": float(np.mean(scores(split["test"], restored)["psnr"])),
            **scores(split["test"], correction.apply(restored))}


def rate_jobs(size) -> list:
    """Phase 1: every peak rate of the grid, seed 0, first noise recipe."""
    return [Job(SUITE, f"{_MODULE}:train_job",
                {"dataset": dataset, "noise": NOISES[0], "method": method,
                 "seed": size.seeds[0], "learning_rate": rate})
            for dataset in size.datasets for method in DENOISERS
            for rate in size.learning_rates]


def choose_rates(results: list) -> dict:
    """{(data set, model): the peak rate whose run scored best on validation} from phase 1's
    results (the rate it trained at, after any retries), preferring runs that did not fail
    (when all failed, the best of them: its seeds then train and are reported as failed)."""
    best = {}
    for result in results:
        key = (result["dataset"], result["method"])
        last = result["attempts"][-1]  # the rate that trained, after any retries
        score = (not result["failed"], last["best_val_psnr"])
        if key not in best or score > best[key][1]:
            best[key] = (last["learning_rate"], score)
    return {key: rate for key, (rate, _) in best.items()}


def jobs(size, rates: dict) -> list:
    """Phase 2: every data set, noise, model and seed, at its chosen rate (the seed-0 runs on
    the first recipe are phase 1's, found in the cache)."""
    return [Job(SUITE, f"{_MODULE}:train_job",
                {"dataset": dataset, "noise": noise, "method": method, "seed": seed,
                 "learning_rate": rates[dataset, method]})
            for dataset in size.datasets for method in DENOISERS
            for noise in NOISES for seed in size.seeds]
