"""Run budgets: how much data and how many epochs a notebook trains for.

One environment variable, ``DAE_BUDGET``, picks the budget for every notebook:
- ``fast``: tests and CI. 1,024 training and 256 test images, 2 epochs: seconds.
- ``default``: a reader's CPU. All available data; each chapter says how many training
  images its faster schedule shows the model (`epochs(default_images=...)`), otherwise about
  300,000: 5 epochs of full MNIST, 75 of the 4,000-image offline sample. Minutes.
- ``full``: the source tutorials' own epoch counts on all data; meant for full MNIST on a GPU
  or in Colab (on the small offline sample it trains less than ``default``). Long runs in this
  budget back up after every epoch and resume where they stopped when run again.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BUDGET_ENV_VAR", "BACKUP_ENV_VAR", "BUDGETS", "Budget", "get_budget", "describe_device"]

BUDGET_ENV_VAR = "DAE_BUDGET"
BACKUP_ENV_VAR = "DAE_BACKUP_DIR"  # where `full` runs keep their per-epoch backups


@dataclass(frozen=True)
class Budget:
    """How long a notebook may train. Ask it for epochs and subsets; never hard-code them."""

    name: str
    max_train_images: int | None  # None: use every training image
    max_test_images: int | None
    fast_epochs: int | None  # epochs in the fast budget; None in the others
    images_per_run: int | None  # default budget: training images shown per run

    def epochs(self, full: int, n_train: int, default_images: int | None = None) -> int:
        """Epochs to train, given the source's epoch count `full` and `n_train` training images.

        default_images: training images to show in the `default` budget, for a chapter whose
        schedule needs fewer than the budget's usual `images_per_run`.
        """
        if full < 1 or n_train < 1:
            raise ValueError(f"full and n_train must be >= 1, got full={full}, n_train={n_train}.")
        if default_images is not None and default_images < 1:
            raise ValueError(f"default_images must be >= 1, got {default_images}.")
        if self.fast_epochs is not None:
            return min(self.fast_epochs, full)
        if self.images_per_run is None:
            return full
        return max(1, math.ceil((default_images or self.images_per_run) / n_train))

    def train_subset(self, *arrays):
        """The first `max_train_images` items of each array (all of them outside `fast`)."""
        return _head(arrays, self.max_train_images)

    def test_subset(self, *arrays):
        """The first `max_test_images` items of each array (all of them outside `fast`)."""
        return _head(arrays, self.max_test_images)

    def resume_callbacks(self, run_name: str) -> list:
        """Callbacks that let a long run survive an interruption (empty outside `full`).

        In the `full` budget: Keras' BackupAndRestore, backing up model and optimizer after
        every epoch to $DAE_BACKUP_DIR/<run_name> (default ./dae-backups/<run_name>). Run the
        same fit again after a crash or a disconnect and it continues from the last finished
        epoch; a run that completes deletes its backup.
        """
        if not run_name or "/" in run_name or run_name.startswith("."):
            raise ValueError(f"run_name must be a plain folder name, got {run_name!r}.")
        if self.name != "full":
            return []
        import keras

        folder = Path(os.environ.get(BACKUP_ENV_VAR, "dae-backups")) / run_name
        return [keras.callbacks.BackupAndRestore(backup_dir=str(folder))]

    def __str__(self) -> str:
        if self.name == "fast":
            detail = (f"{self.max_train_images:,} train / {self.max_test_images:,} test images, "
                      f"{self.fast_epochs} epochs")
        elif self.name == "default":
            detail = "all data, minutes of training"
        else:
            detail = "all data, the source's epochs"
        return f"Budget '{self.name}' (${BUDGET_ENV_VAR}): {detail}; {describe_device()}"


BUDGETS = {
    "fast": Budget("fast", 1024, 256, fast_epochs=2, images_per_run=None),
    "default": Budget("default", None, None, fast_epochs=None, images_per_run=300_000),
    "full": Budget("full", None, None, fast_epochs=None, images_per_run=None),
}


def get_budget(name: str | None = None) -> Budget:
    """The budget called `name`, or the one named by $DAE_BUDGET, or 'default'."""
    if name is None:
        name = os.environ.get(BUDGET_ENV_VAR, "").strip() or "default"
    key = name.strip().lower()
    if key not in BUDGETS:
        raise ValueError(f"Unknown budget {name!r}; expected one of: {', '.join(BUDGETS)} "
                         f"(set with the {BUDGET_ENV_VAR} environment variable).")
    return BUDGETS[key]


def describe_device() -> str:
    """Which device TensorFlow will train on, such as "on GPU: NVIDIA H100 80GB HBM3"."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return "on CPU (no GPU found)"
    name = tf.config.experimental.get_device_details(gpus[0]).get("device_name", gpus[0].name)
    extra = f" (+{len(gpus) - 1} more)" if len(gpus) > 1 else ""
    return f"on GPU: {name}{extra}"


def _head(arrays, limit):
    if not arrays:
        raise ValueError("Pass at least one array.")
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise ValueError(f"Arrays must have the same length, got lengths {sorted(lengths)}.")
    subset = tuple(a[:limit] for a in arrays)
    return subset[0] if len(subset) == 1 else subset
