import keras
import numpy as np
import pytest

from dae_utils.callbacks import EpochProgress


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


def test_snapshots_every_n_steps_and_tensorboard_images(tmp_path):
    from dae_utils.callbacks import ReconstructionSnapshots

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Conv2D(1, 3, padding="same",
                                                                          activation="tanh")])
    model.compile("adam", "mse")
    x = np.random.default_rng(0).uniform(-1, 1, (40, 4, 4, 1)).astype("float32")
    snapshots = ReconstructionSnapshots(x[:3], every=5, log_dir=tmp_path,
                                        to_display=lambda y: (y + 1) / 2,
                                        save_dir=tmp_path / "grids")
    model.fit(x, x, batch_size=4, epochs=2, verbose=0, callbacks=[snapshots])  # 20 steps
    assert [step for step, _ in snapshots.snapshots] == [0, 5, 10, 15, 20]
    first, last = snapshots.snapshots[0][1], snapshots.snapshots[-1][1]
    assert first.shape == (3, 4, 4, 1) and 0 <= first.min() and first.max() <= 1
    assert not np.array_equal(first, last), "the snapshots should follow training"
    assert list((tmp_path / "reconstructions").glob("events.out.tfevents.*"))
    saved = sorted(path.name for path in (tmp_path / "grids").glob("*.png"))
    assert saved == [f"step_{step:05d}.png" for step in (0, 5, 10, 15, 20)]


def test_snapshots_refuse_bad_arguments():
    from dae_utils.callbacks import ReconstructionSnapshots

    with pytest.raises(ValueError, match="every"):
        ReconstructionSnapshots(np.zeros((2, 4, 4, 1)), every=0)
    with pytest.raises(ValueError, match=r"\(n, H, W, C\)"):
        ReconstructionSnapshots(np.zeros((2, 16)))
