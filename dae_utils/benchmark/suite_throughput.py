"""Suite "throughput": training images per second of the deep model by batch size, in float32
and in bfloat16, measured alone on the machine (run it with nothing else busy)."""

from __future__ import annotations

from dae_utils.benchmark.runner import Job
from dae_utils.benchmark.splits import load_split

__all__ = ["SUITE", "jobs", "throughput_job", "measure_throughput"]

SUITE = "throughput"
_IMAGES = 3_500  # one timed epoch: the offline MNIST sample's training digits


def measure_throughput(x_train, batches, epochs_timed: int = 1) -> list:
    """Training images per second of the deep conv AE by batch size, float32 and bfloat16.

    Each setting trains for 1 + epochs_timed epochs of x_train (images (N, 28, 28, 1) in
    [0, 1]); the first, which traces the graph, is not timed.
    """
    from dae_utils.benchmark.schedules import TrainingSchedule, train_with_schedule
    from dae_utils.benchmark.suite_schedules import chapter_model
    from dae_utils.noise import GAUSSIAN_NOISE

    rows = []
    for precision in ("float32", "bfloat16"):
        for batch in batches:
            schedule = TrainingSchedule("throughput", batch_size=batch, learning_rate=1e-3,
                                        epochs=1 + epochs_timed,
                                        mixed_precision=precision == "bfloat16")
            run = train_with_schedule(lambda: chapter_model("deep"), "binary_crossentropy",
                                      schedule, x_train, GAUSSIAN_NOISE)
            seconds = run.train_seconds[-1] - run.train_seconds[0]
            rows.append({"precision": precision, "batch_size": batch,
                         "images_per_second": epochs_timed * len(x_train) / seconds})
    return rows


def throughput_job(size) -> dict:
    split = load_split("MNIST", size.datasets["MNIST"])
    return {"rows": measure_throughput(split["train"][:_IMAGES], size.throughput_batches)}


def jobs(size) -> list:
    return [Job(SUITE, f"{__name__}:throughput_job", {})]
