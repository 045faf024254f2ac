"""Intervals over seeds and test images, and paired comparisons."""

import numpy as np
import pytest
from scipy import stats

from dae_utils.benchmark.statistics import mean_interval, paired_difference


def test_one_row_gives_the_normal_interval_of_a_mean():
    scores = np.random.default_rng(0).normal(20, 2, 400)
    interval = mean_interval(scores)
    half = 1.96 * scores.std(ddof=1) / np.sqrt(400)
    assert interval["mean"] == pytest.approx(scores.mean())
    assert interval["high"] - interval["mean"] == pytest.approx(half, rel=1e-3)
    assert interval["seeds"] == 1 and interval["images"] == 400


def test_seed_to_seed_spread_widens_the_interval_with_students_t():
    rng = np.random.default_rng(1)
    images = rng.normal(0, 1, 1000)
    offsets = np.array([-0.5, 0.0, 0.5])  # three seeds, each a constant shift
    scores = images[None, :] + offsets[:, None]
    interval = mean_interval(scores)
    seed_part = offsets.var(ddof=1) / 3
    image_part = images.var(ddof=1) / 1000
    expected = stats.t.ppf(0.975, 2) * np.sqrt(seed_part + image_part)
    assert interval["high"] - interval["mean"] == pytest.approx(expected)
    assert interval["high"] - interval["mean"] > 1.0  # dominated by the seeds


def test_pairing_on_the_same_images_removes_what_both_share():
    rng = np.random.default_rng(2)
    hardness = rng.normal(0, 3, 500)  # some digits are hard for every method
    a = hardness + 0.3 + rng.normal(0, 0.1, 500)
    b = hardness + rng.normal(0, 0.1, 500)
    paired = paired_difference(a, b)
    assert paired.excludes_zero and paired["low"] > 0.2
    unpaired_half = 1.96 * np.sqrt(a.var() / 500 + b.var() / 500)
    assert paired["high"] - paired["mean"] < unpaired_half / 10


def test_a_method_of_one_row_is_paired_with_every_seed():
    a = np.ones((3, 10)) + np.arange(3)[:, None]
    b = np.linspace(0, 1, 10)
    assert paired_difference(a, b)["mean"] == pytest.approx((a - b).mean())


def test_differences_that_straddle_zero_are_not_called():
    rng = np.random.default_rng(3)
    d = paired_difference(rng.normal(0, 1, (3, 50)), rng.normal(0, 1, (3, 50)))
    assert d["low"] < 0 < d["high"] and not d.excludes_zero


@pytest.mark.parametrize(("a", "b", "message"), [
    (np.zeros((3, 10)), np.zeros((2, 10)), "pair equal seeds"),
    (np.zeros((3, 10)), np.zeros((3, 9)), "same test images"),
])
def test_mismatched_scores_are_refused(a, b, message):
    with pytest.raises(ValueError, match=message):
        paired_difference(a, b)


def test_infinite_scores_are_refused_with_a_hint():
    with pytest.raises(ValueError, match="infinite"):
        mean_interval([1.0, np.inf, 2.0])
