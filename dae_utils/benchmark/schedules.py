"""Training schedules: the sources' as published, and the book's faster ones, timed the same way.

A schedule says how a denoiser is trained: batch size, learning rate over time, epochs, how the
noise is drawn and in which precision. `train_with_schedule` runs one on a model and records,
after every epoch, the *training* seconds so far (evaluation excluded) and the validation MSE
and PSNR, so that two schedules can be compared on a common clock.

Noise can be drawn three ways:
- "once": one noisy copy of the training set, reused every epoch (Rosebrock's training script);
- "per-batch-numpy": fresh NumPy noise for every batch, fed from Python (the TensorFlow 1
  denoising tutorials' feed_dict, midnight2104 and qq_34464926);
- "per-batch-graph": fresh noise drawn inside the tf.data graph (`noise.noisy_dataset`).
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field, replace

import keras
import numpy as np

from dae_utils._checks import as_unit_images, positive_int
from dae_utils.learning_rates import warmup_cosine

__all__ = [
    "NOISE_DRAWS",
    "TrainingSchedule",
    "TrainingRun",
    "DEEP_DENOISER_SOURCE_SCHEDULE",
    "DEEP_DENOISER_BOOK_SCHEDULE",
    "BUILDER_SOURCE_SCHEDULE",
    "BUILDER_BOOK_SCHEDULE",
    "learning_rate_for",
    "predict_images",
    "train_with_schedule",
]

NOISE_DRAWS = ("once", "per-batch-numpy", "per-batch-graph")


@dataclass(frozen=True)
class TrainingSchedule:
    """How to train: all the choices that are not the model, the data or the loss."""

    name: str
    batch_size: int
    learning_rate: float  # Adam's (peak) learning rate
    epochs: int
    noise_draws: str = "per-batch-graph"  # one of NOISE_DRAWS
    cosine_decay: bool = False  # warm up for one epoch, then decay to 0 along a cosine
    mixed_precision: bool = False  # bfloat16 compute, float32 weights

    def __post_init__(self):
        positive_int(self.batch_size, "batch_size")
        positive_int(self.epochs, "epochs")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be > 0, got {self.learning_rate!r}.")
        if self.noise_draws not in NOISE_DRAWS:
            raise ValueError(f"noise_draws must be one of {NOISE_DRAWS}, got "
                             f"{self.noise_draws!r}.")

    def with_epochs(self, epochs: int) -> TrainingSchedule:
        """The same schedule for another number of epochs."""
        return replace(self, epochs=epochs)


# The deep 32-32-16 denoiser of the TensorFlow 1 tutorials (midnight2104, 2018; qq_34464926,
# 2018): batches of 200, Adam 1e-3, 100 epochs, new NumPy noise for every batch fed to the graph
# from Python.
DEEP_DENOISER_SOURCE_SCHEDULE = TrainingSchedule(
    "source", batch_size=200, learning_rate=1e-3, epochs=100, noise_draws="per-batch-numpy")
# Rosebrock's ConvAutoencoder builder and training script (PyImageSearch, 2020): batches of 32,
# Adam 1e-3, 25 epochs, the training set corrupted once before training.
BUILDER_SOURCE_SCHEDULE = TrainingSchedule(
    "source", batch_size=32, learning_rate=1e-3, epochs=25, noise_draws="once")
# The book's schedules. Both draw the noise inside the tf.data graph and raise Adam's peak
# learning rate, with a one-epoch warm-up and a cosine decay to zero. The deep model computes
# in bfloat16: the benchmark's throughput table (`suite_throughput.measure_throughput`) shows what
# that buys at each batch size on the machine that runs it. Epochs are per use: these are the
# offline sample's; the benchmark sets them from the source's training time.
DEEP_DENOISER_BOOK_SCHEDULE = TrainingSchedule(
    "book", batch_size=64, learning_rate=5e-3, epochs=40, noise_draws="per-batch-graph",
    cosine_decay=True, mixed_precision=True)
BUILDER_BOOK_SCHEDULE = TrainingSchedule(
    "book", batch_size=32, learning_rate=1e-2, epochs=12, noise_draws="per-batch-graph",
    cosine_decay=True)


@dataclass
class TrainingRun:
    """What `train_with_schedule` returns: the model and, per epoch, the clock and the scores.

    train_seconds[i]: training time up to the end of epoch i+1 (evaluation not counted).
    val_mse[i], val_psnr[i]: mean MSE and mean PSNR (dB) on the validation images then.
    """

    schedule: TrainingSchedule
    model: keras.Model
    train_seconds: list = field(default_factory=list)
    val_mse: list = field(default_factory=list)
    val_psnr: list = field(default_factory=list)
    images_seen: int = 0

    def seconds_to_reach(self, mse: float) -> float | None:
        """Training seconds until the validation MSE first fell to `mse` or below (else None)."""
        for seconds, value in zip(self.train_seconds, self.val_mse):
            if value <= mse:
                return seconds
        return None

    def psnr_at(self, seconds: float) -> float | None:
        """Validation PSNR of the last epoch that ended within `seconds` (None if none did)."""
        done = [p for t, p in zip(self.train_seconds, self.val_psnr) if t <= seconds]
        return done[-1] if done else None

    def summary(self) -> dict:
        """A JSON-ready record: the schedule and the per-epoch curves."""
        return {"schedule": asdict(self.schedule), "images_seen": self.images_seen,
                "train_seconds": self.train_seconds, "val_mse": self.val_mse,
                "val_psnr": self.val_psnr}


def train_with_schedule(build_model, loss, schedule: TrainingSchedule, x_train, noise,
                        validation=None, *, seed: int = 0, images_per_epoch: int | None = None,
                        progress=None) -> TrainingRun:
    """Build a model with `build_model()` and train it to map noisy images to clean ones.

    build_model: a function of no arguments returning an uncompiled Keras model whose inputs
    and outputs are images (N, 28, 28, 1) in [0, 1]. It is called under the schedule's precision
    policy. loss: a Keras loss. noise: a `noise.NoiseRecipe`. x_train: clean images in [0, 1].
    validation: (noisy, clean) image arrays, fixed for the whole run, scored after every
    epoch; None scores nothing (the curves stay empty, the clock still runs).
    images_per_epoch: with fresh graph noise, an "epoch" of this many images drawn from the
    endlessly reshuffled training set (so that runs on data sets of different sizes take the
    same steps and the same learning-rate curve); None means one pass over x_train.
    progress: an optional function called as progress(epoch, run) after every epoch.
    """
    from dae_utils.metrics import psnr

    clean = as_unit_images(x_train, "x_train", ranks=(4,))
    if validation is not None:
        val_noisy = as_unit_images(validation[0], "validation noisy images", ranks=(4,))
        val_clean = as_unit_images(validation[1], "validation clean images", ranks=(4,))
    if images_per_epoch is not None:
        positive_int(images_per_epoch, "images_per_epoch")
        if schedule.noise_draws != "per-batch-graph":
            raise ValueError("images_per_epoch needs noise_draws='per-batch-graph', got "
                             f"{schedule.noise_draws!r}.")
    epoch_images = images_per_epoch or len(clean)
    keras.utils.set_random_seed(seed)

    previous_policy = keras.mixed_precision.global_policy()
    if schedule.mixed_precision:
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        model = build_model()
    finally:
        keras.mixed_precision.set_global_policy(previous_policy)

    steps_per_epoch = math.ceil(epoch_images / schedule.batch_size)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate_for(schedule, steps_per_epoch)),
                  loss=loss)
    run = TrainingRun(schedule, model)
    inputs = _training_inputs(schedule, clean, noise, seed)

    class Clock(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            elapsed = time.perf_counter() - self.started  # before the untimed evaluation
            run.train_seconds.append((run.train_seconds[-1] if run.train_seconds else 0.0)
                                     + elapsed)
            run.images_seen += epoch_images
            if validation is not None:
                restored = predict_images(model, val_noisy)
                run.val_mse.append(float(np.mean((restored - val_clean) ** 2)))
                run.val_psnr.append(psnr(val_clean, restored))
            if progress is not None:
                progress(epoch + 1, run)

    # The datasets shuffle themselves (each epoch, from the seed); arrays need Keras to do it.
    fit_args = {"batch_size": schedule.batch_size, "shuffle": True} \
        if schedule.noise_draws == "once" else {"shuffle": False}
    if images_per_epoch is not None:
        inputs = (inputs[0].repeat(),)
        fit_args["steps_per_epoch"] = steps_per_epoch
    model.fit(*inputs, epochs=schedule.epochs, verbose=0, callbacks=[Clock()], **fit_args)
    return run


def predict_images(model, images, batch_size: int = 500) -> np.ndarray:
    """The model's outputs for `images` as float32 clipped to [0, 1] (bfloat16 models too)."""
    outputs = model.predict(images, batch_size=batch_size, verbose=0)
    return np.clip(np.asarray(outputs, dtype=np.float32), 0.0, 1.0)


def learning_rate_for(schedule: TrainingSchedule, steps_per_epoch: int):
    """Adam's learning rate for `schedule`: a constant, or a Keras schedule over all its steps.

    With cosine_decay: one epoch of linear warm-up from a tenth of the peak to the peak, then a
    cosine decay to zero at the last step of the last epoch.
    """
    positive_int(steps_per_epoch, "steps_per_epoch")
    if not schedule.cosine_decay:
        return schedule.learning_rate
    return warmup_cosine(schedule.learning_rate, schedule.epochs, steps_per_epoch)


def _training_inputs(schedule: TrainingSchedule, clean, noise, seed: int) -> tuple:
    """What to pass to fit(): (x, y) arrays, or a dataset / PyDataset of (noisy, clean)."""
    from dae_utils.noise import noisy_dataset

    if schedule.noise_draws == "once":
        return noise.apply(clean, seed=seed), clean
    if schedule.noise_draws == "per-batch-graph":
        return (noisy_dataset(clean, schedule.batch_size, mean=noise.mean, std=noise.std,
                              seed=seed),)
    return (_NumpyNoiseBatches(clean, schedule.batch_size, noise, seed),)


class _NumpyNoiseBatches(keras.utils.PyDataset):
    """Shuffled batches with fresh NumPy noise, made in Python: the sources' feed_dict loop."""

    def __init__(self, clean, batch_size, noise, seed):
        super().__init__()
        self.clean, self.batch_size, self.noise = clean, batch_size, noise
        self.rng = np.random.default_rng(seed)
        self.order = self.rng.permutation(len(clean))

    def __len__(self):
        return math.ceil(len(self.clean) / self.batch_size)

    def __getitem__(self, index):
        batch = self.clean[self.order[index * self.batch_size:(index + 1) * self.batch_size]]
        return self.noise.apply(batch, seed=self.rng), batch

    def on_epoch_end(self):
        self.order = self.rng.permutation(len(self.clean))
