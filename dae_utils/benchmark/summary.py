"""From the benchmark's per-image scores to the JSON it stores: one row per method with its
interval, every paired comparison, the ablation and the schedule comparisons.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import numpy as np

from dae_utils.benchmark.statistics import mean_interval, paired_difference, seed_interval

__all__ = ["summarise"]


def summarise(outputs: list, references: list) -> dict:
    """{"results", "pairs", "ablation", "schedule_comparisons"} from the jobs' outputs.

    outputs, references: dicts with "job", "dataset", "noise", "method" and per-image
    "psnr" and "ssim" arrays (the schedule jobs with their own keys), as the protocol's jobs
    and `protocol.reference_scores` return them.
    """
    groups = defaultdict(list)  # (dataset, noise, method) -> outputs, seeds in order
    for output in [*references, *outputs]:
        if output["job"] in ("model", "classical", "input", "reference"):
            groups[output["dataset"], output["noise"], output["method"]].append(output)
    rows, scores = [], {}
    for key, parts in groups.items():
        parts = sorted(parts, key=lambda p: p.get("seed", 0))
        psnr = np.stack([p["psnr"] for p in parts])
        ssim = np.stack([p["ssim"] for p in parts])
        scores[key] = psnr
        rows.append(_row(parts, psnr, ssim))
    return {"results": rows, "pairs": _pairs(scores),
            "ablation": _ablation([o for o in outputs if o["job"] == "ablation"]),
            "schedule_comparisons": _schedules([o for o in outputs if o["job"] == "schedules"])}


def _row(parts: list, psnr: np.ndarray, ssim: np.ndarray) -> dict:
    first = parts[0]
    kind = {"model": "reference model" if first.get("chapter") == "reference" else "model",
            "classical": "filter" if first["method"] != "Wiener" else "linear"}.get(
        first["job"], first["job"])
    row = {"dataset": first["dataset"], "noise": first["noise"], "method": first["method"],
           "kind": kind, "seeds": [p["seed"] for p in parts] if "seed" in first else [],
           "psnr": mean_interval(psnr), "ssim": mean_interval(ssim),
           "psnr_image_sd": float(psnr.std(axis=1).mean()),
           "psnr_seed_means": [float(v) for v in psnr.mean(axis=1)]}
    for key in ("chapter", "loss", "parameters", "setting", "tuning_psnr", "on_edge",
                "correction", "psnr_uncorrected"):
        if key in first:
            row[key] = first[key]
    for key in ("train_seconds", "images_per_second", "images_seen"):
        if key in first:
            row[key] = float(np.mean([p[key] for p in parts]))
    return row


def _pairs(scores: dict) -> list:
    """Every pair of methods on the same data set and noise: better - worse, in dB."""
    by_setting = defaultdict(dict)
    for (dataset, noise, method), psnr in scores.items():
        by_setting[dataset, noise][method] = psnr
    pairs = []
    for (dataset, noise), methods in by_setting.items():
        for a, b in combinations(methods, 2):
            better, worse = (a, b) if methods[a].mean() >= methods[b].mean() else (b, a)
            difference = paired_difference(methods[better], methods[worse])
            pairs.append({"dataset": dataset, "noise": noise, "better": better,
                          "worse": worse, "difference": difference})
    return pairs


def _ablation(outputs: list) -> list:
    """Fresh noise against noise drawn once, per model: both arms and their difference."""
    arms = defaultdict(list)
    for output in outputs:
        arms[output["method"], output["noise_draws"]].append(output)
    rows = []
    for method in dict.fromkeys(o["method"] for o in outputs):
        fresh = sorted(arms[method, "per-batch-graph"], key=lambda p: p["seed"])
        once = sorted(arms[method, "once"], key=lambda p: p["seed"])
        fresh_psnr = np.stack([p["psnr"] for p in fresh])
        once_psnr = np.stack([p["psnr"] for p in once])
        rows.append({"dataset": fresh[0]["dataset"], "noise": fresh[0]["noise"],
                     "method": method, "images_seen": fresh[0]["images_seen"],
                     "fresh": mean_interval(fresh_psnr), "once": mean_interval(once_psnr),
                     "fresh_minus_once": paired_difference(fresh_psnr, once_psnr)})
    return rows


def _schedules(outputs: list) -> list:
    """Per model: the seeds' runs, the time ratio and the test PSNR gain at equal time."""
    comparisons = []
    for kind in dict.fromkeys(o["kind"] for o in outputs):
        runs = sorted([o for o in outputs if o["kind"] == kind], key=lambda o: o["seed"])
        ratios = [None if r["book_seconds_to_source_mse"] is None
                  else r["book_seconds_to_source_mse"] / r["source_seconds"] for r in runs]
        reached = [r for r in ratios if r is not None]
        ratio = seed_interval(reached) if len(reached) == len(ratios) else None
        book = np.stack([r["book_test_psnr"] for r in runs])
        source = np.stack([r["source_test_psnr"] for r in runs])
        comparisons.append({
            "model": runs[0]["model"], "noise": runs[0]["noise"], "loss": runs[0]["loss"],
            "seeds": [r["seed"] for r in runs],
            "runs": [{key: r[key] for key in ("seed", "source", "book", "source_seconds",
                                              "book_seconds", "book_seconds_to_source_mse")}
                     | {"time_ratio": q} for r, q in zip(runs, ratios)],
            "time_ratio": ratio, "seeds_reaching_source_mse": len(reached),
            "source_test_psnr": mean_interval(source), "book_test_psnr": mean_interval(book),
            "test_psnr_gain": paired_difference(book, source),
        })
    return comparisons
