"""Run the benchmark's jobs in worker processes, each result written to disk as it finishes.

A job is a function of the benchmark and its JSON-ready arguments. Its result is stored as
`<cache>/<suite>/<name>-<key>.json`, where the key hashes the function, the arguments and the
benchmark's size; a job whose file exists is not run again. So an interrupted run resumes
where it stopped, and one suite can be re-run alone by deleting its folder.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["Job", "run_jobs"]


@dataclass(frozen=True)
class Job:
    """One unit of work: `function` ("module:name") called as function(size, **arguments)."""

    suite: str
    function: str
    arguments: dict = field(default_factory=dict)

    def __hash__(self):
        return hash((self.suite, self.function, json.dumps(self.arguments, sort_keys=True)))

    def key(self, size) -> str:
        """A hash of what decides the result: the function, its arguments and the fields of
        the size that can change a result (`sizes.RESULT_FIELDS`)."""
        from dae_utils.benchmark.sizes import RESULT_FIELDS

        settings = {k: v for k, v in asdict(size).items() if k in RESULT_FIELDS}
        text = json.dumps([self.function, self.arguments, settings], sort_keys=True,
                          default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def label(self) -> str:
        return " ".join(str(v) for v in self.arguments.values())

    def path(self, cache: Path, size) -> Path:
        name = re.sub(r"[^A-Za-z0-9.]+", "-", self.label()).strip("-")[:60]
        return cache / self.suite / f"{name}-{self.key(size)}.json"


def _call(job: Job, size) -> dict:
    module, name = job.function.split(":")
    started = time.perf_counter()
    result = getattr(importlib.import_module(module), name)(size, **job.arguments)
    return {**result, "job_seconds": round(time.perf_counter() - started, 1)}


def _init_worker(threads: int) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)


def run_jobs(jobs: list, size, cache: Path, workers: int = 1, log=print,
             compute: bool = True) -> list:
    """The results of `jobs` (in their order), from the cache or computed, `workers` at a
    time in fresh processes (here, for one worker), in the order listed. With compute False,
    nothing runs: a job missing from the cache gives None."""
    cache = Path(cache)
    results = [None] * len(jobs)
    todo = []
    for index, job in enumerate(jobs):
        path = job.path(cache, size)
        if path.exists():
            results[index] = json.loads(path.read_text())
        else:
            todo.append(index)
    if not compute:
        return results
    if len(todo) < len(jobs):
        log(f"  {len(jobs) - len(todo)} of {len(jobs)} jobs already done ({cache}).")
    started = time.perf_counter()

    def store(index, result, done):
        path = jobs[index].path(cache, size)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(result) + "\n")
        os.replace(partial, path)  # a run killed mid-write leaves no half-written result
        results[index] = result
        log(f"  [{done}/{len(todo)}, {time.perf_counter() - started:.0f} s] "
            f"{jobs[index].suite}: {jobs[index].label()} ({result['job_seconds']:.0f} s)")

    if workers == 1 or len(todo) <= 1:
        for done, index in enumerate(todo, start=1):
            store(index, _call(jobs[index], size), done)
        return results

    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    threads = max(1, (os.cpu_count() or 1) // workers)
    limits = {k: str(threads) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                         "MKL_NUM_THREADS")}
    saved = {k: os.environ.get(k) for k in limits}
    os.environ.update(limits)  # the workers inherit these before NumPy loads
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_init_worker, initargs=(threads,)) as pool:
            futures = {pool.submit(_call, jobs[i], size): i for i in todo}
            errors = []
            for done, future in enumerate(as_completed(futures), start=1):
                try:
                    store(futures[future], future.result(), done)
                except Exception as error:  # keep the others: they are stored as they end
                    errors.append((jobs[futures[future]], error))
                    log(f"  [{done}/{len(todo)}] FAILED {jobs[futures[future]].label()}: "
                        f"{error!r}")
            if errors:
                job, error = errors[0]
                raise RuntimeError(f"{len(errors)} job(s) failed, the first "
                                   f"{job.label()!r}; the others are stored: run the "
                                   "command again to retry only the failed ones") from error
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return results
