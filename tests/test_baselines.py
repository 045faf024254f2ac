import numpy as np
import pytest

from dae_utils.baselines import (
    bm3d_available,
    bm3d_denoise,
    fit_intensity_correction,
    fit_linear_denoiser,
    gaussian_blur,
    median_filter,
    non_local_means,
    total_variation,
    tune_with_correction,
)
from dae_utils.metrics import psnr
from dae_utils.noise import add_gaussian_noise


def _bars(n=8):
    images = np.zeros((n, 28, 28, 1), np.float32)
    images[:, 8:20, 10:18] = 1.0
    return images


def test_median_removes_isolated_specks_and_keeps_flat_areas():
    images = _bars()
    specked = images.copy()
    specked[:, 3, 3] = 1.0  # one bright pixel on the dark background
    restored = median_filter(specked)
    assert restored.shape == images.shape and restored.dtype == np.float32
    assert np.array_equal(restored[:, 3, 3], np.zeros((8, 1)))
    assert np.array_equal(restored[:, 12, 12], np.ones((8, 1)))


def test_filters_work_image_by_image():
    images = _bars()
    images[1] = 0.0
    for restored in (median_filter(images), gaussian_blur(images, sigma=2.0)):
        assert restored[1].max() == 0.0, "the bright image must not leak into its dark neighbour"


def test_both_filters_improve_psnr_on_noisy_images():
    clean = _bars(16)
    noisy = add_gaussian_noise(clean, noise_factor=0.3, seed=0)
    assert psnr(clean, median_filter(noisy)) > psnr(clean, noisy)
    assert psnr(clean, gaussian_blur(noisy)) > psnr(clean, noisy)


def test_squeezed_images_are_accepted():
    images = _bars()[..., 0]
    assert gaussian_blur(images).shape == images.shape


@pytest.mark.parametrize(
    ("call", "message"),
    [(lambda: median_filter(_bars(), size=0), "size"),
     (lambda: gaussian_blur(_bars(), sigma=0), "sigma"),
     (lambda: median_filter(_bars() * 255), "divide by 255"),
     (lambda: gaussian_blur(np.zeros((2, 28, 28, 3))), "grayscale")],
)
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("denoise", [
    lambda x: non_local_means(x, sigma=0.3),
    lambda x: total_variation(x, weight=0.2),
    pytest.param(lambda x: bm3d_denoise(x, sigma=0.3),
                 marks=pytest.mark.skipif(not bm3d_available(), reason="bm3d not installed")),
])
def test_scikit_image_and_bm3d_filters_raise_psnr_and_keep_shape(denoise):
    clean = _bars(4)
    noisy = add_gaussian_noise(clean, noise_factor=0.3, seed=0)
    restored = denoise(noisy)
    assert restored.shape == clean.shape and restored.dtype == np.float32
    assert 0.0 <= restored.min() and restored.max() <= 1.0
    assert psnr(clean, restored) > psnr(clean, noisy) + 2


@pytest.mark.parametrize(("call", "message"), [
    (lambda x: non_local_means(x, sigma=0), "noise_std must be a number > 0"),
    (lambda x: non_local_means(x, sigma=-0.1, noise_std=0.5), "sigma must be >= 0"),
    (lambda x: non_local_means(x, sigma=0.5, patch_size=0), "patch_size"),
    (lambda x: non_local_means(x, sigma=0.5, h=-1), "h must be a number > 0"),
    (lambda x: total_variation(x, weight="strong"), "weight must be a number > 0"),
    (lambda x: total_variation(x[..., 0].reshape(8, -1)), "rank"),
])
def test_new_filters_refuse_bad_settings(call, message):
    with pytest.raises(ValueError, match=message):
        call(_bars())


def test_bm3d_explains_how_to_install_it_when_missing(monkeypatch):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "bm3d" else real_find_spec(name, *a))
    assert not bm3d_available()
    with pytest.raises(ModuleNotFoundError, match="pip install bm3d"):
        bm3d_denoise(_bars(), sigma=0.5)


def test_trivial_references_score_the_mean_image_and_black():
    from dae_utils.baselines import trivial_references
    from dae_utils.metrics import psnr

    rng = np.random.default_rng(0)
    train = rng.uniform(0, 1, (50, 28, 28, 1)).astype("float32")
    test = rng.uniform(0, 1, (20, 28, 28, 1)).astype("float32")
    noisy = np.clip(test + 0.1, 0, 1)
    scores = trivial_references(train, test, noisy=noisy)
    mean_image = np.broadcast_to(train.mean(axis=0), test.shape)
    assert scores["mean training image"] == pytest.approx(psnr(test, mean_image))
    assert scores["all black"] == pytest.approx(psnr(test, np.zeros_like(test)))
    assert scores["noisy input"] == pytest.approx(psnr(test, noisy))
    flat = trivial_references(train.reshape(50, 784), test.reshape(20, 784))
    assert flat["mean training image"] == pytest.approx(scores["mean training image"])


def test_trivial_references_refuse_mismatched_layouts():
    from dae_utils.baselines import trivial_references

    images = np.zeros((4, 28, 28, 1), "float32")
    with pytest.raises(ValueError, match="same layout"):
        trivial_references(images, images.reshape(4, 784))
    with pytest.raises(ValueError, match="corrupted version of x_test"):
        trivial_references(images, images, noisy=images[:2])


def test_intensity_correction_undoes_a_known_line_even_through_the_clip():
    rng = np.random.default_rng(0)
    clean = (rng.random((20, 28, 28, 1)) > 0.8).astype(np.float32)  # black and white
    grey = 0.3 + 0.4 * clean  # a filter's washed-out output: black at 0.3, white at 0.7
    correction = fit_intensity_correction(grey, clean)
    assert np.abs(correction.apply(grey) - clean).max() < 1e-3
    line = np.polyfit(grey.ravel(), clean.ravel(), 1)
    assert correction.scale == pytest.approx(line[0], rel=0.05)


def test_the_clip_aware_fit_beats_the_least_squares_line_on_clipped_noise():
    from dae_utils.noise import GAUSSIAN_NOISE

    clean = _bars(32)
    blurred = gaussian_blur(GAUSSIAN_NOISE.apply(clean, seed=0), sigma=1.0)
    correction = fit_intensity_correction(blurred, clean)
    slope, offset = np.polyfit(blurred.ravel(), clean.ravel(), 1)
    least_squares = np.clip(slope * blurred + offset, 0, 1)
    assert psnr(clean, correction.apply(blurred)) > psnr(clean, least_squares) + 0.5


def test_tuning_keeps_the_setting_whose_corrected_output_scores_best():
    clean = _bars(16)
    noisy = add_gaussian_noise(clean, noise_factor=0.4, seed=2)
    tuned = tune_with_correction(gaussian_blur, (0.25, 1.0, 4.0), noisy, clean)
    assert list(tuned.psnr_by_setting) == [0.25, 1.0, 4.0]
    assert tuned.psnr_by_setting[tuned.setting] == max(tuned.psnr_by_setting.values())
    assert tuned.setting == 1.0  # a touch of blur keeps noise, a wide one loses the bars
    by_hand = fit_intensity_correction(gaussian_blur(noisy, 1.0), clean)
    assert np.allclose(tuned.apply(noisy), by_hand.apply(gaussian_blur(noisy, 1.0)))
    assert psnr(clean, tuned.apply(noisy)) == pytest.approx(tuned.psnr_by_setting[1.0])
    with pytest.raises(ValueError, match="settings is empty"):
        tune_with_correction(gaussian_blur, (), noisy, clean)


def test_the_wiener_filter_beats_every_blur_it_could_be():
    """A Gaussian blur is one linear filter of the patch size, so the fitted one must do at
    least as well on its training images."""
    clean = np.concatenate([_bars(16), np.roll(_bars(16), 5, axis=2)])
    noisy = add_gaussian_noise(clean, noise_factor=0.3, seed=1)
    wiener = fit_linear_denoiser(noisy, clean, size=5)
    assert wiener.weights.shape == (25,)
    restored = wiener.apply(noisy)
    assert restored.shape == clean.shape and restored.dtype == np.float32
    for sigma in (0.5, 0.8, 1.2):
        assert psnr(clean, restored) > psnr(clean, gaussian_blur(noisy, sigma))


def test_the_wiener_filter_of_size_one_is_a_per_pixel_line():
    clean = _bars(8)
    noisy = add_gaussian_noise(clean, noise_factor=0.3, seed=2)
    wiener = fit_linear_denoiser(noisy, clean, size=1, ridge=0.0)
    slope, offset = np.polyfit(noisy.ravel(), clean.ravel(), 1)
    assert wiener.weights[0] == pytest.approx(slope, rel=1e-3)
    assert wiener.bias == pytest.approx(offset, abs=1e-3)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fit_linear_denoiser(_bars(), _bars(), size=4), "odd"),
    (lambda: fit_linear_denoiser(_bars(4), _bars(3)), "same shape"),
    (lambda: fit_intensity_correction(_bars(4), _bars(3)), "same shape"),
])
def test_fitted_baselines_refuse_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_non_local_means_takes_a_patch_size_and_no_distance_correction():
    clean = _bars(4)
    noisy = add_gaussian_noise(clean, noise_factor=0.3, seed=0)
    corrected = non_local_means(noisy, sigma=0.3, h=0.8)
    uncorrected = non_local_means(noisy, sigma=0.0, h=0.8, noise_std=0.3)
    larger = non_local_means(noisy, sigma=0.0, h=0.8, noise_std=0.3, patch_size=5)
    assert not np.allclose(corrected, uncorrected) and not np.allclose(uncorrected, larger)
    for restored in (uncorrected, larger):
        assert psnr(clean, restored) > psnr(clean, noisy) + 2
