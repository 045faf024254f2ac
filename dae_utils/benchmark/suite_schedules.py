"""Suite "schedules": the sources' training schedules as published against the book's, each
alone on the machine, on MNIST.

Per seed: the source's schedule runs to its published end; two epochs of the book's schedule
are timed; the book's schedule then runs for as many epochs as fit in the source's training
time. Both record, after every epoch, the training seconds (scoring excluded), steps, images
and validation MSE and PSNR. The threshold is the source's best validation checkpoint (its
lowest validation MSE), not its last epoch. The book's schedule differs from the source's in
several ways at once (batch size, peak rate, warm-up and cosine decay, fresh noise drawn in the
graph, and bfloat16 for the deep model); the comparison is of the bundle, not of any one part.
"""

from __future__ import annotations

import numpy as np

from dae_utils.benchmark.denoisers import DENOISERS
from dae_utils.benchmark.runner import Job
from dae_utils.benchmark.splits import load_split, noise_recipe, noisy
from dae_utils.benchmark.suite_denoisers import scores

__all__ = ["SUITE", "KINDS", "chapter_model", "jobs", "schedule_job"]

SUITE = "schedules"
# kind -> (model of DENOISERS whose chapter's architecture trains, noise, loss as published)
KINDS = {"deep": ("deep conv AE", "0.5 * N(0, 1)", "binary_crossentropy"),
         "builder": ("builder", "N(0.5, 0.5)", "mse")}


def chapter_model(kind):
    """The chapter's own model with its sigmoid output, as the sources trained it."""
    from dae_utils.benchmark.denoisers import CHAPTER_OUTPUTS

    return CHAPTER_OUTPUTS[KINDS[kind][0]].build()


def _curve(run, steps_per_epoch, epoch_images) -> dict:
    epochs = np.arange(1, len(run.train_seconds) + 1)
    return {"schedule": run.summary()["schedule"], "seconds": run.train_seconds,
            "steps": (epochs * steps_per_epoch).tolist(),
            "images": (epochs * epoch_images).tolist(), "val_mse": run.val_mse,
            "val_psnr": run.val_psnr}


def schedule_job(size, kind: str, seed: int) -> dict:
    import math

    from dae_utils.benchmark import schedules

    method, noise_name, loss = KINDS[kind]
    split = load_split("MNIST", size.datasets["MNIST"])
    source = {"deep": schedules.DEEP_DENOISER_SOURCE_SCHEDULE,
              "builder": schedules.BUILDER_SOURCE_SCHEDULE}[kind]
    book = {"deep": schedules.DEEP_DENOISER_BOOK_SCHEDULE,
            "builder": schedules.BUILDER_BOOK_SCHEDULE}[kind]
    if kind in size.source_epochs:
        source = source.with_epochs(size.source_epochs[kind])
    noise = noise_recipe(noise_name)
    validation = (noisy(split, noise_name, "val"), split["val"])
    test_noisy = noisy(split, noise_name, "test")
    x_train = split["train"]

    def train(schedule, scored=True):
        return schedules.train_with_schedule(lambda: chapter_model(kind), loss, schedule,
                                             x_train, noise, validation if scored else None,
                                             seed=seed)

    runs = {"source": train(source)}
    probe = train(book.with_epochs(2), scored=False)
    epoch_seconds = probe.train_seconds[1] - probe.train_seconds[0]
    runs["book"] = train(book.with_epochs(max(1, int(runs["source"].train_seconds[-1]
                                                     // epoch_seconds))))
    best = int(np.argmin(runs["source"].val_mse))
    threshold = runs["source"].val_mse[best]
    result = {"kind": kind, "model": method, "chapter": DENOISERS[method].chapter,
              "noise": noise_name, "loss": loss, "seed": seed, "n_train": len(x_train),
              "source_best_epoch": best + 1, "threshold_mse": threshold,
              "source_seconds_to_best": runs["source"].train_seconds[best],
              "book_seconds_to_threshold": runs["book"].seconds_to_reach(threshold)}
    for label, run in runs.items():
        steps = math.ceil(len(x_train) / run.schedule.batch_size)
        result[label] = _curve(run, steps, len(x_train))
        result[f"{label}_test_psnr"] = scores(
            split["test"], schedules.predict_images(run.model, test_noisy))["psnr"]
    return result


def jobs(size) -> list:
    return [Job(SUITE, f"{__name__}:schedule_job", {"kind": kind, "seed": seed})
            for kind in KINDS for seed in size.schedule_seeds]
