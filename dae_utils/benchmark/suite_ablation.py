"""Suite "ablation": two experiments on MNIST with the first noise recipe, each changing one
thing and keeping the rest (model, convergence rule, seeds).

1. Noise: fresh noise in every batch against one noisy copy drawn once, at the model's chosen
   rate. The fresh arm is the denoisers suite's run of the same model and seed (the same job,
   read from its cache); this suite trains the other arm.
2. Output head: the model with its chapter's sigmoid output against the linear output the
   benchmark uses, both trained with MSE at the grid's highest rate and never retried, so
   that every failure counts.
3. The chapter's head on its own recipe: for the (model, noise) pairs of
   `size.chapter_head_recipes` (where a chapter scored above the benchmark), the chapter's
   sigmoid output trained exactly as the benchmark's row (the model's chosen rate, retries,
   the noise of the row), against that row's runs (the denoisers suite's, from its cache).
"""

from __future__ import annotations

from dae_utils.benchmark import suite_denoisers
from dae_utils.benchmark.runner import Job
from dae_utils.benchmark.splits import NOISES

__all__ = ["SUITE", "DATASET", "jobs", "head_jobs", "recipe_jobs"]

SUITE = "ablation"
DATASET = "MNIST"


def jobs(size, rates: dict) -> list:
    """Both arms of every ablated model and seed: (fresh job, once job) pairs, flattened."""
    pairs = []
    for method in size.ablation_models:
        for seed in size.seeds:
            arguments = {"dataset": DATASET, "noise": NOISES[0], "method": method,
                         "seed": seed, "learning_rate": rates[DATASET, method]}
            function = f"{suite_denoisers.__name__}:train_job"
            pairs += [Job(suite_denoisers.SUITE, function, arguments),
                      Job(SUITE, function, {**arguments, "noise_draws": "once"})]
    return pairs


def head_jobs(size) -> list:
    """Both arms of the output-head ablation: (chapter's sigmoid, linear) pairs, flattened."""
    function = f"{suite_denoisers.__name__}:train_job"
    return [Job(SUITE, function, {"dataset": DATASET, "noise": NOISES[0], "method": method,
                                  "seed": seed, "learning_rate": max(size.learning_rates),
                                  "output": output, "retries": 0})
            for method in size.head_ablation_models for seed in size.seeds
            for output in ("chapter", "benchmark")]


def recipe_jobs(size, rates: dict) -> list:
    """Both arms of experiment 3: (the denoisers suite's job, the chapter's head) pairs."""
    function = f"{suite_denoisers.__name__}:train_job"
    pairs = []
    for method, noise in size.chapter_head_recipes:
        for seed in size.seeds:
            arguments = {"dataset": DATASET, "noise": noise, "method": method, "seed": seed,
                         "learning_rate": rates[DATASET, method]}
            pairs += [Job(suite_denoisers.SUITE, function, arguments),
                      Job(SUITE, function, {**arguments, "output": "chapter"})]
    return pairs
