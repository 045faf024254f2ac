"""Read, check and show the benchmark's results (the JSON `dae_utils.cli.benchmark` writes)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from dae_utils.plotting import save_figure

__all__ = ["load_results", "load_stored_results", "check_results", "results_table",
           "comparison_table", "markdown_report", "plot_results", "plot_schedule_curves",
           "COLUMN_FORMATS"]

# How each numeric column of the two tables is written (also for DataFrame.style.format).
COLUMN_FORMATS = {
    "PSNR (dB)": "{:.2f}", "PSNR sd": "{:.2f}", "SSIM": "{:.3f}", "SSIM sd": "{:.3f}",
    "train (s)": "{:.0f}", "images/s": "{:,.0f}", "parameters": "{:,.0f}",
    "source epochs": "{:d}", "source time (s)": "{:.0f}", "source final val MSE": "{:.4f}",
    "book epochs": "{:d}", "book time to that MSE (s)": "{:.0f}", "time ratio": "{:.2f}",
    "equal time (s)": "{:.0f}", "PSNR gain at equal time (dB)": "{:+.2f}",
}

_RESULT_KEYS = ("method", "kind", "noise", "psnr_mean", "psnr_std", "ssim_mean", "ssim_std")
_COMPARISON_KEYS = ("model", "noise", "source", "book", "source_final_val_mse",
                    "source_seconds", "time_ratio", "psnr_gain_at_equal_time")


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
    """Raise ValueError unless the results have every method on every noise and sane numbers.

    Checks: the metadata (data source and sizes, machine); for each noise recipe the noisy
    input, at least four classical filters and the five models; finite PSNR, SSIM in [-1, 1];
    two schedule comparisons with per-epoch curves of equal length and increasing clocks.
    """
    problems = []
    meta = results.get("meta", {})
    for key in ("budget", "seed", "data", "machine", "wall_seconds"):
        if key not in meta:
            problems.append(f"meta has no '{key}'")
    rows = results.get("results", [])
    for row in rows:
        missing = [k for k in _RESULT_KEYS if k not in row]
        if missing:
            problems.append(f"result {row.get('method')!r} lacks {missing}")
        elif not (math.isfinite(row["psnr_mean"]) and -1 <= row["ssim_mean"] <= 1):
            problems.append(f"result {row['method']!r} has PSNR {row['psnr_mean']} / "
                            f"SSIM {row['ssim_mean']}")
    noises = sorted({row.get("noise") for row in rows})
    if len(noises) != 2:
        problems.append(f"expected results on 2 noise recipes, got {noises}")
    for noise in noises:
        kinds = [row.get("kind") for row in rows if row.get("noise") == noise]
        if kinds.count("input") != 1 or kinds.count("filter") < 4 or kinds.count("model") != 5:
            problems.append(f"noise {noise!r}: expected 1 input, >= 4 filters and 5 models, "
                            f"got {kinds}")
    comparisons = results.get("schedule_comparisons", [])
    if len(comparisons) != 2:
        problems.append(f"expected 2 schedule comparisons, got {len(comparisons)}")
    for comparison in comparisons:
        missing = [k for k in _COMPARISON_KEYS if k not in comparison]
        if missing:
            problems.append(f"comparison {comparison.get('model')!r} lacks {missing}")
            continue
        for label in ("source", "book"):
            run = comparison[label]
            clock, mse = run.get("train_seconds", []), run.get("val_mse", [])
            if not clock or len(clock) != len(mse) or len(clock) != len(run.get("val_psnr", [])):
                problems.append(f"comparison {comparison['model']!r}: {label} curves are empty "
                                "or of different lengths")
            elif any(b <= a for a, b in zip(clock, clock[1:])):
                problems.append(f"comparison {comparison['model']!r}: {label} clock not "
                                "increasing")
    if problems:
        raise ValueError("Incomplete benchmark results: " + "; ".join(problems) + ".")


def results_table(results: dict):
    """A pandas DataFrame, one row per method and noise recipe, best PSNR first per noise."""
    import pandas as pd

    table = pd.DataFrame([{
        "noise": row["noise"], "method": row["method"], "kind": row["kind"],
        "PSNR (dB)": row["psnr_mean"], "PSNR sd": row["psnr_std"],
        "SSIM": row["ssim_mean"], "SSIM sd": row["ssim_std"],
        "train (s)": row.get("train_seconds"), "images/s": row.get("images_per_second"),
        "parameters": row.get("parameters"),
    } for row in results["results"]])
    order = {noise: i for i, noise in enumerate(dict.fromkeys(table["noise"]))}
    table = table.sort_values(["noise", "PSNR (dB)"], ascending=[True, False],
                              key=lambda col: col.map(order) if col.name == "noise" else col)
    return table.reset_index(drop=True)


def comparison_table(results: dict):
    """A pandas DataFrame, one row per schedule comparison: the two ratios and their inputs."""
    import pandas as pd

    return pd.DataFrame([{
        "model": c["model"], "noise": c["noise"],
        "source epochs": c["source"]["schedule"]["epochs"],
        "source time (s)": c["source_seconds"],
        "source final val MSE": c["source_final_val_mse"],
        "book epochs": c["book"]["schedule"]["epochs"],
        "book time to that MSE (s)": c["book_seconds_to_source_mse"],
        "time ratio": c["time_ratio"],
        "equal time (s)": c["equal_time_seconds"],
        "PSNR gain at equal time (dB)": c["psnr_gain_at_equal_time"],
    } for c in results["schedule_comparisons"]])


def markdown_report(results: dict) -> str:
    """The results as Markdown: a run line, the method table and the schedule comparison."""
    meta = results["meta"]
    data, machine = meta["data"], meta["machine"]
    lines = [
        f"# Benchmark ({meta['budget']} budget, seed {meta['seed']})", "",
        f"Data: {data['description']}; {data['n_train']:,} train / {data['n_val']:,} "
        f"validation / {data['n_test']:,} test digits. Machine: {machine['device']}, "
        f"{machine['cpu_count']} CPUs, TensorFlow {machine['tensorflow']}. "
        f"Wall time {meta['wall_seconds']:.0f} s.", "",
        "## Denoisers", "",
        _markdown(results_table(results).drop(columns=["kind"])), "",
        "## The source's training schedule versus the book's", "",
        _markdown(comparison_table(results)), "",
    ]
    return "\n".join(lines)


def plot_results(results: dict, save_to=None):
    """PSNR (bars, with the per-image standard deviation) of every method, per noise recipe."""
    import matplotlib.pyplot as plt

    table = results_table(results)
    noises = list(dict.fromkeys(table["noise"]))
    fig, axes = plt.subplots(1, len(noises), figsize=(6 * len(noises), 4.5), squeeze=False)
    colours = {"input": "tab:gray", "filter": "tab:blue", "model": "tab:orange"}
    for ax, noise in zip(axes[0], noises):
        part = table[table["noise"] == noise].iloc[::-1]
        ax.barh(part["method"], part["PSNR (dB)"], xerr=part["PSNR sd"], capsize=2,
                color=[colours[k] for k in part["kind"]])
        ax.set_title(f"noise {noise}")
        ax.set_xlabel("PSNR on the test digits (dB), mean ± sd")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    fig.legend(handles, ["noisy input", "classical filter", "autoencoder"], loc="lower center",
               ncol=3, frameon=False)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return save_figure(fig, save_to)


def plot_schedule_curves(results: dict, save_to=None):
    """Validation PSNR against training seconds, the source's schedule versus the book's."""
    import matplotlib.pyplot as plt

    comparisons = results["schedule_comparisons"]
    fig, axes = plt.subplots(1, len(comparisons), figsize=(6 * len(comparisons), 4),
                             squeeze=False)
    for ax, c in zip(axes[0], comparisons):
        for label, style in (("source", "o-"), ("book", "s-")):
            run = c[label]
            ax.plot(run["train_seconds"], run["val_psnr"], style, markersize=3,
                    label=f"{run['schedule']['name']}: {run['schedule']['epochs']} epochs")
        target = c["book_seconds_to_source_mse"]
        if target is not None:
            ax.axvline(target, color="gray", linestyle=":",
                       label=f"book reaches the source's final MSE ({target:.0f} s)")
        ax.set_title(f"{c['model']}, noise {c['noise']}")
        ax.set_xlabel("training time (s, evaluation excluded)")
        ax.set_ylabel("validation PSNR (dB)")
        ax.legend(fontsize=8)
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
