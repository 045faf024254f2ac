"""Run the benchmark that chapter 7 reports, suite by suite, and write its results.

    python -m dae_utils.cli.benchmark --out book/results/bench-default   # budget: $DAE_BUDGET

Every finished job is written at once under <out>/jobs, keyed by its configuration, so an
interrupted run resumes where it stopped and `--suite` re-runs one suite alone. At the end it
writes one JSON document per suite, meta.json, report.md and the figures into --out. The
suites are described in `dae_utils.benchmark.suites`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from dae_utils.budget import BUDGETS
from dae_utils.cli._quiet import import_tensorflow_quietly

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    from dae_utils.benchmark.suites import SUITES

    parser = argparse.ArgumentParser(prog="python -m dae_utils.cli.benchmark", description=(
        "Benchmark the book's denoisers (trained to convergence), a U-Net and tuned classical "
        "filters on MNIST and Fashion-MNIST with both noise recipes and several training "
        "seeds, fresh noise against noise drawn once, and the sources' training schedules "
        "against the book's."))
    parser.add_argument("--budget", choices=list(BUDGETS), default=None,
                        help="how much to do (default: $DAE_BUDGET, else 'default')")
    parser.add_argument("--out", type=Path, default=None,
                        help="results folder (default: bench-<budget>); its jobs/ subfolder "
                             "caches every finished job")
    parser.add_argument("--suite", action="append", choices=SUITES, default=None,
                        help="run only this suite (repeatable; default: all)")
    parser.add_argument("--workers", type=int, default=None,
                        help="training jobs at a time (default: the budget's)")
    return parser


def _processor() -> dict:
    """The CPU's model name and whether it has native bfloat16 arithmetic (Linux only)."""
    try:
        info = open("/proc/cpuinfo").read()
    except OSError:
        return {"processor": platform.processor() or None}
    names = [line.split(":", 1)[1].strip() for line in info.splitlines()
             if line.startswith("model name")]
    return {"processor": names[0] if names else None,
            "bfloat16_instructions": any(flag in info.split()
                                         for flag in ("avx512_bf16", "amx_bf16"))}


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.workers is not None and args.workers < 1:
        parser.error(f"--workers must be 1 or more, got {args.workers}")
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        parser.error(f"--out {str(args.out)!r} exists and is not a folder")
    tf = import_tensorflow_quietly()
    import keras

    from dae_utils.benchmark import report, suites, summary
    from dae_utils.benchmark.sizes import size_for
    from dae_utils.benchmark.splits import load_split
    from dae_utils.budget import describe_device

    size = size_for(args.budget)
    out = args.out or Path(f"bench-{size.name}")
    out.mkdir(parents=True, exist_ok=True)
    names = tuple(args.suite or suites.SUITES)
    log = lambda line: print(line, flush=True)  # noqa: E731
    started = time.perf_counter()
    splits = {name: load_split(name, data) for name, data in size.datasets.items()}
    for name, split in splits.items():
        log(f"{name}: {split['description']}; {len(split['train']):,} train / "
            f"{len(split['val']):,} validation / {len(split['test']):,} test images.")
    device = describe_device()
    log(f"Budget '{size.name}', {device}; suites: {', '.join(names)}.")
    raw = suites.run_suites(size, out / "jobs", names, args.workers, log)

    stored = summary.summarise(raw, splits, size.bm3d_test_images)
    meta_path = out / "meta.json"
    previous = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    meta = {
        "budget": size.name, "seeds": list(size.seeds), "size": asdict(size),
        "suites": [suite for suite in suites.SUITES if suite in raw["results"]],
        "command": " ".join(["python -m dae_utils.cli.benchmark", *sys.argv[1:]]),
        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "wall_seconds": {**raw["wall_seconds"],
                         "this command": round(time.perf_counter() - started, 1)},
        "job_seconds": _job_seconds(raw["results"]),
        "data": {name: {"source": s["source"], "description": s["description"],
                        "n_train": len(s["train"]), "n_val": len(s["val"]),
                        "n_test": len(s["test"])} for name, s in splits.items()},
        "machine": {"device": device, "cpu_count": os.cpu_count(), **_processor(),
                    "platform": platform.platform(), "python": platform.python_version(),
                    "tensorflow": tf.__version__, "keras": keras.__version__},
    }
    meta["documents"] = sorted(stored)
    for stale in set(previous.get("documents", [])) - set(stored):
        (out / f"{stale}.json").unlink(missing_ok=True)  # from suites no longer complete
    for name, document in stored.items():
        (out / f"{name}.json").write_text(json.dumps(document, indent=1) + "\n")
    meta_path.write_text(json.dumps(meta, indent=1) + "\n")
    results = report.load_results(out)
    (out / "report.md").write_text(report.markdown_report(results) + "\n")
    for dataset in size.datasets:
        if "denoisers" in results and "classical" in results:
            report.plot_results(results, dataset, save_to=out / f"results-{dataset}.png")
        if "denoisers" in results:
            report.plot_validation_curves(results, dataset, save_to=out / f"curves-{dataset}.png")
    if "schedules" in results:
        report.plot_schedule_curves(results, save_to=out / "schedules.png")
    log(f"Wrote {out}: {', '.join(sorted(p.name for p in out.glob('*.*')))} in "
        f"{time.perf_counter() - started:.0f} s.")
    return 0


def _job_seconds(results: dict) -> dict:
    """Worker-seconds of each suite's jobs (cached ones count their original time)."""
    return {suite: round(sum(r.get("job_seconds", 0) for r in rows), 1)
            for suite, rows in results.items()}


if __name__ == "__main__":
    raise SystemExit(main())
