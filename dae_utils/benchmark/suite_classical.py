"""Suite "classical": filters at their best, the Wiener filter, and BM3D on a fixed subset.

Every filter is tuned on validation images over a grid that is extended while its best setting
sits on an edge and then refined around its best; non-local means is tuned over its patch size
and its noise estimate as well as its strength. Every filter's output, like every learned
model's, then goes through a clipped straight-line intensity correction fitted on the same
validation images. The Wiener filter (the best linear filter over k x k patches) is fitted on
training images, its patch size tuned on validation up to 27 (the grid extends at most
`max_extensions` times past an edge, and a setting still at an edge is flagged). BM3D,
at about half a second per image on a CPU, is tuned on a few validation images and scores a
fixed subset of the test images (the first `bm3d_test_images`), which every method's per-image
scores also cover, so that BM3D can be paired with any of them.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from dae_utils.benchmark.runner import Job
from dae_utils.benchmark.splits import NOISES, load_split, noise_recipe, noisy
from dae_utils.benchmark.suite_denoisers import scores

__all__ = ["SUITE", "Grid", "tune", "METHODS", "jobs", "classical_job"]

SUITE = "classical"
METHODS = ("median", "Gaussian", "non-local means", "total variation", "Wiener", "BM3D")


@dataclass(frozen=True)
class Grid:
    """Settings to try: "log" values grow by a factor, "odd" values are odd integers (+2).

    lower, upper: the values an extension may not pass (a median of size 1 changes nothing).
    """

    values: tuple
    kind: str = "log"
    lower: float = 0.0
    upper: float = math.inf

    def beyond(self, tried: list, side: int):
        """The next setting past the lowest (side -1) or highest (side +1) one tried, or None."""
        ordered = sorted(tried)
        if self.kind == "odd":
            value = ordered[0] - 2 if side < 0 else ordered[-1] + 2
        else:
            ratio = ordered[1] / ordered[0] if side < 0 else ordered[-1] / ordered[-2]
            value = float(f"{(ordered[0] / ratio if side < 0 else ordered[-1] * ratio):.4g}")
        return value if self.lower <= value <= self.upper else None

    def between(self, a, b):
        """A setting between two tried ones (their geometric mean), or None for odd sizes."""
        if self.kind == "odd":
            return None
        return float(f"{math.sqrt(a * b):.4g}")


def tune(score, grid: Grid, max_extensions: int = 6, refinements: int = 2,
         flat_db: float = 0.01) -> dict:
    """Try every setting of `grid` with score(setting) -> (PSNR, extra); extend while the best
    sits on an edge and beats its neighbour by more than `flat_db`; then, `refinements` times,
    try the settings halfway (geometrically) between the best and its neighbours.

    Returns {"best", "psnr", "extra" (of the best), "tried" (setting -> PSNR), "on_edge"}:
    on_edge is True when the best is still an end of the settings tried, past `flat_db`.
    """
    results = {value: score(value) for value in grid.values}

    def best_and_side():
        ordered = sorted(results)
        best = max(results, key=lambda v: results[v][0])
        position = ordered.index(best)
        side = -1 if position == 0 else (1 if position == len(ordered) - 1 else 0)
        neighbour = ordered[position - side] if side else best
        return ordered, best, side, bool(side and results[best][0] - results[neighbour][0]
                                         > flat_db)

    for _ in range(max_extensions):
        ordered, best, side, rising = best_and_side()
        nxt = grid.beyond(ordered, side) if rising else None
        if nxt is None or nxt in results:
            break
        results[nxt] = score(nxt)
    for _ in range(refinements):
        ordered, best, _, _ = best_and_side()
        position = ordered.index(best)
        for other in ordered[max(0, position - 1):position] + ordered[position + 1:position + 2]:
            middle = grid.between(best, other)
            if middle is not None and middle not in results:
                results[middle] = score(middle)
    ordered, best, _, rising = best_and_side()
    return {"best": best, "psnr": float(results[best][0]), "extra": results[best][1],
            "tried": {str(k): float(results[k][0]) for k in ordered}, "on_edge": rising}


def _filter(method: str):
    """(function(images, setting), Grid) of a filter with one tuned setting."""
    from dae_utils import baselines

    if method == "median":
        return (lambda x, size: baselines.median_filter(x, size=int(size)),
                Grid((1, 3, 5, 7), "odd", lower=1, upper=27))
    if method == "Gaussian":
        return (lambda x, s: baselines.gaussian_blur(x, sigma=s),
                Grid((0.25, 0.5, 1.0, 2.0), lower=0.05, upper=8))
    if method == "total variation":
        return (lambda x, w: baselines.total_variation(x, weight=w),
                Grid((0.025, 0.05, 0.1, 0.2, 0.4, 0.8), lower=0.001, upper=10))
    if method == "BM3D":
        return (lambda x, s: baselines.bm3d_denoise(x, sigma=s),
                Grid((0.0625, 0.125, 0.25, 0.5), lower=0.005, upper=2))
    raise ValueError(f"no single-setting filter called {method!r}")


def classical_job(size, dataset: str, noise: str, method: str) -> dict:
    """Tune `method` on validation images, then score it on the test images."""
    from dae_utils import baselines
    from dae_utils.metrics import psnr

    split = load_split(dataset, size.datasets[dataset])
    recipe = noise_recipe(noise)
    n_tune = size.bm3d_tune_images if method == "BM3D" else size.tune_images
    tune_clean, tune_noisy = split["val"][:n_tune], noisy(split, noise, "val")[:n_tune]
    test_clean, test_noisy = split["test"], noisy(split, noise, "test")
    if method == "BM3D":
        test_clean, test_noisy = test_clean[:size.bm3d_test_images], \
            test_noisy[:size.bm3d_test_images]

    def corrected_score(apply):
        def score(setting):
            filtered = apply(tune_noisy, setting)
            correction = baselines.fit_intensity_correction(filtered, tune_clean)
            return psnr(tune_clean, correction.apply(filtered)), correction
        return score

    if method == "Wiener":
        fit_images = split["train"][:size.datasets[dataset].linear_fit_images]
        fit_noisy = recipe.apply(fit_images, seed=300 + NOISES.index(noise))
        fitted = {}

        def apply(images, k):
            if k not in fitted:
                fitted[k] = baselines.fit_linear_denoiser(fit_noisy, fit_images, int(k))
            return fitted[k].apply(images)

        tuned = tune(corrected_score(apply), Grid((3, 5, 7, 9), "odd", lower=1, upper=27))
        settings = {"patch": tuned["best"]}
    elif method == "non-local means":
        # Strength h (a multiple of sigma, or of the noise std when sigma is 0), patch size and
        # the noise estimate scikit-image subtracts from patch distances (0 or the true std).
        options = {}
        for patch in (3, 5, 7):
            for sigma in (0.0, recipe.std):
                def apply(images, h, patch=patch, sigma=sigma):
                    return baselines.non_local_means(images, sigma=sigma, h=h, patch_size=patch,
                                                     noise_std=recipe.std)
                options[patch, sigma] = (tune(corrected_score(apply),
                                              Grid((0.1, 0.2, 0.4, 0.8, 1.6), lower=0.005,
                                                   upper=20)), apply)
        (patch, sigma), (tuned, apply) = max(options.items(), key=lambda kv: kv[1][0]["psnr"])
        settings = {"h": tuned["best"], "patch": patch, "sigma": sigma,
                    "best_per_option": {f"patch {p}, sigma {s}": t["psnr"]
                                        for (p, s), (t, _) in options.items()}}
    else:
        apply, grid = _filter(method)
        tuned = tune(corrected_score(apply), grid)
        settings = {"setting": tuned["best"]}

    started = time.perf_counter()
    filtered = apply(test_noisy, tuned["best"])
    restored = tuned["extra"].apply(filtered)
    seconds = time.perf_counter() - started
    return {"dataset": dataset, "noise": noise, "method": method, **settings,
            "tuning_psnr": tuned["tried"], "validation_psnr": tuned["psnr"],
            "on_edge": tuned["on_edge"], "tune_images": n_tune,
            "correction": {"scale": tuned["extra"].scale, "offset": tuned["extra"].offset},
            "psnr_uncorrected": float(psnr(test_clean, filtered)),
            "images_per_second": len(test_noisy) / max(seconds, 1e-9),
            **scores(test_clean, restored)}


def jobs(size) -> list:
    """One job per data set, noise and method; BM3D first (the longest), if installed."""
    from dae_utils.baselines import bm3d_available

    methods = ["BM3D"] if bm3d_available() else []
    methods += [m for m in METHODS if m != "BM3D"]
    return [Job(SUITE, f"{__name__}:classical_job",
                {"dataset": dataset, "noise": noise, "method": method})
            for method in methods for dataset in size.datasets for noise in NOISES]
