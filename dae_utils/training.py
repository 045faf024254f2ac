"""Training helpers: short progress output for long runs."""

from __future__ import annotations

import math
import time

import keras

__all__ = ["EpochProgress"]


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
