"""Read, check and show the benchmark's results (the JSON `dae_utils.cli.benchmark` writes).

Tables are pandas DataFrames; `styled` gives them readable padding for a notebook, and
`markdown_report` writes them all as Markdown. Figures are 7 inches wide, the book's column.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from dae_utils.benchmark.statistics import Interval
from dae_utils.plotting import save_figure

__all__ = ["load_results", "load_stored_results", "check_results", "results_table",
           "tuning_table", "pair", "verdict", "ablation_table", "comparison_table",
           "throughput_table",
           "styled", "markdown_report", "plot_results", "plot_schedule_curves",
           "COLUMN_FORMATS", "LEARNED_KINDS"]

LEARNED_KINDS = ("model", "reference model")
_CLASSICAL = ("median", "Gaussian", "non-local means", "total variation")
_MODELS = ("deep conv AE", "dense 128", "dense 1024", "builder", "strided", "U-Net")

# How each numeric column of the tables is written (also for DataFrame.style.format).
COLUMN_FORMATS = {
    "PSNR (dB)": "{:.2f}", "SSIM": "{:.3f}", "sd over digits": "{:.2f}",
    "train (s)": "{:.0f}", "images/s": "{:,.0f}", "parameters": "{:,.0f}",
    "seeds": "{:.0f}", "source (s)": "{:.0f}", "book (s)": "{:.0f}",
    "book epochs": "{:.0f}", "to source MSE (s)": "{:.0f}", "time ratio": "{:.2f}",
    "source test PSNR": "{:.2f}", "book test PSNR": "{:.2f}", "fresh (dB)": "{:.2f}",
    "once (dB)": "{:.2f}", "images/s, float32": "{:,.0f}", "images/s, bfloat16": "{:,.0f}",
    "speed-up": "{:.2f}", "before correction": "{:.2f}", "after": "{:.2f}",
}


def load_results(path) -> dict:
    """The results stored at `path` (a bench-<budget>.json), checked for completeness."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No benchmark results at {path}; make them with "
                                "`python -m dae_utils.cli.benchmark --out <folder>`.")
    results = json.loads(path.read_text())
    check_results(results)
    return results


def load_stored_results(local_path, url: str) -> dict:
    """The results at `local_path` if it exists (a checkout), else downloaded from `url`."""
    local_path = Path(local_path)
    if local_path.exists():
        return load_results(local_path)
    import keras

    try:
        downloaded = keras.utils.get_file(local_path.name, url)
    except Exception as error:  # no internet, or no such file online
        raise FileNotFoundError(
            f"No benchmark results at {local_path}, and downloading {url} failed ({error}). "
            "Run the notebook from the book's notebooks/ folder, or make the results with "
            f"`python -m dae_utils.cli.benchmark --out {local_path.parent}`.") from None
    return load_results(downloaded)


def check_results(results: dict) -> None:
    """Raise ValueError unless the results are complete and their numbers sane.

    Checks: the metadata; for each data set and noise recipe the noisy input, the mean
    image, the four classical filters, the Wiener filter and the six learned models, each
    learned one with every seed of the run; finite PSNR inside its interval; SSIM in [-1, 1];
    the ablation; two schedule comparisons whose per-seed curves have equal lengths and
    increasing clocks; the throughput table.
    """
    problems = []
    meta = results.get("meta", {})
    for key in ("budget", "seeds", "data", "machine", "wall_seconds"):
        if key not in meta:
            problems.append(f"meta has no '{key}'")
    seeds = len(meta.get("seeds", []))
    rows = results.get("results", [])
    for row in rows:
        psnr = row.get("psnr", {})
        if not all(k in psnr for k in ("mean", "low", "high")) or "ssim" not in row:
            problems.append(f"result {row.get('method')!r} lacks its PSNR or SSIM")
        elif not (math.isfinite(psnr["mean"]) and psnr["low"] <= psnr["mean"] <= psnr["high"]
                  and -1 <= row["ssim"]["mean"] <= 1):
            problems.append(f"result {row['method']!r} has PSNR {psnr} / SSIM "
                            f"{row['ssim'].get('mean')}")
        elif row.get("kind") in LEARNED_KINDS and len(row.get("seeds", [])) != seeds:
            problems.append(f"result {row['method']!r} has {len(row.get('seeds', []))} seeds, "
                            f"the run {seeds}")
    expected = {"noisy input", "mean training image", "Wiener", *_CLASSICAL, *_MODELS}
    for dataset in meta.get("data", {}):
        for noise in ("0.5 * N(0, 1)", "N(0.5, 0.5)"):
            found = {r.get("method") for r in rows
                     if r.get("dataset") == dataset and r.get("noise") == noise}
            if not expected <= found:
                problems.append(f"{dataset}, noise {noise!r}: missing "
                                f"{sorted(expected - found)}")
    if not results.get("ablation"):
        problems.append("no ablation")
    if not results.get("throughput"):
        problems.append("no throughput table")
    comparisons = results.get("schedule_comparisons", [])
    if len(comparisons) != 2:
        problems.append(f"expected 2 schedule comparisons, got {len(comparisons)}")
    for comparison in comparisons:
        if len(comparison.get("runs", [])) != seeds:
            problems.append(f"comparison {comparison.get('model')!r} has "
                            f"{len(comparison.get('runs', []))} seeds, the run {seeds}")
        for run in comparison.get("runs", []):
            for label in ("source", "book"):
                curves = run.get(label, {})
                clock, mse = curves.get("train_seconds", []), curves.get("val_mse", [])
                if not clock or len(clock) != len(mse) or len(clock) != len(
                        curves.get("val_psnr", [])):
                    problems.append(f"comparison {comparison['model']!r}: {label} curves are "
                                    "empty or of different lengths")
                elif any(b <= a for a, b in zip(clock, clock[1:])):
                    problems.append(f"comparison {comparison['model']!r}: {label} clock not "
                                    "increasing")
    if problems:
        raise ValueError("Incomplete benchmark results: " + "; ".join(problems) + ".")


def _interval(value: dict, digits: int = 2) -> str:
    return f"{value['low']:.{digits}f} to {value['high']:.{digits}f}"


def results_table(results: dict, dataset: str = "MNIST"):
    """One row per method and noise recipe on `dataset`, best mean PSNR first per noise."""
    import pandas as pd

    table = pd.DataFrame([{
        "noise": row["noise"], "method": row["method"], "kind": row["kind"],
        "PSNR (dB)": row["psnr"]["mean"], "95% interval": _interval(row["psnr"]),
        "SSIM": row["ssim"]["mean"], "seeds": len(row["seeds"]) or None,
        "sd over digits": row["psnr_image_sd"], "setting": _setting(row),
        "parameters": row.get("parameters"), "train (s)": row.get("train_seconds"),
        "images/s": row.get("images_per_second"),
    } for row in results["results"] if row["dataset"] == dataset])
    order = {noise: i for i, noise in enumerate(dict.fromkeys(table["noise"]))}
    table = table.sort_values(["noise", "PSNR (dB)"], ascending=[True, False],
                              key=lambda col: col.map(order) if col.name == "noise" else col)
    return table.reset_index(drop=True)


def _setting(row: dict) -> str | None:
    if "setting" not in row:
        return None
    name = {"median": "size", "Gaussian": "sigma", "non-local means": "h",
            "total variation": "weight", "BM3D": "sigma", "Wiener": "patch"}[row["method"]]
    edge = " (edge)" if row.get("on_edge") else ""
    return f"{name} {row['setting']:g}{edge}"


def tuning_table(results: dict):
    """The classical methods' tuned settings, with test PSNR before and after the correction."""
    import pandas as pd

    return pd.DataFrame([{
        "data": row["dataset"], "noise": row["noise"], "method": row["method"],
        "setting": _setting(row), "settings tried": len(row["tuning_psnr"]),
        "before correction": row["psnr_uncorrected"], "after": row["psnr"]["mean"],
    } for row in results["results"] if row["kind"] in ("filter", "linear")])


def pair(results: dict, dataset: str, noise: str, a: str, b: str) -> Interval:
    """The paired comparison of methods a and b: the `Interval` of a - b in dB."""
    for entry in results["pairs"]:
        if (entry["dataset"], entry["noise"]) != (dataset, noise):
            continue
        if (entry["better"], entry["worse"]) == (a, b):
            return Interval(entry["difference"])
        if (entry["better"], entry["worse"]) == (b, a):
            d = entry["difference"]
            return Interval(d, mean=-d["mean"], low=-d["high"], high=-d["low"])
    raise KeyError(f"No comparison of {a!r} and {b!r} on {dataset}, noise {noise!r}.")


def verdict(results: dict, dataset: str, noise: str, a: str, b: str) -> str:
    """One sentence: whether a beats b (or b beats a) on the same noisy test images, by how
    much, with the 95% interval of the difference; "not clearly different" otherwise."""
    d = pair(results, dataset, noise, a, b)
    if d["high"] < 0:
        a, b, d = b, a, pair(results, dataset, noise, b, a)
    if d.excludes_zero:
        return (f"{a} beats {b} by {d['mean']:.2f} dB (95% interval {d['low']:.2f} to "
                f"{d['high']:.2f}).")
    return (f"{a} and {b} are not clearly different: {a} - {b} = {d['mean']:+.2f} dB "
            f"(95% interval {d['low']:+.2f} to {d['high']:+.2f}).")


def ablation_table(results: dict):
    """Fresh noise against noise drawn once: both arms and their paired difference."""
    import pandas as pd

    return pd.DataFrame([{
        "model": row["method"], "noise": row["noise"], "fresh (dB)": row["fresh"]["mean"],
        "once (dB)": row["once"]["mean"],
        "fresh - once (dB)": f"{row['fresh_minus_once']['mean']:+.2f}",
        "95% interval": _interval(row["fresh_minus_once"]), "seeds": row["fresh"]["seeds"],
    } for row in results["ablation"]])


def comparison_table(results: dict):
    """One row per schedule comparison: the two ratios with their intervals and inputs."""
    import pandas as pd

    rows = []
    for c in results["schedule_comparisons"]:
        runs = c["runs"]
        ratio = c["time_ratio"]
        rows.append({
            "model": c["model"], "noise": c["noise"], "seeds": len(runs),
            "source (s)": float(np.mean([r["source_seconds"] for r in runs])),
            "book (s)": float(np.mean([r["book_seconds"] for r in runs])),
            "book epochs": int(np.mean([r["book"]["schedule"]["epochs"] for r in runs])),
            "time ratio": None if ratio is None else ratio["mean"],
            "ratio interval": "-" if ratio is None else _interval(ratio),
            "source test PSNR": c["source_test_psnr"]["mean"],
            "book test PSNR": c["book_test_psnr"]["mean"],
            "gain (dB)": f"{c['test_psnr_gain']['mean']:+.2f}",
            "gain interval": _interval(c["test_psnr_gain"]),
        })
    return pd.DataFrame(rows)


def throughput_table(results: dict):
    """Training speed of the deep model by batch size: float32, bfloat16 and their ratio."""
    import pandas as pd

    speeds = {(r["batch_size"], r["precision"]): r["images_per_second"]
              for r in results["throughput"]}
    batches = sorted({batch for batch, _ in speeds})
    return pd.DataFrame([{
        "batch size": batch, "images/s, float32": speeds[batch, "float32"],
        "images/s, bfloat16": speeds[batch, "bfloat16"],
        "speed-up": speeds[batch, "bfloat16"] / speeds[batch, "float32"],
    } for batch in batches])


def styled(table, hide=("kind",)):
    """A notebook rendering of `table`: numbers as in COLUMN_FORMATS, padded cells, headers
    that do not wrap, no index, and the columns in `hide` left out."""
    shown = table.drop(columns=[c for c in hide if c in table.columns])
    formats = {c: f for c, f in COLUMN_FORMATS.items() if c in shown.columns}
    return (shown.style.format(formats, na_rep="-").hide(axis="index")
            .set_table_styles([
                {"selector": "th, td", "props": "padding: 0.25em 0.7em; text-align: right;"},
                {"selector": "th", "props": "white-space: nowrap;"},
                {"selector": "td:first-child, th:first-child", "props": "text-align: left;"},
            ]))


def markdown_report(results: dict) -> str:
    """The results as Markdown: the run, each data set's table, the ablation, the schedules
    and the throughput."""
    meta = results["meta"]
    machine = meta["machine"]
    lines = [
        f"# Benchmark ({meta['budget']} budget, seeds {meta['seeds']})", "",
        f"Machine: {machine['device']}, {machine['cpu_count']} CPUs, TensorFlow "
        f"{machine['tensorflow']}, {meta['workers']} jobs at a time. Wall time "
        f"{meta['wall_seconds']:.0f} s.", "",
    ]
    for dataset, data in meta["data"].items():
        lines += [f"## {dataset}", "",
                  f"{data['description']}; {data['n_train']:,} train / {data['n_val']:,} "
                  f"validation / {data['n_test']:,} test images.", "",
                  _markdown(results_table(results, dataset).drop(columns=["kind"])), ""]
    lines += ["## Fresh noise against noise drawn once", "", _markdown(ablation_table(results)),
              "", "## The source's training schedule against the book's", "",
              _markdown(comparison_table(results)), "",
              "## Throughput of the deep conv AE", "", _markdown(throughput_table(results)), ""]
    return "\n".join(lines)


_COLOURS = {"input": "tab:gray", "reference": "tab:gray", "filter": "tab:blue",
            "linear": "tab:purple", "model": "tab:orange", "reference model": "tab:green"}
_LABELS = {"input": "noisy input / mean image", "filter": "filter + correction",
           "linear": "Wiener + correction", "model": "autoencoder",
           "reference model": "U-Net (reference)"}


def plot_results(results: dict, dataset: str | None = None, save_to=None):
    """Mean test PSNR of every method with its 95% interval, one panel per data set and noise.

    dataset: one data set, or None for all of them (one row of panels each).
    """
    import matplotlib.pyplot as plt

    datasets = [dataset] if dataset else list(results["meta"]["data"])
    noises = ["0.5 * N(0, 1)", "N(0.5, 0.5)"]
    fig, axes = plt.subplots(len(datasets) * 2, 1, figsize=(7, 4.2 * len(datasets) * 2),
                             squeeze=False)
    for ax, (name, noise) in zip(axes[:, 0], [(d, n) for d in datasets for n in noises]):
        table = results_table(results, name)
        part = table[table["noise"] == noise].iloc[::-1]
        rows = {(r["dataset"], r["noise"], r["method"]): r for r in results["results"]}
        for y, (_, line) in enumerate(part.iterrows()):
            psnr = rows[name, noise, line["method"]]["psnr"]
            ax.errorbar(psnr["mean"], y, xerr=[[psnr["mean"] - psnr["low"]],
                                               [psnr["high"] - psnr["mean"]]],
                        fmt="o", color=_COLOURS[line["kind"]], capsize=3)
        ax.set_yticks(range(len(part)), part["method"])
        ax.set_title(f"{name}, noise {noise}")
        ax.set_xlabel("PSNR on the test images (dB): mean and 95% interval")
        ax.grid(axis="x", alpha=0.3)
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=_COLOURS[k]) for k in _LABELS]
    fig.legend(handles, list(_LABELS.values()), loc="lower center", ncol=3, frameon=False)
    fig.tight_layout(rect=(0, 0.05 / len(datasets), 1, 1))
    return save_figure(fig, save_to)


def plot_schedule_curves(results: dict, save_to=None):
    """Validation PSNR against training seconds, every seed, the source's schedule and the
    book's, one panel per model."""
    import matplotlib.pyplot as plt

    comparisons = results["schedule_comparisons"]
    fig, axes = plt.subplots(len(comparisons), 1, figsize=(7, 3.6 * len(comparisons)),
                             squeeze=False)
    for ax, c in zip(axes[:, 0], comparisons):
        for label, colour in (("source", "tab:blue"), ("book", "tab:orange")):
            for i, run in enumerate(c["runs"]):
                curve = run[label]
                ax.plot(curve["train_seconds"], curve["val_psnr"], "o-", color=colour,
                        linewidth=1, markersize=2,
                        alpha=0.8, label=(f"{label}'s schedule ({len(c['runs'])} seeds)"
                                          if i == 0 else None))
            for run in c["runs"]:
                if label == "book" and run["book_seconds_to_source_mse"] is not None:
                    ax.axvline(run["book_seconds_to_source_mse"], color="gray",
                               linestyle=":", linewidth=1)
        ax.set_title(f"{c['model']}, noise {c['noise']} (dotted: book reaches the source's "
                     "final MSE)", fontsize=10)
        ax.set_xlabel("training time (s, evaluation excluded)")
        ax.set_ylabel("validation PSNR (dB)")
        ax.legend(fontsize=9, loc="lower right")
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return save_figure(fig, save_to)


def _markdown(table) -> str:
    """A DataFrame as a Markdown table (numbers as in COLUMN_FORMATS, missing values as '-')."""
    def cell(column, value):
        if value is None or (isinstance(value, float) and not np.isfinite(value)):
            return "-"
        if column in COLUMN_FORMATS:
            return COLUMN_FORMATS[column].format(value)
        return str(value)

    header = "| " + " | ".join(table.columns) + " |"
    rule = "|" + "---|" * len(table.columns)
    body = ["| " + " | ".join(cell(c, v) for c, v in zip(table.columns, row)) + " |"
            for row in table.astype(object).where(table.notna(), None).itertuples(index=False)]
    return "\n".join([header, rule, *body])
