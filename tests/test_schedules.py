import keras
import numpy as np
import pytest

from dae_utils.benchmark.schedules import (
    BUILDER_BOOK_SCHEDULE,
    BUILDER_SOURCE_SCHEDULE,
    DEEP_DENOISER_BOOK_SCHEDULE,
    TrainingRun,
    TrainingSchedule,
    _training_inputs,
    learning_rate_for,
    train_with_schedule,
)
from dae_utils.noise import GAUSSIAN_NOISE, SHIFTED_NOISE


def _digits(n=64, seed=0):
    rng = np.random.default_rng(seed)
    images = np.zeros((n, 28, 28, 1), np.float32)
    for image, row in zip(images, rng.integers(4, 20, n)):
        image[row:row + 6, 8:20] = 1.0
    return images


def _tiny_model():
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    outputs = keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid",
                                  dtype="float32")(x)
    return keras.Model(inputs, outputs)


@pytest.mark.parametrize("draws", ["once", "per-batch-numpy", "per-batch-graph"])
def test_every_way_of_drawing_noise_trains_and_records_a_clock(draws):
    x = _digits()
    validation = (GAUSSIAN_NOISE.apply(x[:16], seed=1), x[:16])
    schedule = TrainingSchedule("test", batch_size=16, learning_rate=1e-2, epochs=3,
                                noise_draws=draws)
    run = train_with_schedule(_tiny_model, "mse", schedule, x, GAUSSIAN_NOISE, validation)
    assert len(run.train_seconds) == len(run.val_mse) == len(run.val_psnr) == 3
    assert all(b > a > 0 for a, b in zip(run.train_seconds, run.train_seconds[1:]))
    assert run.images_seen == 3 * len(x)
    assert run.val_mse[-1] < run.val_mse[0], "three epochs of training must lower the MSE"


def test_once_means_one_noisy_copy_and_per_batch_means_new_noise_each_epoch():
    x = _digits(32)
    noisy, clean = _training_inputs(BUILDER_SOURCE_SCHEDULE, x, SHIFTED_NOISE, seed=0)
    assert noisy.shape == x.shape and np.array_equal(clean, x)
    batches = _training_inputs(TrainingSchedule("t", 32, 1e-3, 1, "per-batch-numpy"), x,
                               SHIFTED_NOISE, seed=0)[0]
    first = batches[0]
    batches.on_epoch_end()
    second = batches[0]
    # Fresh noise: the same digit shows up with different noise in the next epoch.
    order = np.argsort(np.abs(first[1] - second[1][0]).sum(axis=(1, 2, 3)))
    assert not np.allclose(first[0][order[0]], second[0][0])


def test_mixed_precision_schedules_compute_in_bfloat16_and_leave_the_policy_alone():
    x = _digits(32)
    schedule = TrainingSchedule("bf16", 16, 1e-3, 1, mixed_precision=True)
    run = train_with_schedule(_tiny_model, "mse", schedule, x, GAUSSIAN_NOISE, (x[:8], x[:8]))
    assert run.model.layers[1].compute_dtype == "bfloat16"
    assert keras.mixed_precision.global_policy().name == "float32"


def test_the_book_schedule_warms_up_then_decays_to_zero():
    x = _digits(64)
    run = train_with_schedule(_tiny_model, "mse", DEEP_DENOISER_BOOK_SCHEDULE.with_epochs(2), x,
                            GAUSSIAN_NOISE, (x[:8], x[:8]))
    rate = run.model.optimizer.learning_rate  # the value after the last step
    assert float(rate) < DEEP_DENOISER_BOOK_SCHEDULE.learning_rate / 10


def test_learning_rate_for_is_constant_for_the_sources_and_a_full_cycle_for_the_book():
    source = BUILDER_SOURCE_SCHEDULE
    assert learning_rate_for(source, steps_per_epoch=10) == source.learning_rate
    schedule = BUILDER_BOOK_SCHEDULE.with_epochs(4)
    rate = learning_rate_for(schedule, steps_per_epoch=10)
    rates = [float(rate(step)) for step in range(41)]
    peak = schedule.learning_rate
    assert rates[0] == pytest.approx(peak / 10)
    assert max(rates) == pytest.approx(peak) and rates.index(max(rates)) == 10  # one epoch up
    assert all(a >= b for a, b in zip(rates[10:], rates[11:]))  # then only down
    assert rates[40] == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("steps", [0, 2.5, True])
def test_learning_rate_for_refuses_bad_step_counts(steps):
    with pytest.raises(ValueError, match="steps_per_epoch must be a positive int"):
        learning_rate_for(BUILDER_BOOK_SCHEDULE, steps_per_epoch=steps)


def test_time_to_reach_and_psnr_at_a_time():
    run = TrainingRun(DEEP_DENOISER_BOOK_SCHEDULE, model=None, train_seconds=[1.0, 2.0, 3.0],
                      val_mse=[0.05, 0.03, 0.02], val_psnr=[13.0, 15.2, 17.0])
    assert run.seconds_to_reach(0.03) == 2.0
    assert run.seconds_to_reach(0.01) is None
    assert run.psnr_at(2.5) == 15.2 and run.psnr_at(0.5) is None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("batch_size", 0, "batch_size must be a positive int"),
    ("epochs", True, "epochs must be a positive int"),
    ("learning_rate", -1.0, "learning_rate must be > 0"),
    ("noise_draws", "sometimes", "noise_draws must be one of"),
])
def test_bad_schedules_are_refused(field, value, message):
    arguments = {"name": "x", "batch_size": 8, "learning_rate": 1e-3, "epochs": 1,
                 field: value}
    with pytest.raises(ValueError, match=message):
        TrainingSchedule(**arguments)


def test_uint8_training_images_get_a_clear_error():
    with pytest.raises(TypeError, match="x_train"):
        train_with_schedule(_tiny_model, "mse", DEEP_DENOISER_BOOK_SCHEDULE,
                          np.zeros((4, 28, 28, 1), np.uint8), GAUSSIAN_NOISE,
                          (np.zeros((2, 28, 28, 1)), np.zeros((2, 28, 28, 1))))


def test_epochs_of_a_fixed_number_of_images_take_the_same_steps_on_any_data_set():
    small, large = _digits(32), _digits(96, seed=1)
    schedule = TrainingSchedule("t", batch_size=16, learning_rate=1e-2, epochs=2)
    for x in (small, large):
        run = train_with_schedule(_tiny_model, "mse", schedule, x, GAUSSIAN_NOISE,
                                  images_per_epoch=32)
        assert run.images_seen == 64
        assert run.model.optimizer.iterations.numpy() == 4  # 2 epochs x 32 / 16
        assert run.val_mse == [] and len(run.train_seconds) == 2


def test_images_per_epoch_needs_fresh_graph_noise():
    with pytest.raises(ValueError, match="per-batch-graph"):
        train_with_schedule(_tiny_model, "mse", BUILDER_SOURCE_SCHEDULE, _digits(16),
                            SHIFTED_NOISE, images_per_epoch=8)
