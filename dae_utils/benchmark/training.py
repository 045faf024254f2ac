"""Training a denoiser the way a practitioner would, to convergence, for the benchmark.

`train_to_convergence` trains a model to map noisy images to clean ones with fresh noise in
every batch, Adam with gradient-norm clipping, a linear warm-up over a tenth of the step cap
and a cosine decay to zero at the cap. It scores the validation images every `eval_every`
steps and stops when the validation PSNR has not risen by `min_gain_db` for `patience`
scores, keeping the best weights. The run records its validation
curve, the step of its best score and why it stopped.

A run whose best validation PSNR is not above the mean training image's is a failed run: it
learned less than an answer that learns nothing. `train_with_retries` retries such a run at a
third of the learning rate, and reports every attempt.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from dae_utils._checks import as_unit_images, positive_int, positive_number

__all__ = ["ConvergenceRule", "ConvergedRun", "images_of", "train_to_convergence",
           "train_with_retries"]

HEADS = ("logits", "linear")  # sigmoid of logits, or a linear output clipped to [0, 1]


@dataclass(frozen=True)
class ConvergenceRule:
    """How long a benchmark model trains, and when it has converged."""

    max_steps: int  # the step cap
    eval_every: int  # steps between two validation scores
    patience: int  # validation scores without a gain of min_gain_db before stopping
    batch_size: int = 64
    min_gain_db: float = 0.02
    warmup_fraction: float = 0.1  # of max_steps, from a tenth of the peak rate to the peak
    clipnorm: float = 1.0  # Adam's gradient-norm clipping

    def __post_init__(self):
        for name in ("max_steps", "eval_every", "patience", "batch_size"):
            positive_int(getattr(self, name), name)
        if self.eval_every > self.max_steps:
            raise ValueError(f"eval_every ({self.eval_every}) must not exceed max_steps "
                             f"({self.max_steps}).")
        if not 0.1 <= self.warmup_fraction < 1:
            raise ValueError(f"warmup_fraction must be in [0.1, 1), got {self.warmup_fraction}.")
        positive_number(self.clipnorm, "clipnorm")


@dataclass
class ConvergedRun:
    """One training run: the model (best weights) and its validation curve."""

    model: object
    learning_rate: float
    steps: list = field(default_factory=list)  # step of each validation score
    seconds: list = field(default_factory=list)  # training seconds then (scoring excluded)
    val_psnr: list = field(default_factory=list)  # mean validation PSNR (dB) then
    stopped: str = ""  # "converged" (no gain for `patience` scores) or "step cap"

    @property
    def best_index(self) -> int:
        return int(np.argmax(self.val_psnr))

    @property
    def best_step(self) -> int:
        return self.steps[self.best_index]

    @property
    def best_val_psnr(self) -> float:
        return float(self.val_psnr[self.best_index])

    def last_fifth_gain(self) -> float:
        """Best validation PSNR over the last fifth of the steps trained, minus the best before
        it (dB): 0.1 dB or more means the model was still learning when it stopped."""
        cut = 0.8 * self.steps[-1]
        before = [p for s, p in zip(self.steps, self.val_psnr) if s <= cut]
        return float(max(self.val_psnr) - max(before)) if before else float("nan")

    def record(self) -> dict:
        """JSON-ready: the curve and what it says about convergence."""
        return {"learning_rate": self.learning_rate, "steps": self.steps,
                "seconds": [round(s, 2) for s in self.seconds],
                "val_psnr": [round(p, 4) for p in self.val_psnr], "stopped": self.stopped,
                "best_step": self.best_step, "best_val_psnr": self.best_val_psnr,
                "steps_trained": self.steps[-1], "last_fifth_gain": self.last_fifth_gain()}


def images_of(model, noisy, head: str, batch_size: int = 500) -> np.ndarray:
    """The restored images, float32 in [0, 1]: a sigmoid of logits, or a clipped linear
    output. noisy: (N, 28, 28, 1) in [0, 1]."""
    if head not in HEADS:
        raise ValueError(f"head must be one of {HEADS}, got {head!r}.")
    outputs = np.asarray(model.predict(noisy, batch_size=batch_size, verbose=0), np.float32)
    if head == "logits":
        outputs = 1.0 / (1.0 + np.exp(-outputs))
    return np.clip(outputs, 0.0, 1.0)


def train_to_convergence(build_model, loss: str, head: str, rule: ConvergenceRule,
                         learning_rate: float, x_train, noise, validation, *,
                         seed: int = 0, noise_draws: str = "fresh") -> ConvergedRun:
    """Train `build_model()` on (noisy, clean) pairs of x_train until validation PSNR stalls.

    build_model: no arguments, returns an uncompiled Keras model from (N, 28, 28, 1) images in
    [0, 1] to logits (head "logits", with loss "binary_crossentropy" from logits) or to images
    (head "linear", loss "mse"). noise: a `noise.NoiseRecipe`, drawn afresh for every batch
    (noise_draws "fresh") or once for the whole run ("once": one noisy copy of x_train).
    validation: (noisy, clean) arrays, fixed for the run. Returns the run, best weights loaded.
    """
    import keras

    from dae_utils.metrics import psnr
    from dae_utils.noise import noisy_dataset

    clean = as_unit_images(x_train, "x_train", ranks=(4,))
    val_noisy = as_unit_images(validation[0], "validation noisy images", ranks=(4,))
    val_clean = as_unit_images(validation[1], "validation clean images", ranks=(4,))
    learning_rate = positive_number(learning_rate, "learning_rate")
    losses = {"binary_crossentropy": keras.losses.BinaryCrossentropy(from_logits=True),
              "mse": keras.losses.MeanSquaredError()}
    if noise_draws not in ("fresh", "once"):
        raise ValueError(f"noise_draws must be 'fresh' or 'once', got {noise_draws!r}.")
    if (loss, head) not in (("binary_crossentropy", "logits"), ("mse", "linear")):
        raise ValueError("use loss 'binary_crossentropy' with head 'logits', or 'mse' with "
                         f"'linear' (outputs that do not saturate), got {loss!r}, {head!r}.")

    keras.utils.set_random_seed(seed)
    model = build_model()
    warmup = max(1, math.ceil(rule.warmup_fraction * rule.max_steps))
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=learning_rate / 10, decay_steps=rule.max_steps - warmup,
        warmup_target=learning_rate, warmup_steps=warmup, alpha=0.0)
    model.compile(optimizer=keras.optimizers.Adam(schedule, clipnorm=rule.clipnorm),
                  loss=losses[loss])
    run = ConvergedRun(model, learning_rate)
    if noise_draws == "fresh":
        batches = noisy_dataset(clean, rule.batch_size, mean=noise.mean, std=noise.std,
                                seed=seed)
    else:
        import tensorflow as tf

        batches = (tf.data.Dataset.from_tensor_slices((noise.apply(clean, seed=seed), clean))
                   .shuffle(len(clean), seed=seed, reshuffle_each_iteration=True)
                   .batch(rule.batch_size))
    batches = batches.repeat()

    class ScoreAndStop(keras.callbacks.Callback):
        """Scores the validation images, keeps the best weights, and stops after `patience`
        scores without a gain of `min_gain_db` over the score that last gained it. (Keras'
        EarlyStopping would restore the last score that beat min_delta, not the best one.)"""

        def on_train_begin(self, logs=None):
            self.best_weights, self.reference, self.wait = None, -np.inf, 0

        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            elapsed = time.perf_counter() - self.started
            run.seconds.append((run.seconds[-1] if run.seconds else 0.0) + elapsed)
            run.steps.append((epoch + 1) * rule.eval_every)
            value = psnr(val_clean, images_of(model, val_noisy, head))
            run.val_psnr.append(float(value) if np.isfinite(value) else 0.0)
            if run.val_psnr[-1] >= max(run.val_psnr):
                self.best_weights = model.get_weights()
            if run.val_psnr[-1] > self.reference + rule.min_gain_db:
                self.reference, self.wait = run.val_psnr[-1], 0
            else:
                self.wait += 1
                if self.wait >= rule.patience:
                    model.stop_training = True
                    run.stopped = "converged"

        def on_train_end(self, logs=None):
            model.set_weights(self.best_weights)

    run.stopped = "step cap"
    model.fit(batches, epochs=rule.max_steps // rule.eval_every,
              steps_per_epoch=rule.eval_every, verbose=0, shuffle=False,
              callbacks=[ScoreAndStop()])
    return run


def train_with_retries(build_model, loss, head, rule, learning_rate, x_train, noise,
                       validation, floor_db: float, *, seed: int = 0, noise_draws="fresh",
                       retries: int = 2):
    """`train_to_convergence`, retried at a third of the rate while the best validation PSNR
    is at or below `floor_db` (the mean training image's). Returns (run or None, attempts):
    None when every attempt failed; attempts: one JSON-ready record each, with "failed"."""
    attempts, rate = [], learning_rate
    for _ in range(retries + 1):
        run = train_to_convergence(build_model, loss, head, rule, rate, x_train, noise,
                                   validation, seed=seed, noise_draws=noise_draws)
        failed = run.best_val_psnr <= floor_db
        attempts.append({**run.record(), "failed": failed})
        if not failed:
            return run, attempts
        rate /= 3
    return None, attempts

