"""Means with 95% intervals over training seeds and test images, and paired comparisons.

A learned model's score varies with its training seed and with the test images drawn. Both
enter one interval. For per-image scores `scores` of shape (seeds, images), with every seed
scored on the same noisy test images:

- the mean is the mean over all entries;
- the seed part of its variance is the variance of the per-seed means over the seeds, / seeds;
- the image part is the variance over images of the per-image means (over seeds), / images;
- the interval is mean +- t * sqrt(seed part + image part), with Student's t for seeds - 1
  degrees of freedom (the normal 1.96 for one seed, a method that trains nothing).

A comparison of A with B applies the same to the paired differences A - B on the same noisy
test images (seed i of A against seed i of B; a method with one row, such as a filter, is
compared with every seed). "A beats B" only when the whole interval lies above zero.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Interval", "seed_interval", "mean_interval", "paired_difference"]


class Interval(dict):
    """{"mean", "low", "high", "seeds", "images"}: a mean and its 95% interval, JSON-ready."""

    @property
    def excludes_zero(self) -> bool:
        return self["low"] > 0 or self["high"] < 0


def seed_interval(values) -> Interval:
    """The mean of one value per seed (a time ratio, say) and its 95% Student's t interval;
    a single value gets no width."""
    from scipy import stats

    array = np.asarray(values, dtype=np.float64)
    mean, seeds = float(array.mean()), len(array)
    half = (float(stats.t.ppf(0.975, seeds - 1) * array.std(ddof=1) / np.sqrt(seeds))
            if seeds > 1 else 0.0)
    return Interval(mean=mean, low=mean - half, high=mean + half, seeds=seeds, images=None)


def mean_interval(scores) -> Interval:
    """The mean of `scores` (seeds, images) or (images,) and its 95% interval (module doc)."""
    from scipy import stats

    array = np.asarray(scores, dtype=np.float64)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] < 2:
        raise ValueError(f"scores must be (seeds, images) with at least 2 images, got shape "
                         f"{np.shape(scores)}.")
    if not np.isfinite(array).all():
        raise ValueError("scores must be finite (an identical restored image has infinite "
                         "PSNR: cap it first).")
    seeds, images = array.shape
    image_part = array.mean(axis=0).var(ddof=1) / images
    seed_part = array.mean(axis=1).var(ddof=1) / seeds if seeds > 1 else 0.0
    t = stats.t.ppf(0.975, seeds - 1) if seeds > 1 else stats.norm.ppf(0.975)
    half = float(t * np.sqrt(seed_part + image_part))
    mean = float(array.mean())
    return Interval(mean=mean, low=mean - half, high=mean + half, seeds=seeds, images=images)


def paired_difference(a, b) -> Interval:
    """Mean of A - B on the same test images, with its 95% interval.

    a, b: per-image scores (seeds, images); one of them may have a single row (a method that
    trains nothing), which is then paired with every seed of the other; otherwise both must
    have the same seeds, in the same order.
    """
    a, b = np.atleast_2d(np.asarray(a, float)), np.atleast_2d(np.asarray(b, float))
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"A and B must be scored on the same test images, got {a.shape[1]} "
                         f"and {b.shape[1]} images.")
    if len(a) != len(b) and 1 not in (len(a), len(b)):
        raise ValueError(f"A has {len(a)} seeds and B {len(b)}; pair equal seeds, or compare "
                         "with a method of one row.")
    return mean_interval(a - b)
