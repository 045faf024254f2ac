"""Classical denoisers to compare learned ones against (SciPy), applied image by image."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from dae_utils._checks import as_unit_images

__all__ = ["median_filter", "gaussian_blur"]


def median_filter(images, size: int = 3) -> np.ndarray:
    """Replace each pixel by the median of its size x size neighbourhood, in each image.

    images: float array in [0, 1], (N, H, W) or (N, H, W, 1). Returns float32, same shape.
    """
    array = _check(images)
    if not isinstance(size, int) or size < 1:
        raise ValueError(f"size must be a positive int, got {size!r}.")
    window = (1, size, size) + (1,) * (array.ndim - 3)  # never mix images or channels
    return ndimage.median_filter(array, size=window, mode="reflect")


def gaussian_blur(images, sigma: float = 1.0) -> np.ndarray:
    """Blur each image with a Gaussian of standard deviation `sigma` pixels.

    images: float array in [0, 1], (N, H, W) or (N, H, W, 1). Returns float32, same shape.
    """
    array = _check(images)
    if not sigma > 0:
        raise ValueError(f"sigma must be > 0, got {sigma!r}.")
    spread = (0, sigma, sigma) + (0,) * (array.ndim - 3)
    return ndimage.gaussian_filter(array, sigma=spread, mode="reflect").astype(np.float32)


def _check(images) -> np.ndarray:
    array = as_unit_images(images, ranks=(3, 4))
    if array.ndim == 4 and array.shape[-1] != 1:
        raise ValueError(f"Expected grayscale images (N, H, W, 1), got shape {array.shape}.")
    return array
