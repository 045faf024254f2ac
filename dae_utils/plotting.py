"""Figures the chapters share: rows of digits, training curves and montages.

Each function returns the matplotlib Figure and, given `save_to`, also writes it to that path.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from skimage.util import montage

from dae_utils._checks import as_unit_images

__all__ = ["show_digit_rows", "plot_history", "show_montage", "save_figure"]


def show_digit_rows(rows, labels, n: int = 10, title: str | None = None, save_to=None):
    """One row of `n` images per entry of `rows`, the row's label on its left.

    rows: sequence of float image arrays in [0, 1], each (N, 28, 28), (N, 28, 28, 1) or
    flattened (N, 784), with N >= n; labels: one string per row, such as
    ["original", "reconstruction"].
    """
    if len(rows) != len(labels):
        raise ValueError(f"Got {len(rows)} rows but {len(labels)} labels; pass one label per row.")
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}.")
    images = [_as_2d_images(row, f"rows[{i}]")[:n] for i, row in enumerate(rows)]
    for i, row in enumerate(images):
        if len(row) < n:
            raise ValueError(f"rows[{i}] holds {len(row)} images, fewer than n={n}.")

    width = max(n, 4) * 1.0  # room for the row labels even with few images
    fig, axes = plt.subplots(len(rows), n, figsize=(width, len(rows) * 1.1 + 0.4), squeeze=False)
    for row_axes, row, label in zip(axes, images, labels):
        for ax, image in zip(row_axes, row):
            ax.imshow(image, cmap="gray", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
        row_axes[0].set_ylabel(label, rotation=0, ha="right", va="center")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return save_figure(fig, save_to)


def plot_history(history, title: str = "Training history", save_to=None):
    """Loss per epoch (and validation loss when present) from a Keras History or its dict."""
    metrics = getattr(history, "history", history)
    if not isinstance(metrics, dict) or "loss" not in metrics:
        raise ValueError("history must be a keras History or a dict with a 'loss' list, "
                         f"got {type(history).__name__}.")
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for key, values in metrics.items():
        if key == "loss" or key.startswith("val_"):
            epochs = np.arange(1, len(values) + 1)
            ax.plot(epochs, values, marker="o" if len(values) <= 30 else None, label=key)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return save_figure(fig, save_to)


def show_montage(images, grid_shape=None, title: str | None = None, save_to=None):
    """All `images` tiled into one picture (scikit-image's montage).

    images: float array in [0, 1], (N, H, W), (N, H, W, 1) or flattened (N, 784).
    grid_shape: (rows, columns), or None for a near-square grid.
    """
    tiles = _as_2d_images(images, "images")
    picture = montage(tiles, grid_shape=grid_shape, fill=1.0, padding_width=1)
    width = min(8.0, max(3.0, picture.shape[1] / 40))  # about 0.7 inch per 28-pixel tile
    fig, ax = plt.subplots(figsize=(width, width * picture.shape[0] / picture.shape[1]))
    ax.imshow(picture, cmap="gray", vmin=0, vmax=1)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return save_figure(fig, save_to)


def _as_2d_images(images, name: str) -> np.ndarray:
    array = as_unit_images(images, name, ranks=(2, 3, 4))
    if array.ndim == 2:  # flattened square images
        side = int(round(np.sqrt(array.shape[1])))
        if side * side != array.shape[1]:
            raise ValueError(f"{name}: flattened images of {array.shape[1]} values are not square.")
        return array.reshape(-1, side, side)
    if array.ndim == 4:
        if array.shape[-1] != 1:
            raise ValueError(f"{name}: expected one channel, got shape {array.shape}.")
        return array[..., 0]
    return array


def save_figure(fig, save_to):
    if save_to is not None:
        path = Path(save_to)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=120, bbox_inches="tight")
    return fig
