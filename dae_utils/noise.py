"""The sources' two noise recipes, as NumPy functions and as a tf.data pipeline.

Every recipe is ``clip(x + mean + std * z, 0, 1)`` with z ~ N(0, 1) drawn per pixel:
- the TensorFlow 1 tutorials (qq_34464926; midnight2104): mean 0, std 0.5
  (``add_gaussian_noise(x, noise_factor=0.5)``);
- the dense denoising tutorial (2025) and Rosebrock (2020): mean 0.5, std 0.5
  (``add_shifted_gaussian_noise(x)``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dae_utils._checks import as_unit_images, non_negative_number, positive_int

__all__ = ["add_gaussian_noise", "add_shifted_gaussian_noise", "noisy_dataset", "NoiseRecipe",
           "GAUSSIAN_NOISE", "SHIFTED_NOISE"]


@dataclass(frozen=True)
class NoiseRecipe:
    """One noise recipe, clip(x + mean + std * N(0, 1), 0, 1), with a name for tables."""

    name: str
    mean: float
    std: float

    def apply(self, images, seed=None) -> np.ndarray:
        """Noisy copies of `images` (float in [0, 1]); seed: int, np.random.Generator or None."""
        return _add_noise(images, mean=float(self.mean), std=non_negative_number(self.std, "std"),
                          seed=seed)


GAUSSIAN_NOISE = NoiseRecipe("0.5 * N(0, 1)", mean=0.0, std=0.5)  # the TF1 tutorials
SHIFTED_NOISE = NoiseRecipe("N(0.5, 0.5)", mean=0.5, std=0.5)  # dense tutorial, Rosebrock


def add_gaussian_noise(images, noise_factor: float = 0.5, seed=None) -> np.ndarray:
    """clip(images + noise_factor * N(0, 1), 0, 1).

    images: float array in [0, 1], any shape. Returns float32 of the same shape.
    seed: an int or np.random.Generator for reproducible noise; None draws fresh noise.
    """
    std = non_negative_number(noise_factor, "noise_factor")
    return _add_noise(images, mean=0.0, std=std, seed=seed)


def add_shifted_gaussian_noise(images, mean: float = 0.5, std: float = 0.5, seed=None):
    """clip(images + N(mean, std), 0, 1): noise that also brightens the image on average.

    images: float array in [0, 1], any shape. Returns float32 of the same shape.
    """
    return _add_noise(images, mean=float(mean), std=non_negative_number(std, "std"), seed=seed)


def noisy_dataset(
    images,
    batch_size: int,
    *,
    mean: float = 0.0,
    std: float = 0.5,
    shuffle: bool = True,
    seed: int = 0,
):
    """A tf.data.Dataset of (noisy, clean) batches with fresh noise drawn for every batch.

    images: float array in [0, 1], shape (N, ...). Each pass over the dataset (each epoch)
    shuffles the images and draws new noise clip(x + mean + std * N(0, 1), 0, 1) inside the
    graph, so a model never sees the same noisy image twice. The same seed gives the same
    sequence of batches and noise. Use it directly in ``model.fit(dataset, epochs=...)``.
    """
    import tensorflow as tf

    clean = as_unit_images(images)
    std = non_negative_number(std, "std")
    batch_size = positive_int(batch_size, "batch_size")

    noise = tf.random.Generator.from_seed(seed)  # state lives on across epochs

    @tf.autograph.experimental.do_not_convert
    def add_noise(batch):
        noisy = batch + mean + std * noise.normal(tf.shape(batch))
        return tf.clip_by_value(noisy, 0.0, 1.0), batch

    dataset = tf.data.Dataset.from_tensor_slices(clean)
    if shuffle:
        dataset = dataset.shuffle(len(clean), seed=seed, reshuffle_each_iteration=True)
    # One sequential map over whole batches: vectorised, and its draws keep a fixed order.
    return dataset.batch(batch_size).map(add_noise).prefetch(tf.data.AUTOTUNE)


def _add_noise(images, mean: float, std: float, seed) -> np.ndarray:
    clean = as_unit_images(images)
    rng = np.random.default_rng(seed)
    noisy = clean + mean + std * rng.standard_normal(clean.shape, dtype=np.float32)
    return np.clip(noisy, 0.0, 1.0).astype(np.float32)
