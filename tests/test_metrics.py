import numpy as np
import pytest
import tensorflow as tf

from dae_utils.metrics import psnr, ssim
from dae_utils.noise import add_gaussian_noise

RNG = np.random.default_rng(0)
CLEAN = RNG.uniform(size=(6, 28, 28, 1)).astype(np.float32)
NOISY = add_gaussian_noise(CLEAN, noise_factor=0.2, seed=0)


def test_psnr_of_a_known_error():
    black = np.zeros((2, 28, 28, 1), np.float32)
    assert psnr(black, black + 0.1) == pytest.approx(20.0)  # MSE 0.01 -> 10 log10(1 / 0.01)


def test_psnr_agrees_with_tensorflow_per_image():
    ours = psnr(CLEAN, NOISY, reduction="none")
    theirs = tf.image.psnr(CLEAN, NOISY, max_val=1.0).numpy()
    assert ours.shape == (6,)
    np.testing.assert_allclose(ours, theirs, rtol=1e-4)
    assert psnr(CLEAN, NOISY) == pytest.approx(ours.mean())


def test_identical_images_score_perfectly():
    assert psnr(CLEAN, CLEAN) == np.inf
    assert ssim(CLEAN, CLEAN) == pytest.approx(1.0)


def test_ssim_falls_with_more_noise():
    per_image = ssim(CLEAN, NOISY, reduction="none")
    assert per_image.shape == (6,) and np.all(per_image < 1)
    assert ssim(CLEAN, add_gaussian_noise(CLEAN, noise_factor=0.5, seed=0)) < per_image.mean()


def test_channel_last_and_squeezed_images_agree():
    assert ssim(CLEAN, NOISY) == pytest.approx(ssim(CLEAN[..., 0], NOISY[..., 0]))


@pytest.mark.parametrize(
    ("clean", "restored", "error", "message"),
    [
        (CLEAN, NOISY[:3], ValueError, "same shape"),
        (CLEAN, (NOISY * 255).astype(np.uint8), TypeError, "integer"),
        (CLEAN.reshape(6, 784), NOISY.reshape(6, 784), ValueError, "rank 3 or 4"),
        (CLEAN, NOISY * 3, ValueError, r"\[0, 1\]"),
        (np.repeat(CLEAN, 3, axis=-1), np.repeat(NOISY, 3, axis=-1), ValueError, "grayscale"),
    ],
)
def test_bad_inputs_are_refused(clean, restored, error, message):
    with pytest.raises(error, match=message):
        psnr(clean, restored)


def test_unknown_reduction_is_refused():
    with pytest.raises(ValueError, match="reduction"):
        ssim(CLEAN, NOISY, reduction="median")
