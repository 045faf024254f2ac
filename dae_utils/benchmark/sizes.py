"""How much the benchmark does in each run budget, resolved once per run.

`size_for("default")` returns a `BenchmarkSize`; every suite and job receives that object (it
is part of each job's cache key), never the budget's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dae_utils.benchmark.training import ConvergenceRule

__all__ = ["DataSize", "BenchmarkSize", "RESULT_FIELDS", "SIZES", "size_for"]


@dataclass(frozen=True)
class DataSize:
    """How much of one data set the benchmark uses."""

    max_train: int | None  # training images used (None: all but the validation ones)
    n_val: int  # validation images: learning-rate choice, early stopping, tuning, curves
    n_test: int | None  # test images scored (None: all); only the final numbers use them
    linear_fit_images: int  # training images the Wiener filter is fitted on (at most)


@dataclass(frozen=True)
class BenchmarkSize:
    """Everything a budget decides about the benchmark. RESULT_FIELDS are those that can
    change a job's result (the job cache's key); the others decide which jobs there are."""

    name: str
    datasets: dict  # data set name -> DataSize
    seeds: tuple  # training seeds of every learned model
    rule: ConvergenceRule  # how every learned model trains, on every data set
    learning_rates: tuple  # the peak rates tried per model and data set (seed 0, first noise)
    retries: int  # of a failed run, each at a third of the previous rate
    tune_images: int  # validation images the classical filters are tuned on
    bm3d_tune_images: int  # validation images BM3D is tuned on (half a second per image)
    bm3d_test_images: int  # the fixed test subset every method is also scored on, for BM3D
    ablation_models: tuple  # trained on noise drawn once as well as fresh, on MNIST
    head_ablation_models: tuple  # trained with their chapter's sigmoid and with a linear
    # output, at the grid's highest rate, without retries, on MNIST
    schedule_seeds: tuple  # seeds of the sources' schedules against the book's
    chapter_head_recipes: tuple = ()  # (model, noise) on MNIST also trained with the chapter's
    # sigmoid at the model's chosen rate, retried as usual: where a chapter's number is above
    # the benchmark's, this isolates the output head
    source_epochs: dict = field(default_factory=dict)  # kind -> epochs; absent: as published
    throughput_batches: tuple = (64,)
    workers: int = 2  # training jobs at a time on a CPU (each gets cpu_count / workers threads)


RESULT_FIELDS = ("datasets", "rule", "retries", "tune_images", "bm3d_tune_images",
                 "bm3d_test_images", "source_epochs", "throughput_batches")

# Chapter 3's models, whose chapter (sigmoid output, MSE) scored above the benchmark's linear
# output on the shifted noise in the default run of the book's 0.3.0 edition.
_DENSE_ON_SHIFTED_NOISE = (("dense 128", "N(0.5, 0.5)"), ("dense 1024", "N(0.5, 0.5)"))

SIZES = {
    "fast": BenchmarkSize(
        name="fast",
        datasets={"MNIST": DataSize(256, 32, 16, 256),
                  "Fashion-MNIST": DataSize(256, 32, 16, 256)},
        seeds=(0,), rule=ConvergenceRule(max_steps=20, eval_every=10, patience=2,
                                         batch_size=32),
        learning_rates=(3e-3,), retries=0, tune_images=8, bm3d_tune_images=2, bm3d_test_images=4,
        ablation_models=("dense 128",), head_ablation_models=("U-Net",),
        schedule_seeds=(0,), chapter_head_recipes=(("dense 128", "N(0.5, 0.5)"),),
        source_epochs={"deep": 1, "builder": 1}),
    "default": BenchmarkSize(
        name="default",
        datasets={"MNIST": DataSize(None, 500, None, 10_000),
                  "Fashion-MNIST": DataSize(None, 500, 2_000, 5_000)},
        seeds=(0, 1, 2),
        rule=ConvergenceRule(max_steps=3_000, eval_every=100, patience=6),
        learning_rates=(1e-3, 3e-3, 1e-2), retries=2, tune_images=500, bm3d_tune_images=40,
        bm3d_test_images=200, ablation_models=("dense 1024", "builder", "strided"),
        head_ablation_models=("builder", "U-Net"), schedule_seeds=(0, 1, 2),
        chapter_head_recipes=_DENSE_ON_SHIFTED_NOISE, throughput_batches=(32, 64, 128)),
    "full": BenchmarkSize(
        name="full",
        datasets={"MNIST": DataSize(None, 1_000, None, 10_000),
                  "Fashion-MNIST": DataSize(None, 1_000, None, 10_000)},
        seeds=(0, 1, 2, 3, 4),
        rule=ConvergenceRule(max_steps=20_000, eval_every=500, patience=6),
        learning_rates=(3e-4, 1e-3, 3e-3, 1e-2), retries=2, tune_images=1_000,
        bm3d_tune_images=200, bm3d_test_images=2_000,
        ablation_models=("dense 1024", "builder", "strided"),
        head_ablation_models=("builder", "U-Net"), schedule_seeds=(0, 1, 2, 3, 4),
        chapter_head_recipes=_DENSE_ON_SHIFTED_NOISE,
        throughput_batches=(32, 64, 128, 256), workers=1),
}


def size_for(budget_name: str | None = None) -> BenchmarkSize:
    """The benchmark's size in a run budget (`budget.get_budget`: $DAE_BUDGET when None)."""
    from dae_utils.budget import get_budget

    return SIZES[get_budget(budget_name).name]
