"""Means with 95% intervals over training seeds and test images, paired comparisons, and
Holm's correction for several comparisons.

A learned model's score varies with its training seed and with the test images drawn. Both
enter one interval. For per-image scores `scores` of shape (seeds, images), with every seed
scored on the same noisy test images:

- the mean is the mean over all entries;
- the seed part of its variance is the variance of the per-seed means over the seeds, / seeds
  (zero for one row: a method that trains nothing);
- the image part is the variance over images of the per-image means (over seeds), / images;
- the interval is mean +- t * sqrt(seed part + image part), with Student's t at the
  Welch-Satterthwaite degrees of freedom of that sum (seeds - 1 for the seed part, images - 1
  for the image part): one method for every row, which tends to seeds - 1 when the seeds
  dominate and to images - 1 when the images do.

A comparison of A with B applies the same to the paired differences A - B on the same noisy
test images (seed i of A against seed i of B; a method with one row, such as a filter, is
compared with every seed). Its p-value is the two-sided t test of a zero mean difference;
`holm` adjusts the p-values of a family of comparisons fixed before the run.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Interval", "seed_interval", "mean_interval", "paired_difference", "holm"]


class Interval(dict):
    """{"mean", "low", "high", "seeds", "images", "df", "p"}: a mean, its 95% interval, the
    degrees of freedom and the two-sided p-value of a zero mean; JSON-ready."""

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
    variance = seed_part + image_part
    # Welch-Satterthwaite: the degrees of freedom of a sum of two variance estimates.
    denominator = image_part**2 / (images - 1) + (seed_part**2 / (seeds - 1) if seeds > 1 else 0)
    df = float(variance**2 / denominator) if denominator > 0 else float(images - 1)
    se = float(np.sqrt(variance))
    half = float(stats.t.ppf(0.975, df) * se)
    mean = float(array.mean())
    p = float(2 * stats.t.sf(abs(mean) / se, df)) if se > 0 else float(mean == 0)
    return Interval(mean=mean, low=mean - half, high=mean + half, seeds=seeds, images=images,
                    df=df, p=p)


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


def holm(p_values) -> list[float]:
    """Holm's step-down adjustment of a family of p-values (the family-wise error rate stays
    at most alpha when every adjusted p below alpha is called a difference). Same order."""
    p = np.asarray(p_values, dtype=np.float64)
    if p.ndim != 1 or not np.all((p >= 0) & (p <= 1)):
        raise ValueError(f"p_values must be a list of numbers in [0, 1], got {p_values!r}.")
    order = np.argsort(p)
    adjusted = np.empty_like(p)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[index]))
        adjusted[index] = running
    return [float(v) for v in adjusted]
