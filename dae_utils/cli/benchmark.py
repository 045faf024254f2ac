"""Run the benchmark that chapter 7 reports, and write its results.

    python -m dae_utils.cli.benchmark --out book/results        # the budget from $DAE_BUDGET

Writes bench-<budget>.json (all numbers and the run's metadata), bench-<budget>.md (tables)
and bench-<budget>.png (a plot) into --out. The protocol is in `dae_utils.benchmark.protocol`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from dae_utils.budget import BUDGETS, get_budget
from dae_utils.cli._quiet import import_tensorflow_quietly

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dae_utils.cli.benchmark", description=(
        "Benchmark the book's denoisers, a U-Net and tuned classical filters on MNIST and "
        "Fashion-MNIST with both noise recipes and several training seeds, and the sources' "
        "training schedules against the book's."))
    parser.add_argument("--budget", choices=list(BUDGETS), default=None,
                        help="how much to train (default: $DAE_BUDGET, else 'default')")
    parser.add_argument("--out", type=Path, default=Path("bench-results"),
                        help="folder for bench-<budget>.json, .md and .png (created if needed)")
    parser.add_argument("--workers", type=int, default=None,
                        help="training jobs at a time (default: the budget's on a CPU, 1 on "
                             "a GPU)")
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    budget = args.budget or get_budget().name
    if args.out.exists() and not args.out.is_dir():
        parser.error(f"--out {str(args.out)!r} exists and is not a folder")
    if args.workers is not None and args.workers < 1:
        parser.error(f"--workers must be 1 or more, got {args.workers}")
    args.out.mkdir(parents=True, exist_ok=True)

    import_tensorflow_quietly()  # also hides retracing notes: each model is predicted on once
    from dae_utils.benchmark import protocol, report

    results = protocol.run_benchmark(budget, workers=args.workers,
                                     log=lambda line: print(line, flush=True))
    stem = args.out / f"bench-{budget}"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=1) + "\n")
    report.check_results(results)
    stem.with_suffix(".md").write_text(report.markdown_report(results) + "\n")
    report.plot_results(results, save_to=stem.with_suffix(".png"))
    print(f"Wrote {stem}.json, .md and .png in {results['meta']['wall_seconds']:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
