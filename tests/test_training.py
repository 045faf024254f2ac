import keras
import numpy as np
import pytest

from dae_utils.training import EpochProgress


def _fit(epochs, progress):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)])
    model.compile("adam", "mse")
    x = np.random.default_rng(0).uniform(size=(8, 4)).astype("float32")
    model.fit(x, x, epochs=epochs, verbose=0, validation_data=(x, x), callbacks=[progress])


def test_long_runs_print_a_bounded_number_of_lines(capsys):
    _fit(epochs=40, progress=EpochProgress(max_lines=5))
    lines = capsys.readouterr().out.strip().splitlines()
    assert 3 <= len(lines) <= 5
    assert lines[0].startswith("epoch  1/40") and lines[-1].startswith("epoch 40/40")
    assert "loss" in lines[-1] and "val_loss" in lines[-1]


def test_every_epoch_when_asked(capsys):
    _fit(epochs=3, progress=EpochProgress(every=1))
    assert len(capsys.readouterr().out.strip().splitlines()) == 3


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="every"):
        EpochProgress(every=0)
    with pytest.raises(ValueError, match="max_lines"):
        EpochProgress(max_lines=1)
