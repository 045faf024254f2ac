import numpy as np
import pytest

from dae_utils.baselines import gaussian_blur, median_filter
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
