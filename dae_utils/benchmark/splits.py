"""The benchmark's images: train / validation / test splits and their fixed noisy copies.

A fixed shuffle (seed 0) of each data set's training images holds out the last `n_val` for
validation; learning rates, early stopping, filter tuning and curves use them, never the test
images. The validation and test images are corrupted once per noise recipe with fixed seeds,
so every method restores the same noisy images and comparisons can be paired.
"""

from __future__ import annotations

import numpy as np

__all__ = ["NOISES", "noise_recipe", "load_split", "noisy"]

NOISES = ("0.5 * N(0, 1)", "N(0.5, 0.5)")  # the TF1 tutorials'; the dense tutorial's/Rosebrock's
_SPLITS: dict = {}  # (data set, DataSize) -> split, per process


def noise_recipe(name: str):
    """The `noise.NoiseRecipe` called `name` (one of NOISES)."""
    from dae_utils.noise import GAUSSIAN_NOISE, SHIFTED_NOISE

    recipes = {r.name: r for r in (GAUSSIAN_NOISE, SHIFTED_NOISE)}
    if name not in recipes:
        raise ValueError(f"noise must be one of {tuple(recipes)}, got {name!r}.")
    return recipes[name]


def load_split(dataset: str, size) -> dict:
    """{"train", "val", "test", "source", "description"} of `dataset` ("MNIST" or
    "Fashion-MNIST") at `size` (a `sizes.DataSize`); images (N, 28, 28, 1) in [0, 1]."""
    key = (dataset, size)
    if key not in _SPLITS:
        from dae_utils.data import hold_out_validation, load_fashion_mnist, load_mnist

        loaders = {"MNIST": load_mnist, "Fashion-MNIST": load_fashion_mnist}
        if dataset not in loaders:
            raise ValueError(f"dataset must be one of {tuple(loaders)}, got {dataset!r}.")
        loaded = loaders[dataset](verbose=False)
        (x_all, _), (x_test, _) = loaded
        x_train, x_val = hold_out_validation(x_all, n_val=size.n_val)  # the chapters' split
        _SPLITS[key] = {"train": x_train[:size.max_train], "val": x_val,
                        "test": x_test[:size.n_test],
                        "source": loaded.source, "description": loaded.description}
    return _SPLITS[key]


def noisy(split: dict, noise_name: str, part: str) -> np.ndarray:
    """The fixed noisy copy of the "val" or "test" images: the same for every method."""
    offset = {"test": 100, "val": 200}[part]
    return noise_recipe(noise_name).apply(split[part], seed=offset + NOISES.index(noise_name))
