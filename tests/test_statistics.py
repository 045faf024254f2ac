"""Intervals over seeds and test images, and paired comparisons."""

import numpy as np
import pytest
from scipy import stats

from dae_utils.benchmark.statistics import holm, mean_interval, paired_difference


def test_one_row_gives_students_interval_of_a_mean_over_images():
    scores = np.random.default_rng(0).normal(20, 2, 400)
    interval = mean_interval(scores)
    half = stats.t.ppf(0.975, 399) * scores.std(ddof=1) / np.sqrt(400)
    assert interval["mean"] == pytest.approx(scores.mean())
    assert interval["high"] - interval["mean"] == pytest.approx(half)
    assert interval["seeds"] == 1 and interval["images"] == 400
    assert interval["df"] == pytest.approx(399)


def test_welch_satterthwaite_degrees_of_freedom_follow_the_larger_part():
    rng = np.random.default_rng(1)
    images = rng.normal(0, 1, 1000)
    offsets = np.array([-0.5, 0.0, 0.5])  # three seeds, each a constant shift
    scores = images[None, :] + offsets[:, None]
    interval = mean_interval(scores)
    seed_part = offsets.var(ddof=1) / 3
    image_part = images.var(ddof=1) / 1000
    df = (seed_part + image_part) ** 2 / (seed_part**2 / 2 + image_part**2 / 999)
    expected = stats.t.ppf(0.975, df) * np.sqrt(seed_part + image_part)
    assert interval["df"] == pytest.approx(df) and 2 < df < 2.1  # the seeds dominate
    assert interval["high"] - interval["mean"] == pytest.approx(expected)
    assert interval["high"] - interval["mean"] > 1.0
    quiet = mean_interval(images[None, :] + np.array([-1e-3, 0, 1e-3])[:, None])
    assert quiet["df"] > 900  # the images dominate: nearly the one-row interval


def test_holm_multiplies_the_smallest_p_by_the_family_size_and_keeps_the_order():
    assert holm([0.01, 0.04, 0.03, 0.5]) == pytest.approx([0.04, 0.09, 0.09, 0.5])
    assert holm([0.3, 0.001]) == pytest.approx([0.3, 0.002])
    assert holm([0.02, 0.03]) == pytest.approx([0.04, 0.04])  # never decreasing with rank
    assert holm([0.9, 0.8]) == [1.0, 1.0]  # capped at 1
    with pytest.raises(ValueError, match="numbers in \\[0, 1\\]"):
        holm([0.5, 1.5])


def test_the_p_value_is_small_for_a_clear_difference_and_large_for_none():
    rng = np.random.default_rng(4)
    clear = paired_difference(rng.normal(1, 1, (3, 200)) + 0.5, rng.normal(1, 1, (3, 200)))
    none = paired_difference(rng.normal(1, 1, (3, 200)), rng.normal(1, 1, (3, 200)))
    assert clear["p"] < 0.01 < none["p"]


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
