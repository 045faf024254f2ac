"""Read, check and show the benchmark's results: the folder `dae_utils.cli.benchmark` writes
(one JSON document per suite, and meta.json).

Tables are pandas DataFrames; `styled` gives them readable padding for a notebook, and
`markdown_report` writes them all as Markdown. Figures are 7 inches wide, the book's column.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from dae_utils.benchmark.splits import NOISES
from dae_utils.plotting import save_figure

__all__ = ["load_results", "load_stored_results", "check_results", "results_table",
           "models_table", "convergence_table", "rates_table", "tuning_table",
           "comparisons_table", "comparison", "verdict", "ablation_table", "heads_table",
           "schedules_table", "throughput_table", "styled", "markdown_report",
           "plot_results", "plot_validation_curves", "plot_schedule_curves",
           "COLUMN_FORMATS", "MODELS", "CLASSICAL"]

MODELS = ("deep conv AE", "dense 128", "dense 1024", "builder", "strided", "U-Net")
CLASSICAL = ("median", "Gaussian", "non-local means", "total variation", "Wiener")

# How each numeric column of the tables is written (also for DataFrame.style.format).
COLUMN_FORMATS = {
    "PSNR (dB)": "{:.2f}", "BM3D's images": "{:.2f}", "SSIM": "{:.3f}",
    "images/s": "{:,.0f}", "parameters": "{:,.0f}",
    "peak rate": "{:g}", "best step": "{:,.0f}", "steps": "{:,.0f}",
    "last-fifth gain (dB)": "{:.3f}", "validation PSNR": "{:.2f}", "A - B (dB)": "{:+.2f}",
    "p (Holm)": "{:.3g}", "p (not adjusted)": "{:.3g}", "fresh (dB)": "{:.2f}",
    "once (dB)": "{:.2f}",
    "fresh - once (dB)": "{:+.2f}", "linear - sigmoid (dB)": "{:+.2f}",
    "source test PSNR": "{:.2f}", "book test PSNR": "{:.2f}",
    "book - source (dB)": "{:+.2f}", "time ratio": "{:.2f}", "source to best (s)": "{:.0f}",
    "book to it (s)": "{:.0f}", "images/s, float32": "{:,.0f}",
    "images/s, bfloat16": "{:,.0f}", "speed-up": "{:.2f}", "before correction": "{:.2f}",
    "after": "{:.2f}",
}


def load_results(folder) -> dict:
    """{"meta", suite: summary, ...} stored in `folder`, checked for completeness."""
    folder = Path(folder)
    if not (folder / "meta.json").is_file():
        raise FileNotFoundError(f"No benchmark results in {folder}; make them with "
                                f"`python -m dae_utils.cli.benchmark --out {folder}`.")
    results = {"meta": json.loads((folder / "meta.json").read_text())}
    for name in results["meta"].get("documents", []):  # what this run wrote, nothing older
        path = folder / f"{name}.json"
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing; run the benchmark again.")
        results[name] = json.loads(path.read_text())
    check_results(results)
    return results


def load_stored_results(folder, base_url: str) -> dict:
    """The results in `folder` if it exists (a checkout), else downloaded from `base_url`
    (the same folder on the repository's web host) into Keras' cache."""
    folder = Path(folder)
    if (folder / "meta.json").is_file():
        return load_results(folder)
    import keras

    try:
        meta = Path(keras.utils.get_file(f"{folder.name}-meta.json", f"{base_url}/meta.json",
                                         cache_subdir=f"dae-book/{folder.name}"))
        for suite in json.loads(meta.read_text())["documents"]:
            keras.utils.get_file(f"{suite}.json", f"{base_url}/{suite}.json",
                                 cache_subdir=f"dae-book/{folder.name}")
    except Exception as error:  # no internet, or no such file online
        raise FileNotFoundError(
            f"No benchmark results in {folder}, and downloading them from {base_url} failed "
            f"({error}). Run the notebook from the book's notebooks/ folder, or make the "
            f"results with `python -m dae_utils.cli.benchmark --out {folder}`.") from None
    downloaded = meta.parent
    (downloaded / "meta.json").write_text(meta.read_text())
    return load_results(downloaded)


def check_results(results: dict) -> None:
    """Raise ValueError unless the results hold every suite the run's meta lists, every
    method on every data set and noise, every seed, and sane numbers."""
    problems = []
    meta = results.get("meta", {})
    for key in ("budget", "seeds", "data", "machine", "suites", "wall_seconds",
                "job_seconds"):
        if key not in meta:
            problems.append(f"meta has no '{key}'")
    for suite in meta.get("suites", []):
        if suite not in results:
            problems.append(f"no results of suite '{suite}'")
    rows = [*results.get("denoisers", {}).get("rows", []),
            *results.get("classical", {}).get("rows", []),
            *results.get("classical", {}).get("references", [])]
    for row in rows:
        psnr = row.get("psnr")
        if psnr is None:
            if not row.get("seeds_failed"):
                problems.append(f"{row.get('method')!r} has no PSNR and no failed seeds")
        elif not (math.isfinite(psnr["mean"]) and psnr["low"] <= psnr["mean"] <= psnr["high"]
                  and -1 <= row["ssim"]["mean"] <= 1):
            problems.append(f"{row['method']!r} has PSNR {psnr} / SSIM {row['ssim']['mean']}")
        if row.get("kind") == "learned" and row["seeds"] != len(meta.get("seeds", [])):
            problems.append(f"{row['method']!r} has {row['seeds']} seeds, the run "
                            f"{len(meta.get('seeds', []))}")
    expected = set()
    if "denoisers" in meta.get("suites", []):
        expected |= set(MODELS)
    if "classical" in meta.get("suites", []):
        expected |= {*CLASSICAL, "noisy input", "mean training image"}
    for dataset in meta.get("data", {}):
        for noise in NOISES:
            found = {r.get("method") for r in rows
                     if r.get("dataset") == dataset and r.get("noise") == noise}
            if not expected <= found:
                problems.append(f"{dataset}, {noise}: missing {sorted(expected - found)}")
    for row in results.get("schedules", {}).get("rows", []):
        for run in row["runs"]:
            for label in ("source", "book"):
                clock = run[label]["seconds"]
                if not clock or any(b <= a for a, b in zip(clock, clock[1:])):
                    problems.append(f"schedules {row['model']!r}: {label} clock empty or not "
                                    "increasing")
    if problems:
        raise ValueError("Incomplete benchmark results: " + "; ".join(problems) + ".")


def _interval(value: dict | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value['low']:.{digits}f} to {value['high']:.{digits}f}"


def _rows(results: dict, dataset: str) -> list:
    classical = results.get("classical", {})
    return [r for r in (*results.get("denoisers", {}).get("rows", []),
                        *classical.get("rows", []), *classical.get("references", []))
            if r["dataset"] == dataset]


def _setting(row: dict) -> str | None:
    method = row["method"]
    if row["kind"] == "learned":
        return f"peak rate {row['learning_rate']:g}"
    if method == "non-local means":
        text = f"h {row['h']:g}, patch {row['patch']}, sigma {row['sigma']:g}"
    elif method == "Wiener":
        text = f"patch {row['patch']:g}"
    elif "setting" in row:
        name = {"median": "size", "Gaussian": "sigma", "total variation": "weight",
                "BM3D": "sigma"}[method]
        text = f"{name} {row['setting']:g}"
    else:
        return None
    return text + (" (edge)" if row.get("on_edge") else "")


def _status(row: dict) -> str:
    if row["kind"] != "learned":
        return ""
    notes = []
    if row["seeds_failed"]:
        notes.append(f"{row['seeds_failed']} of {row['seeds']} seeds failed")
    elif row["failed_attempts"]:
        notes.append(f"{row['failed_attempts']} of {row['attempts']} attempts failed")
    if row["unconverged"]:
        notes.append("still rising")
    return "; ".join(notes)


def results_table(results: dict, dataset: str = "MNIST"):
    """One row per method and noise recipe on `dataset`, best mean PSNR first per noise.
    "chapter" is where the book teaches the model; "notes" flags failures and models that
    were still improving. BM3D scores only a fixed subset of the test images: its "PSNR"
    is on that subset, and the column "BM3D's images" gives every method's mean on it."""
    import pandas as pd

    table = pd.DataFrame([{
        "noise": row["noise"], "method": row["method"], "chapter": row.get("chapter", ""),
        "kind": row["kind"],
        "PSNR (dB)": row["psnr"]["mean"] if row.get("psnr") else None,
        "95% interval": _interval(row.get("psnr")),
        "SSIM": row["ssim"]["mean"] if row.get("ssim") else None,
        "BM3D's images": row.get("psnr_subset"),
        "setting": _setting(row), "notes": _status(row),
    } for row in _rows(results, dataset)])
    order = {noise: i for i, noise in enumerate(NOISES)}
    table = table.sort_values(["noise", "PSNR (dB)"], ascending=[True, False],
                              key=lambda c: c.map(order) if c.name == "noise" else c)
    return table.reset_index(drop=True)


def models_table(results: dict):
    """The learned models: the chapter that teaches each, its loss and output, and what the
    benchmark changed."""
    import pandas as pd

    seen = {}
    for row in results["denoisers"]["rows"]:
        entry = seen.setdefault(row["method"], {
            "model": row["method"], "chapter": row["chapter"], "loss": row["loss"],
            "output": row["head"], "changed": row["changes"] or "-", "parameters": None})
        entry["parameters"] = entry["parameters"] or row.get("parameters")
    return pd.DataFrame(list(seen.values()))


def convergence_table(results: dict):
    """Per learned model, data set and noise: the rate, the median step of the best
    validation score and of stopping, why the seeds stopped, the largest gain over the last
    fifth of training, and failures."""
    import pandas as pd

    rows = []
    for row in results["denoisers"]["rows"]:
        runs = [c for c in row["convergence"] if not c["failed"]]
        stops = [c["stopped"] for c in runs]
        rows.append({
            "data": row["dataset"], "noise": row["noise"], "method": row["method"],
            "peak rate": row["learning_rate"],
            "best step": float(np.median([c["best_step"] for c in runs])) if runs else None,
            "steps": float(np.median([c["steps_trained"] for c in runs])) if runs else None,
            "stopped": ", ".join(f"{stops.count(s)} {s}" for s in dict.fromkeys(stops)),
            "last-fifth gain (dB)": max((c["last_fifth_gain"] for c in runs), default=None),
            "failed attempts": f"{row['failed_attempts']} of {row['attempts']}",
        })
    return pd.DataFrame(rows)


def rates_table(results: dict):
    """The learning-rate grid, per model and data set: each peak rate's best validation PSNR
    ("failed" after every retry), its attempts, and the rate chosen (the one that trained
    best, after any retry; "edge" when it is the grid's lowest or highest)."""
    import pandas as pd

    grid = sorted({r["learning_rate"] for r in results["denoisers"]["rates"]})
    chosen = {(r["dataset"], r["method"]): r["learning_rate"]
              for r in results["denoisers"]["rows"]}
    rows = {}
    for r in results["denoisers"]["rates"]:
        key = (r["dataset"], r["method"])
        row = rows.setdefault(key, {"data": r["dataset"], "method": r["method"]})
        row[f"{r['learning_rate']:g}"] = ("failed" if r["failed"] else
                                          f"{r['best_val_psnr']:.2f}"
                                          + (f" ({r['attempts']} tries)" if r["attempts"] > 1
                                             else ""))
    for key, row in rows.items():
        rate = chosen.get(key)
        edge = rate is not None and rate in (grid[0], grid[-1]) and len(grid) > 1
        row["chosen"] = "-" if rate is None else f"{rate:.3g}" + (" (edge)" if edge else "")
    return pd.DataFrame(list(rows.values()))


def tuning_table(results: dict):
    """The classical methods' tuned settings, with test PSNR before and after the correction."""
    import pandas as pd

    return pd.DataFrame([{
        "data": row["dataset"], "noise": row["noise"], "method": row["method"],
        "setting": _setting(row), "settings tried": len(row["tuning_psnr"]),
        "validation PSNR": row["validation_psnr"],
        "before correction": row["psnr_uncorrected"], "after": row["psnr"]["mean"],
    } for row in results["classical"]["rows"]])


def comparison(results: dict, dataset: str, noise: str, a: str, b: str) -> dict:
    """The planned comparison of a with b (a KeyError if it was not planned)."""
    for row in results["comparisons"]["rows"]:
        if (row["dataset"], row["noise"], row["a"], row["b"]) == (dataset, noise, a, b):
            return row
    raise KeyError(f"{a!r} against {b!r} on {dataset}, {noise!r} is not a planned comparison "
                   "(summary.planned lists them).")


def verdict(row: dict) -> str:
    """One sentence about a planned comparison, ablation or schedule row."""
    a, b = row.get("a", "fresh noise"), row.get("b", "noise drawn once")
    if "kind" in row:
        a, b = "the book's schedule", "the source's schedule"
    if "difference" not in row:
        reason = row.get("skipped", "no seed where both trained")
        return f"{a} against {b}: not compared ({reason})."
    d = row["difference"]
    p = "< 1e-300" if row["p_holm"] < 1e-300 else f"= {row['p_holm']:.2g}"
    text = (f"{a} - {b} = {d['mean']:+.2f} dB (95% interval {d['low']:+.2f} to "
            f"{d['high']:+.2f}, Holm-adjusted p {p})")
    if row["clear"]:
        better, worse = (a, b) if d["mean"] > 0 else (b, a)
        return f"{better} beats {worse}: {text}."
    return f"{a} and {b} are not clearly different: {text}."


def comparisons_table(results: dict, dataset: str | None = None):
    """Every planned comparison (on `dataset`, or all), with its Holm-adjusted p-value."""
    import pandas as pd

    return pd.DataFrame([{
        "data": r["dataset"], "noise": r["noise"], "A": r["a"], "B": r["b"],
        "A - B (dB)": r["difference"]["mean"] if "difference" in r else None,
        "95% interval": _interval(r.get("difference")),
        "p (Holm)": r.get("p_holm"),
        "verdict": r.get("skipped") or ("clear" if r["clear"] else "not clear"),
    } for r in results["comparisons"]["rows"] if dataset in (None, r["dataset"])])


def ablation_table(results: dict):
    """Fresh noise against noise drawn once: both arms and their paired difference."""
    import pandas as pd

    return pd.DataFrame([{
        "model": r["method"], "fresh (dB)": r["fresh"]["mean"] if "fresh" in r else None,
        "once (dB)": r["once"]["mean"] if "once" in r else None,
        "fresh - once (dB)": r["difference"]["mean"] if "difference" in r else None,
        "95% interval": _interval(r.get("difference")), "p (Holm)": r.get("p_holm"),
        "best step, fresh": ", ".join(map(str, r["fresh_best_steps"])),
        "best step, once": ", ".join(map(str, r["once_best_steps"])),
    } for r in results["ablation"]["rows"]])


def heads_table(results: dict, experiment: str = "heads"):
    """The output-head ablation: failures of each head and the paired test difference where
    both trained. experiment "heads": at the grid's highest rate, no retries; "recipes":
    the chapter's sigmoid on its own recipe, at the model's chosen rate, retried as usual."""
    import pandas as pd

    return pd.DataFrame([{
        "model": r["method"], "noise": r["noise"], "peak rate": r["learning_rate"],
        "sigmoid failed": f"{r['chapter']['failed']} of {r['seeds']}",
        "linear failed": f"{r['benchmark']['failed']} of {r['seeds']}",
        "linear - sigmoid (dB)": r["difference"]["mean"] if "difference" in r else None,
        "95% interval": _interval(r.get("difference")),
        **({"p (Holm)": r.get("p_holm")} if experiment == "heads" else
           {"p (not adjusted)": r["difference"]["p"] if "difference" in r else None}),
        **({"note": r["skipped"]} if "skipped" in r else {}),
    } for r in results["ablation"].get(experiment, [])])


def schedules_table(results: dict):
    """Per model: the source's time to its best validation checkpoint, the book's time to
    the same validation MSE, their ratio, and both final models on the test images."""
    import pandas as pd

    rows = []
    for r in results["schedules"]["rows"]:
        runs, ratio = r["runs"], r["time_ratio"]
        reached = [x["book_seconds_to_threshold"] for x in runs
                   if x["book_seconds_to_threshold"] is not None]
        rows.append({
            "model": r["model"], "noise": r["noise"], "seeds": r["seeds"],
            "source to best (s)": float(np.mean([x["source_seconds_to_best"] for x in runs])),
            "book to it (s)": float(np.mean(reached)) if reached else None,
            "time ratio": None if ratio is None else ratio["mean"],
            "ratio interval": _interval(ratio),
            "source test PSNR": r["source_test_psnr"]["mean"],
            "book test PSNR": r["book_test_psnr"]["mean"],
            "book - source (dB)": r["difference"]["mean"],
            "95% interval": _interval(r["difference"]), "p (Holm)": r.get("p_holm"),
        })
    return pd.DataFrame(rows)


def throughput_table(results: dict):
    """Training speed of the deep model by batch size: float32, bfloat16 and their ratio."""
    import pandas as pd

    speeds = {(r["batch_size"], r["precision"]): r["images_per_second"]
              for r in results["throughput"]["rows"]}
    return pd.DataFrame([{
        "batch size": batch, "images/s, float32": speeds[batch, "float32"],
        "images/s, bfloat16": speeds[batch, "bfloat16"],
        "speed-up": speeds[batch, "bfloat16"] / speeds[batch, "float32"],
    } for batch in sorted({b for b, _ in speeds})])


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
    """The results as Markdown: the run, each data set's table, convergence, comparisons,
    the ablation, the schedules and the throughput."""
    meta = results["meta"]
    machine = meta["machine"]
    walls = ", ".join(f"{k} {v:.0f} s" for k, v in meta["wall_seconds"].items())
    lines = [f"# Benchmark ({meta['budget']} budget, seeds {meta['seeds']})", "",
             f"Machine: {machine['device']}, {machine['cpu_count']} CPUs, TensorFlow "
             f"{machine['tensorflow']}. Wall time per phase: {walls}. Job time per suite "
             "(worker-seconds; a phase runs two jobs at a time): "
             + ", ".join(f"{k} {v:.0f} s" for k, v in meta["job_seconds"].items())
             + ".", ""]
    if "denoisers" in results:
        lines += ["## The learned models and what the benchmark changed", "",
                  _markdown(models_table(results)), ""]
    for dataset, data in meta["data"].items():
        if _rows(results, dataset):
            lines += [f"## {dataset}", "",
                      f"{data['description']}; {data['n_train']:,} train / {data['n_val']:,} "
                      f"validation / {data['n_test']:,} test images.", "",
                      _markdown(results_table(results, dataset).drop(columns=["kind"])), ""]
    if "denoisers" in results:
        lines += ["## Learning rates (validation PSNR, seed 0, first noise recipe)", "",
                  _markdown(rates_table(results)), "",
                  "## Convergence", "", _markdown(convergence_table(results)), ""]
    if "comparisons" in results:
        lines += ["## Planned comparisons (Holm-adjusted)", "",
                  _markdown(comparisons_table(results)), ""]
    if "ablation" in results:
        lines += ["## Fresh noise against noise drawn once", "",
                  _markdown(ablation_table(results)), "",
                  "## The chapters' sigmoid output against a linear one", "",
                  _markdown(heads_table(results)), ""]
        if results["ablation"].get("recipes"):
            lines += ["## The chapters' sigmoid output on their own recipes (chosen rate, "
                      "retries as usual)", "", _markdown(heads_table(results, "recipes")), ""]
    if "schedules" in results:
        lines += ["## The sources' training schedules against the book's", "",
                  _markdown(schedules_table(results)), ""]
    if "throughput" in results:
        lines += ["## Throughput of the deep conv AE", "",
                  _markdown(throughput_table(results)), ""]
    return "\n".join(lines)


_COLOURS = {"reference": "tab:gray", "classical": "tab:blue", "learned": "tab:orange"}
_LABELS = {"reference": "noisy input / mean image", "classical": "classical + correction"}


def plot_results(results: dict, dataset: str, save_to=None):
    """Mean test PSNR of every method with its 95% interval, one panel per noise recipe."""
    import matplotlib.pyplot as plt

    table = results_table(results, dataset).dropna(subset=["PSNR (dB)"])
    rows = {(r["noise"], r["method"]): r for r in _rows(results, dataset)}
    fig, axes = plt.subplots(2, 1, figsize=(7, 8.4))
    for ax, noise in zip(axes, NOISES):
        part = table[table["noise"] == noise].iloc[::-1]
        for y, (_, line) in enumerate(part.iterrows()):
            psnr = rows[noise, line["method"]]["psnr"]
            ax.errorbar(psnr["mean"], y, xerr=[[psnr["mean"] - psnr["low"]],
                                               [psnr["high"] - psnr["mean"]]],
                        fmt="o", color=_COLOURS[line["kind"]], capsize=3)
        labels = [m if m != "BM3D" else f"BM3D ({rows[noise, m]['psnr']['images']} images)"
                  for m in part["method"]]
        ax.set_yticks(range(len(part)), labels)
        ax.set_title(f"{dataset}, noise {noise}")
        ax.set_xlabel("PSNR on the test images (dB): mean and 95% interval")
        ax.grid(axis="x", alpha=0.3)
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=c) for c in _COLOURS.values()]
    labels = [_LABELS["reference"], _LABELS["classical"],
              f"learned ({len(results['meta']['seeds'])} seeds)"]
    fig.legend(handles, labels, loc="lower center", ncol=3, frameon=False)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return save_figure(fig, save_to)


def plot_validation_curves(results: dict, dataset: str, noise: str = NOISES[0], save_to=None):
    """Validation PSNR against training steps for every learned model and seed, with each
    seed's best step marked (a seed that failed every attempt: its last attempt, dashed)."""
    import matplotlib.pyplot as plt

    rows = [r for r in results["denoisers"]["rows"]
            if r["dataset"] == dataset and r["noise"] == noise]
    fig, axes = plt.subplots(2, 3, figsize=(7, 4.6), sharex=True, layout="constrained")
    for ax, row in zip(axes.ravel(), rows):
        for run in row["convergence"]:
            curve = run["curve"]
            if run["failed"]:  # its last attempt, dashed
                ax.plot(curve["steps"], curve["val_psnr"], "--", color="gray", linewidth=1)
                continue
            ax.plot(curve["steps"], curve["val_psnr"], linewidth=1)
            ax.plot(run["best_step"], run["best_val_psnr"], "k.", markersize=4)
        failed = f", {row['seeds_failed']} of {row['seeds']} failed" if row["seeds_failed"] else ""
        ax.set_title(f"{row['method']}{failed}", fontsize=9)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=8)
    fig.supxlabel("training steps", fontsize=9)
    fig.supylabel("validation PSNR (dB)", fontsize=9)
    fig.suptitle(f"{dataset}, noise {noise}: validation PSNR, one line per seed, "
                 "dot = best step", fontsize=10)
    return save_figure(fig, save_to)


def plot_schedule_curves(results: dict, save_to=None):
    """Validation PSNR against training seconds, every seed, the source's schedule and the
    book's, one panel per model; dotted: the book reaches the source's best checkpoint."""
    import matplotlib.pyplot as plt

    rows = results["schedules"]["rows"]
    fig, axes = plt.subplots(len(rows), 1, figsize=(7, 3.4 * len(rows)), squeeze=False)
    for ax, row in zip(axes[:, 0], rows):
        for label, colour in (("source", "tab:blue"), ("book", "tab:orange")):
            for i, run in enumerate(row["runs"]):
                curve = run[label]
                ax.plot(curve["seconds"], curve["val_psnr"], "o-", color=colour, linewidth=1,
                        markersize=2, label=(f"{label}'s schedule ({row['seeds']} seeds)"
                                             if i == 0 else None))
                if label == "book" and run["book_seconds_to_threshold"] is not None:
                    ax.axvline(run["book_seconds_to_threshold"], color="gray", linestyle=":",
                               linewidth=1)
        ax.set_title(f"{row['model']} (chapter {row['chapter']}), noise {row['noise']}",
                     fontsize=10)
        ax.set_xlabel("training time (s, scoring excluded)")
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
        return f"{value:.2f}" if isinstance(value, float) else str(value)

    header = "| " + " | ".join(map(str, table.columns)) + " |"
    rule = "|" + "---|" * len(table.columns)
    body = ["| " + " | ".join(cell(c, v) for c, v in zip(table.columns, row)) + " |"
            for row in table.astype(object).where(table.notna(), None).itertuples(index=False)]
    return "\n".join([header, rule, *body])
