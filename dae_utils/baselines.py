"""Classical denoisers to compare learned ones against, applied image by image.

Median and Gaussian filters come from SciPy; non-local means and total variation from
scikit-image; BM3D from the optional `bm3d` package (free for non-commercial use only), which
`bm3d_denoise` asks for when it is missing. Two fitted helpers make them fair opponents:
`fit_intensity_correction` undoes the brightness shift that clipped noise leaves behind a
filter, and `fit_linear_denoiser` is the best linear (Wiener) filter over k x k patches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from dae_utils._checks import as_unit_images, positive_int, positive_number

__all__ = ["trivial_references", "median_filter", "gaussian_blur", "non_local_means",
           "total_variation", "bm3d_denoise", "bm3d_available", "IntensityCorrection",
           "fit_intensity_correction", "TunedFilter", "tune_with_correction", "LinearDenoiser",
           "fit_linear_denoiser"]


def trivial_references(x_train, x_test, noisy=None) -> dict[str, float]:
    """PSNR (dB) of answers that learn nothing, the floor any trained model must clear.

    "mean training image": every test image replaced by the pixel-wise mean of `x_train`;
    "all black": every test image replaced by zeros; "noisy input" (when `noisy` is given):
    the corrupted test images, untouched. x_train, x_test, noisy: float arrays in [0, 1] of
    one layout, (N, H, W, 1) or flattened square images (N, H * W).
    """
    from dae_utils.metrics import psnr

    train = as_unit_images(x_train, "x_train", ranks=(2, 4))
    test = as_unit_images(x_test, "x_test", ranks=(2, 4))
    if train.shape[1:] != test.shape[1:]:
        raise ValueError(f"x_train images have shape {train.shape[1:]} but x_test images "
                         f"{test.shape[1:]}; pass both in the same layout.")
    corrupted = None if noisy is None else as_unit_images(noisy, "noisy", ranks=(2, 4))
    if corrupted is not None and corrupted.shape != test.shape:
        raise ValueError(f"noisy has shape {corrupted.shape}, x_test {test.shape}; "
                         "pass the corrupted version of x_test.")
    if test.ndim == 2:  # flattened square images: PSNR wants (N, H, W, 1)
        side = int(round(np.sqrt(test.shape[1])))
        train, test = train.reshape(-1, side, side, 1), test.reshape(-1, side, side, 1)
        corrupted = None if corrupted is None else corrupted.reshape(test.shape)
    scores = {"mean training image": psnr(test, np.broadcast_to(train.mean(axis=0), test.shape)),
              "all black": psnr(test, np.zeros_like(test))}
    if corrupted is not None:
        scores["noisy input"] = psnr(test, corrupted)
    return scores


def median_filter(images, size: int = 3) -> np.ndarray:
    """Replace each pixel by the median of its size x size neighbourhood, in each image.

    images: float array in [0, 1], (N, H, W) or (N, H, W, 1). Returns float32, same shape.
    """
    array = _check(images)
    size = positive_int(size, "size")
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


def non_local_means(images, sigma: float, h: float = 0.4, patch_size: int = 3,
                    noise_std: float | None = None) -> np.ndarray:
    """Non-local means (scikit-image) with patch_size x patch_size patches searched within 5
    pixels.

    images: float array in [0, 1], (N, H, W) or (N, H, W, 1). sigma: the noise standard
    deviation scikit-image subtracts from patch distances (0 subtracts nothing); h: the filter
    strength as a multiple of the noise's standard deviation `noise_std` (default: sigma).
    Returns float32, same shape.
    """
    from skimage.restoration import denoise_nl_means

    array = _check(images)
    if not sigma >= 0:
        raise ValueError(f"sigma must be >= 0, got {sigma!r}.")
    noise_std = positive_number(sigma if noise_std is None else noise_std, "noise_std")
    h, patch_size = positive_number(h, "h"), positive_int(patch_size, "patch_size")
    return _per_image(array, lambda image: denoise_nl_means(
        image, patch_size=patch_size, patch_distance=5, h=h * noise_std, sigma=sigma,
        fast_mode=True))


def total_variation(images, weight: float = 0.1) -> np.ndarray:
    """Total-variation denoising (Chambolle, scikit-image); a larger weight smooths more.

    images: float array in [0, 1], (N, H, W) or (N, H, W, 1). Returns float32, same shape.
    """
    from skimage.restoration import denoise_tv_chambolle

    array = _check(images)
    weight = positive_number(weight, "weight")
    return _per_image(array, lambda image: denoise_tv_chambolle(image, weight=weight))


def bm3d_available() -> bool:
    """Whether the optional `bm3d` package is installed."""
    import importlib.util

    return importlib.util.find_spec("bm3d") is not None


def bm3d_denoise(images, sigma: float) -> np.ndarray:
    """BM3D (Dabov et al., 2007) with noise standard deviation `sigma`, image by image.

    images: float array in [0, 1], (N, H, W) or (N, H, W, 1). Returns float32, same shape.
    Needs the `bm3d` package: ``pip install bm3d`` (free for non-commercial use only).
    """
    array = _check(images)
    sigma = positive_number(sigma, "sigma")
    if not bm3d_available():
        raise ModuleNotFoundError("bm3d_denoise needs the optional 'bm3d' package: "
                                  "pip install bm3d (free for non-commercial use only).")
    import bm3d

    return _per_image(array, lambda image: bm3d.bm3d(image, sigma_psd=sigma))


@dataclass(frozen=True)
class IntensityCorrection:
    """clip(scale * x + offset, 0, 1): a straight-line fix of a filter's output intensities."""

    scale: float
    offset: float

    def apply(self, images) -> np.ndarray:
        """Corrected copies of `images` (float in [0, 1], any shape), float32 in [0, 1]."""
        array = as_unit_images(images)
        return np.clip(self.scale * array + self.offset, 0.0, 1.0).astype(np.float32)


def fit_intensity_correction(filtered, clean) -> IntensityCorrection:
    """The line whose clipped output, clip(scale * filtered + offset, 0, 1), is closest to
    `clean` in mean squared error (same shape, values in [0, 1]).

    Clipped noise is biased (on a black background only its positive half survives), and a
    filter keeps that bias. The fit starts from the least-squares line and then minimises the
    error after clipping (Nelder-Mead), so that it may push a grey background below 0, where
    the clip makes it black again. Fit it on validation images, never on test images.
    """
    from scipy.optimize import minimize

    x = as_unit_images(filtered, "filtered").astype(np.float64)
    y = as_unit_images(clean, "clean").astype(np.float64)
    if x.shape != y.shape:
        raise ValueError(f"filtered and clean must have the same shape, got {x.shape} and "
                         f"{y.shape}.")
    x, y = x.ravel(), y.ravel()
    spread = x.var()
    scale = 0.0 if spread == 0 else float(np.mean((x - x.mean()) * (y - y.mean())) / spread)
    start = np.array([scale, y.mean() - scale * x.mean()])

    def clipped_error(line):
        return float(np.mean((np.clip(line[0] * x + line[1], 0.0, 1.0) - y) ** 2))

    best = minimize(clipped_error, start, method="Nelder-Mead",
                    options={"xatol": 1e-4, "fatol": 1e-9})
    line = best.x if best.fun < clipped_error(start) else start
    return IntensityCorrection(scale=float(line[0]), offset=float(line[1]))


@dataclass(frozen=True)
class TunedFilter:
    """A filter at the setting chosen on validation images, followed by its correction."""

    denoise: object  # denoise(images, setting) -> images
    setting: object
    correction: IntensityCorrection
    psnr_by_setting: dict  # every setting tried -> validation PSNR (dB) after correction

    def apply(self, images) -> np.ndarray:
        """The corrected filter output for `images` (float in [0, 1]), float32 in [0, 1]."""
        return self.correction.apply(self.denoise(images, self.setting))


def tune_with_correction(denoise, settings, noisy, clean) -> TunedFilter:
    """Choose a filter's setting fairly: for each of `settings`, filter the `noisy` images
    with denoise(noisy, setting), fit an intensity correction towards `clean`, and keep the
    setting whose corrected output has the highest mean PSNR. noisy, clean: validation
    images of the same shape, values in [0, 1]; never the test images."""
    from dae_utils.metrics import psnr

    settings = list(settings)
    if not settings:
        raise ValueError("settings is empty: give at least one setting to try.")
    tried = {}
    for setting in settings:
        filtered = denoise(noisy, setting)
        correction = fit_intensity_correction(filtered, clean)
        tried[setting] = (psnr(clean, correction.apply(filtered)), correction)
    best = max(tried, key=lambda setting: tried[setting][0])
    return TunedFilter(denoise=denoise, setting=best, correction=tried[best][1],
                       psnr_by_setting={s: score for s, (score, _) in tried.items()})


@dataclass(frozen=True)
class LinearDenoiser:
    """A Wiener filter: each pixel becomes weights . (its k x k noisy patch) + bias, clipped.

    weights: (size * size,) array; the patch is read row by row with the pixel at its centre,
    images padded by reflection at their borders.
    """

    size: int
    weights: np.ndarray
    bias: float

    def apply(self, images) -> np.ndarray:
        """Denoise images (N, H, W) or (N, H, W, 1) in [0, 1]; float32, same shape."""
        array = _check(images)
        flat = array.reshape(array.shape[:3])
        out = np.empty(flat.shape, np.float32)
        for start in range(0, len(flat), 500):  # chunks keep the patch arrays small
            chunk = flat[start:start + 500]
            restored = _patches(chunk, self.size) @ self.weights.astype(np.float32) + self.bias
            out[start:start + 500] = restored.reshape(chunk.shape)
        return np.clip(out, 0.0, 1.0).reshape(array.shape)


def fit_linear_denoiser(noisy, clean, size: int = 5, ridge: float = 1e-3) -> LinearDenoiser:
    """The linear minimum-MSE (Wiener) filter over size x size patches, fitted by least squares.

    noisy, clean: training images (N, H, W) or (N, H, W, 1) in [0, 1], noisy[i] a corrupted
    clean[i]. size: an odd patch side. ridge: a small penalty on the weights that keeps the
    normal equations well conditioned. The result is the best affine map from a patch to its
    centre pixel on these images: no other linear filter of that size has a lower training MSE.
    """
    size = positive_int(size, "size")
    if size % 2 == 0:
        raise ValueError(f"size must be odd, so that a pixel is the patch's centre; got {size}.")
    x, y = _check(noisy), _check(clean)
    if x.shape != y.shape:
        raise ValueError(f"noisy and clean must have the same shape, got {x.shape} and {y.shape}.")
    x, y = x.reshape(x.shape[:3]), y.reshape(y.shape[:3])
    dims = size * size + 1
    gram, moment = np.zeros((dims, dims)), np.zeros(dims)
    chunk = max(1, 40_000 // (size * size))  # images per step: patch arrays of ~250 MB
    for start in range(0, len(x), chunk):
        patches = _patches(x[start:start + chunk], size).astype(np.float64)
        patches = np.concatenate([patches, np.ones((len(patches), 1))], axis=1)
        gram += patches.T @ patches
        moment += patches.T @ y[start:start + chunk].reshape(-1).astype(np.float64)
    penalty = ridge * np.trace(gram) / dims * np.eye(dims)
    penalty[-1, -1] = 0.0  # the bias is not penalised
    solution = np.linalg.solve(gram + penalty, moment)
    return LinearDenoiser(size=size, weights=solution[:-1].astype(np.float32),
                          bias=float(solution[-1]))


def _patches(images: np.ndarray, size: int) -> np.ndarray:
    """(N, H, W) -> (N * H * W, size * size): every pixel's neighbourhood, reflected at borders."""
    half = size // 2
    padded = np.pad(images, ((0, 0), (half, half), (half, half)), mode="reflect")
    windows = np.lib.stride_tricks.sliding_window_view(padded, (size, size), axis=(1, 2))
    return windows.reshape(-1, size * size)


def _per_image(array: np.ndarray, denoise) -> np.ndarray:
    """Apply denoise(image of shape (H, W)) to each image; keep the input's shape."""
    images = array.reshape(array.shape[:3])
    restored = np.stack([denoise(image.astype(np.float64)) for image in images])
    return np.clip(restored, 0.0, 1.0).astype(np.float32).reshape(array.shape)


def _check(images) -> np.ndarray:
    array = as_unit_images(images, ranks=(3, 4))
    if array.ndim == 4 and array.shape[-1] != 1:
        raise ValueError(f"Expected grayscale images (N, H, W, 1), got shape {array.shape}.")
    return array
