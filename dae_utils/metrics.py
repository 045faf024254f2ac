"""Image quality: PSNR and SSIM of restored images against clean ones (scikit-image)."""

from __future__ import annotations

import numpy as np
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from dae_utils._checks import as_unit_images

__all__ = ["psnr", "ssim"]


def psnr(clean, restored, reduction: str = "mean"):
    """Peak signal-to-noise ratio in dB, with data range 1; higher is better.

    clean, restored: float images in [0, 1], same shape, (N, H, W) or (N, H, W, 1).
    reduction: "mean" gives one float; "none" gives an array of N per-image values.
    Identical images have infinite PSNR.
    """
    pairs = _image_pairs(clean, restored)
    with np.errstate(divide="ignore"):
        scores = [peak_signal_noise_ratio(c, r, data_range=1.0) for c, r in pairs]
    return _reduce(scores, reduction)


def ssim(clean, restored, reduction: str = "mean"):
    """Structural similarity (Wang et al., 2004) with a 7x7 window; 1 means identical.

    clean, restored: float images in [0, 1], same shape, (N, H, W) or (N, H, W, 1).
    reduction: "mean" gives one float; "none" gives an array of N per-image values.
    """
    pairs = _image_pairs(clean, restored)
    scores = [structural_similarity(c, r, data_range=1.0) for c, r in pairs]
    return _reduce(scores, reduction)


def _image_pairs(clean, restored):
    clean = as_unit_images(clean, "clean", ranks=(3, 4))
    restored = as_unit_images(restored, "restored", ranks=(3, 4))
    if clean.shape != restored.shape:
        raise ValueError(f"clean and restored must have the same shape, got {clean.shape} "
                         f"and {restored.shape}.")
    if clean.ndim == 4:
        if clean.shape[-1] != 1:
            raise ValueError(f"Expected grayscale images (N, H, W, 1), got shape {clean.shape}.")
        clean, restored = clean[..., 0], restored[..., 0]
    if min(clean.shape[1:]) < 7:
        raise ValueError(f"Images must be at least 7x7 pixels, got {clean.shape[1:]}; "
                         "reshape flattened images to (N, 28, 28, 1) first.")
    return zip(clean.astype(np.float64), restored.astype(np.float64))


def _reduce(scores, reduction: str):
    scores = np.asarray(scores, dtype=np.float64)
    if reduction == "none":
        return scores
    if reduction == "mean":
        return float(scores.mean())
    raise ValueError(f"reduction must be 'mean' or 'none', got {reduction!r}.")
