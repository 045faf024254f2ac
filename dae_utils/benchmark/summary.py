"""From the suites' job results to what the benchmark stores: one JSON document per suite.

Failed runs (every attempt at or below the mean training image on validation) enter no mean,
interval or comparison; they are counted. Comparisons are fixed in code before any run: the
planned ones (`planned`), the two ablations per model and the schedule comparisons, each a
paired difference on the same noisy test images. Holm's correction runs over all of them; one
that could not be tested (a model failed, or had not converged) counts with p = 1.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from dae_utils.benchmark.splits import NOISES
from dae_utils.benchmark.statistics import holm, mean_interval, paired_difference, seed_interval

__all__ = ["UNCONVERGED_DB", "planned", "references", "summarise"]

UNCONVERGED_DB = 0.1  # validation gain over the last fifth of training that marks a model
# as still learning: no ranking claim rests on it


def planned(datasets) -> list:
    """The comparisons the report makes, fixed before the run: (data set, noise, A, B)."""
    pairs = [("deep conv AE", "Wiener"), ("dense 128", "Wiener"), ("dense 1024", "Wiener"),
             ("builder", "Wiener"), ("strided", "Wiener"), ("U-Net", "Wiener"),
             ("U-Net", "deep conv AE"), ("dense 1024", "dense 128"), ("BM3D", "Wiener"),
             ("U-Net", "BM3D")]
    return [(dataset, noise, a, b) for dataset in datasets for noise in NOISES
            for a, b in pairs]


def references(splits: dict) -> list:
    """Per-image scores of the answers that learn nothing: the noisy input and the mean
    training image, per data set and noise recipe."""
    from dae_utils.benchmark.splits import noisy
    from dae_utils.benchmark.suite_denoisers import scores

    rows = []
    for dataset, split in splits.items():
        mean_image = np.broadcast_to(split["train"].mean(axis=0), split["test"].shape)
        for noise in NOISES:
            for method, restored in (("noisy input", noisy(split, noise, "test")),
                                     ("mean training image", mean_image)):
                rows.append({"dataset": dataset, "noise": noise, "method": method,
                             **scores(split["test"], restored)})
    return rows


def _convergence(result: dict) -> dict:
    last = result["attempts"][-1]
    return {"seed": result["seed"], "learning_rate": last["learning_rate"],
            "attempts": len(result["attempts"]),
            "failed_attempts": sum(a["failed"] for a in result["attempts"]),
            "failed": result["failed"], "stopped": last["stopped"],
            "best_step": last["best_step"], "steps_trained": last["steps_trained"],
            "best_val_psnr": last["best_val_psnr"], "last_fifth_gain": last["last_fifth_gain"],
            "curve": {"steps": last["steps"], "val_psnr": last["val_psnr"],
                      "seconds": last["seconds"]}}


def _learned_rows(results: list, subset: int) -> tuple[list, dict]:
    from dae_utils.benchmark.denoisers import DENOISERS

    groups = defaultdict(list)
    for result in results:
        groups[result["dataset"], result["noise"], result["method"]].append(result)
    rows, scores = [], {}
    for (dataset, noise, method), runs in groups.items():
        runs = sorted(runs, key=lambda r: r["seed"])
        trained = [r for r in runs if not r["failed"]]
        convergence = [_convergence(r) for r in runs]
        denoiser = DENOISERS[method]
        row = {"dataset": dataset, "noise": noise, "method": method, "kind": "learned",
               "chapter": denoiser.chapter, "loss": denoiser.loss, "head": denoiser.head,
               "changes": denoiser.changes, "learning_rate": runs[0]["learning_rate"],
               "seeds": len(runs), "seeds_failed": len(runs) - len(trained),
               "attempts": sum(c["attempts"] for c in convergence),
               "failed_attempts": sum(c["failed_attempts"] for c in convergence),
               "convergence": convergence,
               "unconverged": any(c["last_fifth_gain"] >= UNCONVERGED_DB
                                  for c in convergence if not c["failed"])}
        if trained:
            psnr = np.array([r["psnr"] for r in trained])
            if len(trained) >= 2:  # one seed alone has no seed-to-seed spread to show
                scores[dataset, noise, method] = ([r["seed"] for r in trained], psnr)
            row.update(psnr=mean_interval(psnr),
                       ssim=mean_interval(np.array([r["ssim"] for r in trained])),
                       psnr_subset=float(psnr[:, :subset].mean()),
                       psnr_uncorrected=float(np.mean([r["psnr_uncorrected"] for r in trained])),
                       parameters=trained[0]["parameters"],
                       images_per_second=float(np.mean([r["images_per_second"]
                                                        for r in trained])))
        rows.append(row)
    return rows, scores


def _fixed_rows(results: list, kind: str, subset: int) -> tuple[list, dict]:
    rows, scores = [], {}
    for result in results:
        psnr = np.array(result["psnr"])
        scores[result["dataset"], result["noise"], result["method"]] = (None, psnr[None, :])
        row = {k: v for k, v in result.items() if k not in ("psnr", "ssim", "job_seconds")}
        rows.append({**row, "kind": kind, "psnr": mean_interval(psnr),
                     "ssim": mean_interval(np.array(result["ssim"])),
                     "psnr_subset": float(psnr[:subset].mean())})
    return rows, scores


def _paired(a, b):
    """Paired difference of two entries of `scores` on the images and seeds both have: a
    learned model against a method of one row (every trained seed), or two learned models
    on the seeds both trained. None when fewer than two seeds are shared."""
    (seeds_a, sa), (seeds_b, sb) = a, b
    n = min(sa.shape[1], sb.shape[1])  # BM3D: the fixed test subset
    if seeds_a is not None and seeds_b is not None:
        common = sorted(set(seeds_a) & set(seeds_b))
        if len(common) < 2:
            return None, n
        sa = sa[[seeds_a.index(k) for k in common]]
        sb = sb[[seeds_b.index(k) for k in common]]
    return paired_difference(sa[:, :n], sb[:, :n]), n


def _compare(scores: dict, unconverged: set, family: list) -> list:
    """Each planned comparison's paired difference; one with a method that failed, did not
    converge or did not run is listed with the reason, and enters Holm's family with p = 1."""
    out = []
    for dataset, noise, a, b in family:
        record = {"dataset": dataset, "noise": noise, "a": a, "b": b}
        missing = [m for m in (a, b) if (dataset, noise, m) not in scores]
        still = [m for m in (a, b) if (dataset, noise, m) in unconverged]
        if missing or still:
            record["skipped"] = (f"{', '.join(missing)} has fewer than two trained seeds"
                                 if missing else f"{', '.join(still)} had not converged")
        else:
            difference, n = _paired(scores[dataset, noise, a], scores[dataset, noise, b])
            if difference is None:
                record["skipped"] = "fewer than two seeds where both trained"
            else:
                record["difference"], record["images"] = difference, n
        out.append(record)
    return out


def summarise(raw: dict, splits: dict, bm3d_subset: int) -> dict:
    """{suite: JSON-ready summary} from `suites.run_suites`'s output and the data splits.
    Every row also has its mean PSNR on the first `bm3d_subset` test images (BM3D's)."""
    results = raw["results"]
    summary = {}
    learned, learned_scores = _learned_rows(results.get("denoisers", []), bm3d_subset)
    classical, classical_scores = _fixed_rows(results.get("classical", []), "classical",
                                              bm3d_subset)
    refs, ref_scores = _fixed_rows(references(splits), "reference", bm3d_subset)
    scores = {**learned_scores, **classical_scores, **ref_scores}
    unconverged = {(r["dataset"], r["noise"], r["method"]) for r in learned if r["unconverged"]}
    family = []  # every comparison the chapter makes, tested or not (Holm counts them all)
    if "denoisers" in results and "classical" in results:
        comparisons = _compare(scores, unconverged, planned(splits))
        family += comparisons
        summary["comparisons"] = {"rows": comparisons}
    if "ablation" in results:
        summary["ablation"] = {"rows": _ablation(results["ablation"])}
        family += summary["ablation"]["rows"]
    if "head ablation" in results:
        summary.setdefault("ablation", {"rows": []})["heads"] = _heads(results["head ablation"])
        family += summary["ablation"]["heads"]
    if "recipe ablation" in results:  # a follow-up, outside the planned family: no Holm
        summary["ablation"]["recipes"] = _heads(results["recipe ablation"])
    if "schedules" in results:
        summary["schedules"] = {"rows": _schedules(results["schedules"])}
        family += summary["schedules"]["rows"]

    p_values = [r["difference"]["p"] if "difference" in r else 1.0 for r in family]
    for record, p in zip(family, holm(p_values) if family else []):
        record["p_holm"] = p
        record["clear"] = "difference" in record and p < 0.05
    if "comparisons" in summary:
        summary["comparisons"]["family_size"] = len(family)
    if "denoisers" in results:
        summary["denoisers"] = {"rows": learned, "rates": _rates(results.get("rates", []))}
    if "classical" in results:
        summary["classical"] = {"rows": classical, "references": refs,
                                "bm3d_subset": bm3d_subset}
    if "throughput" in results:
        summary["throughput"] = {"rows": results["throughput"][0]["rows"]}
    return summary


def _ablation(results: list) -> list:
    """Fresh noise against noise drawn once, per model, on the seeds where both arms trained
    (at least two) and neither was still improving."""
    rows = []
    by_arm = defaultdict(list)
    for result in results:
        by_arm[result["method"], result["noise_draws"]].append(result)
    for method in dict.fromkeys(r["method"] for r in results):
        fresh = sorted(by_arm[method, "fresh"], key=lambda r: r["seed"])
        once = sorted(by_arm[method, "once"], key=lambda r: r["seed"])
        converged = [(f, o) for f, o in zip(fresh, once) if not (f["failed"] or o["failed"])]
        still = any(_convergence(r)["last_fifth_gain"] >= UNCONVERGED_DB
                    for pair in converged for r in pair)
        row = {"method": method, "dataset": fresh[0]["dataset"], "noise": fresh[0]["noise"],
               "seeds": len(fresh), "pairs_trained": len(converged),
               "fresh_best_steps": [_convergence(f)["best_step"] for f in fresh],
               "once_best_steps": [_convergence(o)["best_step"] for o in once]}
        if len(converged) >= 2 and not still:
            f_psnr = np.array([f["psnr"] for f, _ in converged])
            o_psnr = np.array([o["psnr"] for _, o in converged])
            row.update(fresh=mean_interval(f_psnr), once=mean_interval(o_psnr),
                       difference=paired_difference(f_psnr, o_psnr))
        else:
            row["skipped"] = ("an arm had not converged" if still
                              else "fewer than two seeds where both arms trained")
        rows.append(row)
    return rows


def _rates(results: list) -> list:
    return [{"dataset": r["dataset"], "method": r["method"], "learning_rate": r["learning_rate"],
             "failed": r["failed"], "best_val_psnr": r["attempts"][-1]["best_val_psnr"],
             "attempts": len(r["attempts"])} for r in results]


def _schedules(results: list) -> list:
    rows = []
    for kind in dict.fromkeys(r["kind"] for r in results):
        runs = sorted([r for r in results if r["kind"] == kind], key=lambda r: r["seed"])
        ratios = [None if r["book_seconds_to_threshold"] is None
                  else r["book_seconds_to_threshold"] / r["source_seconds_to_best"]
                  for r in runs]
        reached = [q for q in ratios if q is not None]
        book = np.array([r["book_test_psnr"] for r in runs])
        source = np.array([r["source_test_psnr"] for r in runs])
        row = {"kind": kind, "model": runs[0]["model"], "chapter": runs[0]["chapter"],
               "noise": runs[0]["noise"], "loss": runs[0]["loss"], "seeds": len(runs),
               "runs": [{k: r[k] for k in ("seed", "source", "book", "source_best_epoch",
                                            "threshold_mse", "source_seconds_to_best",
                                            "book_seconds_to_threshold")}
                        | {"ratio": q, "source_test_psnr": float(np.mean(r["source_test_psnr"])),
                           "book_test_psnr": float(np.mean(r["book_test_psnr"]))}
                        for r, q in zip(runs, ratios)],
               "seeds_reaching_threshold": len(reached),
               "time_ratio": seed_interval(reached) if len(reached) == len(runs) else None,
               "source_test_psnr": mean_interval(source), "book_test_psnr": mean_interval(book),
               "difference": paired_difference(book, source)}
        rows.append(row)
    return rows


def _heads(results: list) -> list:
    """The output-head ablation: per model, how often each head failed, and the paired test
    difference (linear - sigmoid) over the seeds where both trained."""
    rows = []
    for method, noise in dict.fromkeys((r["method"], r["noise"]) for r in results):
        group = [r for r in results if (r["method"], r["noise"]) == (method, noise)]
        arms = {output: sorted([r for r in group if r["output"] == output],
                               key=lambda r: r["seed"])
                for output in ("chapter", "benchmark")}
        row = {"method": method, "dataset": group[0]["dataset"], "noise": noise,
               "learning_rate": group[0]["learning_rate"], "seeds": len(arms["chapter"])}
        for output, runs in arms.items():
            row[output] = {"failed": sum(r["failed"] for r in runs),
                           "best_val_psnr": [r["attempts"][-1]["best_val_psnr"] for r in runs],
                           "test_psnr": [None if r["failed"] else float(np.mean(r["psnr"]))
                                         for r in runs],
                           "curves": [{"steps": r["attempts"][-1]["steps"],
                                       "val_psnr": r["attempts"][-1]["val_psnr"]}
                                      for r in runs]}
        pairs = [(b, c) for b, c in zip(arms["benchmark"], arms["chapter"])
                 if not (b["failed"] or c["failed"])]
        still = any(_convergence(r)["last_fifth_gain"] >= UNCONVERGED_DB
                    for pair in pairs for r in pair)
        row["a"], row["b"] = "linear output", "sigmoid output"
        if len(pairs) >= 2 and not still:
            row["difference"] = paired_difference(np.array([b["psnr"] for b, _ in pairs]),
                                                  np.array([c["psnr"] for _, c in pairs]))
        else:
            row["skipped"] = ("an arm had not converged" if still
                              else "fewer than two seeds where both heads trained")
        rows.append(row)
    return rows
