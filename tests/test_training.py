"""Training to convergence: early stopping keeps the best weights, failed runs are retried at a
lower rate and reported, and the heads and losses that saturate are refused."""

import numpy as np
import pytest

from dae_utils.benchmark.denoisers import DENOISERS
from dae_utils.benchmark.training import (
    ConvergenceRule,
    images_of,
    train_to_convergence,
    train_with_retries,
)
from dae_utils.metrics import psnr
from dae_utils.noise import GAUSSIAN_NOISE


@pytest.fixture(scope="module")
def digits():
    from dae_utils.data import load_mnist

    (x_train, _), (x_test, _) = load_mnist(verbose=False)
    val = x_test[:32]
    return x_train[:128], (GAUSSIAN_NOISE.apply(val, seed=1), val)


def test_the_model_returned_is_the_best_one_on_validation(digits):
    x_train, validation = digits
    dense = DENOISERS["dense 128"]
    rule = ConvergenceRule(max_steps=60, eval_every=10, patience=2, batch_size=16)
    run = train_to_convergence(dense.build, dense.loss, dense.head, rule, 3e-3, x_train,
                               GAUSSIAN_NOISE, validation)
    assert run.steps == list(range(10, 10 * len(run.steps) + 1, 10)) and run.steps[-1] <= 60
    assert len(run.val_psnr) == len(run.seconds) == len(run.steps)
    assert all(b > a for a, b in zip(run.seconds, run.seconds[1:]))
    restored = psnr(validation[1], images_of(run.model, validation[0], dense.head))
    assert restored == pytest.approx(run.best_val_psnr, abs=1e-3)
    record = run.record()
    assert record["best_step"] == run.steps[int(np.argmax(run.val_psnr))]
    assert record["stopped"] in ("converged", "step cap")


def test_a_run_stops_when_validation_stops_improving(digits):
    x_train, validation = digits
    dense = DENOISERS["dense 128"]
    rule = ConvergenceRule(max_steps=400, eval_every=10, patience=1, batch_size=16,
                           min_gain_db=5.0)  # no score ever gains 5 dB: stop at once
    run = train_to_convergence(dense.build, dense.loss, dense.head, rule, 1e-3, x_train,
                               GAUSSIAN_NOISE, validation)
    assert run.stopped == "converged" and run.steps[-1] == 20


def test_failed_runs_are_retried_at_a_third_of_the_rate_and_reported(digits):
    x_train, validation = digits
    dense = DENOISERS["dense 128"]
    rule = ConvergenceRule(max_steps=10, eval_every=10, patience=1, batch_size=16)
    run, attempts = train_with_retries(dense.build, dense.loss, dense.head, rule, 9e-3,
                                       x_train, GAUSSIAN_NOISE, validation, floor_db=99.0,
                                       retries=2)
    assert run is None and [a["failed"] for a in attempts] == [True, True, True]
    assert [a["learning_rate"] for a in attempts] == pytest.approx([9e-3, 3e-3, 1e-3])


def test_the_last_fifth_gain_says_whether_a_run_was_still_learning():
    from dae_utils.benchmark.training import ConvergedRun

    rising = ConvergedRun(None, 1e-3, steps=[100, 200, 300, 400, 500],
                          val_psnr=[10, 12, 14, 16, 18.5])
    assert rising.last_fifth_gain() == pytest.approx(2.5)
    flat = ConvergedRun(None, 1e-3, steps=[100, 200, 300, 400, 500],
                        val_psnr=[10, 16, 18, 18.01, 17.9])
    assert flat.last_fifth_gain() == 0.0  # its best came before the last fifth


@pytest.mark.parametrize(("loss", "head"), [("mse", "logits"), ("binary_crossentropy",
                                                                 "linear")])
def test_saturating_or_mismatched_heads_are_refused(digits, loss, head):
    x_train, validation = digits
    rule = ConvergenceRule(max_steps=10, eval_every=10, patience=1)
    with pytest.raises(ValueError, match="do not saturate"):
        train_to_convergence(DENOISERS["dense 128"].build, loss, head, rule, 1e-3, x_train,
                             GAUSSIAN_NOISE, validation)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("warmup_fraction", 0.05, "warmup_fraction"), ("eval_every", 500, "must not exceed"),
    ("patience", 0, "patience")])
def test_bad_rules_are_refused(field, value, message):
    settings = {"max_steps": 100, "eval_every": 10, "patience": 2, field: value}
    with pytest.raises(ValueError, match=message):
        ConvergenceRule(**settings)


def test_every_benchmark_model_maps_images_to_images_of_the_same_shape():
    x = np.random.default_rng(0).random((2, 28, 28, 1), dtype=np.float32)
    for name, denoiser in DENOISERS.items():
        model = denoiser.build()
        assert model.output_shape == (None, 28, 28, 1), name
        restored = images_of(model, x, denoiser.head)
        assert restored.shape == x.shape and 0 <= restored.min() and restored.max() <= 1
        activation = model.layers[-1].get_config().get("activation")
        assert activation in (None, "linear"), f"{name} ends in {activation}"
