"""The book's learning-rate schedule: a short warm-up, then a cosine decay to zero."""

from __future__ import annotations

import keras

from dae_utils._checks import positive_int, positive_number

__all__ = ["warmup_cosine"]


def warmup_cosine(peak: float, epochs: int, steps_per_epoch: int):
    """Adam's learning rate over a run of `epochs` x `steps_per_epoch` steps.

    One epoch of linear warm-up from peak / 10 to `peak`, then a cosine decay that reaches zero
    at the last step (Loshchilov and Hutter, 2017). Returns a Keras LearningRateSchedule to
    pass as `keras.optimizers.Adam(learning_rate=...)`.
    """
    peak = positive_number(peak, "peak")
    total = positive_int(epochs, "epochs") * positive_int(steps_per_epoch, "steps_per_epoch")
    warmup = min(steps_per_epoch, total // 2)
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=peak / 10, decay_steps=max(1, total - warmup),
        warmup_target=peak, warmup_steps=warmup, alpha=0.0)
