import numpy as np
import pytest

from dae_utils.noise import add_gaussian_noise, add_shifted_gaussian_noise, noisy_dataset

GREY = np.full((64, 28, 28, 1), 0.5, dtype=np.float32)


def test_gaussian_noise_has_the_requested_spread_and_stays_in_range():
    noisy = add_gaussian_noise(GREY, noise_factor=0.1, seed=0)
    assert noisy.shape == GREY.shape and noisy.dtype == np.float32
    assert noisy.min() >= 0.0 and noisy.max() <= 1.0
    assert abs((noisy - GREY).std() - 0.1) < 0.005
    assert abs((noisy - GREY).mean()) < 0.005


def test_strong_noise_is_clipped_to_unit_range():
    noisy = add_gaussian_noise(GREY, noise_factor=2.0, seed=1)
    assert noisy.min() == 0.0 and noisy.max() == 1.0


def test_shifted_noise_moves_the_mean():
    dark = np.full((64, 28, 28, 1), 0.2, dtype=np.float32)
    noisy = add_shifted_gaussian_noise(dark, mean=0.5, std=0.05, seed=0)
    assert abs(noisy.mean() - 0.7) < 0.005


def test_noise_is_reproducible_from_a_seed():
    assert np.array_equal(add_gaussian_noise(GREY, seed=3), add_gaussian_noise(GREY, seed=3))
    assert not np.array_equal(add_gaussian_noise(GREY, seed=3), add_gaussian_noise(GREY, seed=4))


def test_zero_noise_returns_the_input():
    assert np.array_equal(add_gaussian_noise(GREY, noise_factor=0.0), GREY)


@pytest.mark.parametrize(
    ("images", "error", "message"),
    [
        (np.full((2, 28, 28, 1), 255, dtype=np.uint8), TypeError, "/ 255"),
        (np.full((2, 28, 28, 1), 255.0), ValueError, "divide by 255"),
        (np.full((2, 28, 28, 1), -0.5), ValueError, r"\[0, 1\]"),
        (np.array(["a", "b"]), TypeError, "numeric"),
    ],
)
def test_bad_images_are_refused(images, error, message):
    with pytest.raises(error, match=message):
        add_gaussian_noise(images)


def test_negative_noise_factor_is_refused():
    with pytest.raises(ValueError, match="noise_factor must be a finite number >= 0"):
        add_gaussian_noise(GREY, noise_factor=-0.1)


def _noise_of_one_pass(dataset):
    return np.concatenate([(noisy - clean).numpy() for noisy, clean in dataset])


def test_dataset_pairs_noisy_inputs_with_clean_targets():
    images = np.random.default_rng(0).uniform(size=(10, 28, 28, 1)).astype(np.float32)
    batches = list(noisy_dataset(images, batch_size=4, shuffle=False))
    assert [clean.shape[0] for _, clean in batches] == [4, 4, 2]
    clean = np.concatenate([c.numpy() for _, c in batches])
    noisy = np.concatenate([n.numpy() for n, _ in batches])
    assert np.array_equal(clean, images)
    assert noisy.min() >= 0.0 and noisy.max() <= 1.0 and not np.allclose(noisy, clean)


def test_dataset_draws_fresh_noise_every_epoch_but_repeats_with_a_seed():
    dataset = noisy_dataset(GREY, batch_size=16, std=0.1, shuffle=False, seed=7)
    first, second = _noise_of_one_pass(dataset), _noise_of_one_pass(dataset)
    assert not np.allclose(first, second)
    assert abs(first.std() - 0.1) < 0.005
    replay = noisy_dataset(GREY, batch_size=16, std=0.1, shuffle=False, seed=7)
    assert np.array_equal(first, _noise_of_one_pass(replay))


def test_dataset_shuffles_each_epoch():
    images = np.linspace(0, 1, 32, dtype=np.float32).reshape(32, 1, 1, 1)
    dataset = noisy_dataset(images, batch_size=32, std=0.0, seed=1)
    first, second = (next(iter(dataset))[1].numpy().ravel() for _ in range(2))
    assert sorted(first) == sorted(images.ravel()) and not np.array_equal(first, second)


def test_dataset_refuses_a_bad_batch_size():
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        noisy_dataset(GREY, batch_size=0)
