"""Keras callbacks for the chapters: short progress output for long runs, and reconstruction
snapshots written during training."""

from __future__ import annotations

import math
import time
from pathlib import Path

import keras
import numpy as np

__all__ = ["EpochProgress", "ReconstructionSnapshots"]


class EpochProgress(keras.callbacks.Callback):
    """Print one line per `every` epochs: epoch, the logged losses and the time so far.

    Use it with ``model.fit(..., verbose=0, callbacks=[EpochProgress()])``. With every=None
    it prints about `max_lines` lines whatever the number of epochs, always including the
    first and the last epoch, so stored notebook outputs stay short.
    """

    def __init__(self, every: int | None = None, max_lines: int = 15):
        super().__init__()
        if every is not None and every < 1:
            raise ValueError(f"every must be a positive number of epochs, got {every}.")
        if max_lines < 2:
            raise ValueError(f"max_lines must be at least 2, got {max_lines}.")
        self.every = every
        self.max_lines = max_lines

    def on_train_begin(self, logs=None):
        self._epochs = self.params.get("epochs") or 1
        self._step = self.every or max(1, math.ceil(self._epochs / (self.max_lines - 1)))
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        number = epoch + 1
        if number == 1 or number % self._step == 0 or number == self._epochs:
            values = "  ".join(f"{k} {v:.4f}" for k, v in (logs or {}).items()
                               if k.endswith("loss"))
            width = len(str(self._epochs))
            print(f"epoch {number:>{width}}/{self._epochs}  {values}  "
                  f"({time.perf_counter() - self._start:.0f} s)", flush=True)


class ReconstructionSnapshots(keras.callbacks.Callback):
    """Every `every` training steps, reconstruct a fixed batch of images and keep the result.

    images: model inputs, shape (n, H, W, C). `to_display` maps model outputs to [0, 1] for
    viewing (for a tanh model: ``lambda y: (y + 1) / 2``). The snapshots are kept in
    ``self.snapshots`` as (step, images in [0, 1]) pairs, taken before the first step and then
    every `every` steps. With `log_dir`, each is also written to TensorBoard as an image summary
    named "reconstructions", beside the scalars of Keras' own TensorBoard callback. With
    `save_dir`, each is also saved there as a one-row grid, ``step_00050.png`` and so on.
    """

    def __init__(self, images, every: int = 50, log_dir=None, to_display=None, save_dir=None):
        super().__init__()
        if every < 1:
            raise ValueError(f"every must be a positive number of steps, got {every}.")
        self.images = np.asarray(images, dtype="float32")
        if self.images.ndim != 4:
            raise ValueError(f"images must have shape (n, H, W, C), got {self.images.shape}.")
        self.every = every
        self.log_dir = log_dir
        self.save_dir = save_dir
        self.to_display = to_display or (lambda outputs: outputs)
        self.snapshots = []
        self._step = 0
        self._writer = None

    def on_train_begin(self, logs=None):
        if self.log_dir is not None:
            import tensorflow as tf

            self._writer = tf.summary.create_file_writer(str(self.log_dir) + "/reconstructions")
        if not self.snapshots:
            self._snapshot()

    def on_train_batch_end(self, batch, logs=None):
        self._step += 1
        if self._step % self.every == 0:
            self._snapshot()

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()

    def _snapshot(self):
        outputs = self.model(self.images, training=False)
        shown = np.clip(np.asarray(self.to_display(keras.ops.convert_to_numpy(outputs))), 0, 1)
        self.snapshots.append((self._step, shown))
        if self.save_dir is not None:
            import matplotlib.pyplot as plt
            from skimage.util import montage

            folder = Path(self.save_dir)
            folder.mkdir(parents=True, exist_ok=True)
            row = montage(shown[..., 0], grid_shape=(1, len(shown)), padding_width=1, fill=1.0)
            plt.imsave(folder / f"step_{self._step:05d}.png", row, cmap="gray", vmin=0, vmax=1)
        if self._writer is not None:
            import tensorflow as tf

            with self._writer.as_default():
                tf.summary.image("reconstructions", shown, step=self._step,
                                 max_outputs=len(shown))
