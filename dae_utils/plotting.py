"""Figures the chapters share: rows of digits, training curves, montages, architectures.

Each function returns the matplotlib Figure and, given `save_to`, also writes it to that path.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from skimage.util import montage

from dae_utils._checks import as_unit_images

__all__ = ["show_digit_rows", "plot_history", "show_montage", "plot_architecture",
           "save_figure"]


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


# Layers that keep the shape are folded into the step before them, as a second label line.
_FOLDED = {"Activation": "", "ReLU": "relu", "LeakyReLU": "leaky relu",
           "BatchNormalization": "batch norm", "Dropout": "dropout"}


def plot_architecture(model, input_shape=None, title: str | None = None, highlight="code",
                      save_to=None):
    """The tensor shapes through a chain of layers, one block per shape-changing layer.

    model: a Keras model whose layers run one after the other (Sequential, a functional chain,
    or a subclassed model whose `layers` are applied in order; nested models are expanded).
    input_shape: one example's shape, such as (28, 28, 1); taken from the model when it has
    inputs. Each block's height follows the image size and its width the channels; the layer
    named `highlight` (the code) is drawn in orange.
    """
    steps = _architecture_steps(model, input_shape)
    names = [name for *_, name in steps]
    if highlight in names and len(steps) > 8:  # encoder on one row, decoder on the next
        split = names.index(highlight)
        code = ("code", [], steps[split][2], highlight)
        rows = [("encoder", steps[:split + 1]), ("decoder", [code, *steps[split + 1:]])]
    else:
        rows = [("", steps)]
    columns = max(len(row) for _, row in rows)
    fig, axes = plt.subplots(len(rows), 1, squeeze=False,
                             figsize=(min(8.5, 0.95 * columns + 0.9), 2.5 * len(rows) + 0.3))
    biggest = max(_spatial_size(shape) for _, _, shape, _ in steps)
    for ax, (row_label, row) in zip(axes[:, 0], rows):
        for x, (kind, extras, shape, name) in enumerate(row):
            height = 0.25 + 1.5 * np.sqrt(_spatial_size(shape) / biggest)
            width = 0.12 + 0.09 * np.log2(shape[-1] + 1) if len(shape) == 3 else 0.12
            colour = "tab:orange" if name == highlight else "tab:blue"
            ax.add_patch(plt.Rectangle((x - width / 2, -height / 2), width, height,
                                       color=colour, alpha=0.75))
            ax.text(x, 1.0, "\n".join([kind, *extras]), ha="center", va="bottom", fontsize=9)
            ax.text(x, -1.0, "x".join(str(d) for d in shape), ha="center", va="top",
                    fontsize=9)
        ax.set_xlim(-0.6, columns - 0.4)
        ax.set_ylim(-1.4, 2.2)
        ax.set_axis_off()
        if row_label:
            ax.text(-0.55, 1.9, row_label, fontsize=10, fontweight="bold", va="top")
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return save_figure(fig, save_to)


def _architecture_steps(model, input_shape):
    """[(kind, extra labels, output shape, layer name)] along the chain, from the input."""
    import keras

    if input_shape is None:
        if not getattr(model, "inputs", None):
            raise ValueError(f"{model.name} has no known input shape; pass input_shape, such "
                             "as (28, 28, 1) or (784,).")
        input_shape = tuple(model.inputs[0].shape[1:])
    shape = tuple(int(d) for d in input_shape)
    steps = [["input", [], shape, "input"]]

    def walk(layer):
        nonlocal shape
        if isinstance(layer, keras.layers.InputLayer):
            return
        inner = getattr(layer, "layers", None)
        if inner:
            for sub in inner:
                walk(sub)
            return
        kind = type(layer).__name__
        if kind in _FOLDED:
            steps[-1][1].append(_FOLDED[kind] or layer.activation.__name__)
            return
        output = layer.compute_output_spec(keras.KerasTensor((1, *shape)))  # a symbolic call
        shape = tuple(int(d) for d in output.shape[1:])
        steps.append([*_describe(layer), shape, layer.name])

    for layer in model.layers:
        walk(layer)
    return [tuple(step) for step in steps]


def _describe(layer):
    """(kind, extra labels) of a shape-changing layer, such as ("conv 3x3", ["relu"])."""
    config = layer.get_config()
    kind = type(layer).__name__
    activation = config.get("activation")
    extra = [activation] if activation not in (None, "linear") else []
    if kind in ("Conv2D", "Conv2DTranspose"):
        size = "x".join(str(k) for k in config["kernel_size"])
        stride = "" if tuple(config["strides"]) == (1, 1) else f" /{config['strides'][0]}"
        name = "conv" if kind == "Conv2D" else "convᵀ"
        return f"{name} {size}{stride}", extra
    names = {"MaxPooling2D": "max-pool", "Resizing": "resize", "UpSampling2D": "upsample",
             "Cropping2D": "crop", "Flatten": "flatten", "Reshape": "reshape",
             "Dense": "dense"}
    return names.get(kind, kind), extra


def _spatial_size(shape):
    return shape[0] * shape[1] if len(shape) == 3 else min(shape[0], 784)


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
