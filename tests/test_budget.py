import numpy as np
import pytest

from dae_utils.budget import BUDGET_ENV_VAR, get_budget


def test_the_environment_variable_picks_the_budget(monkeypatch):
    monkeypatch.setenv(BUDGET_ENV_VAR, "full")
    assert get_budget().name == "full"
    monkeypatch.setenv(BUDGET_ENV_VAR, " Fast ")
    assert get_budget().name == "fast"
    monkeypatch.delenv(BUDGET_ENV_VAR)
    assert get_budget().name == "default"


def test_an_unknown_budget_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="fast, default, full"):
        get_budget("quick")


def test_fast_trains_briefly_on_a_subset():
    fast = get_budget("fast")
    assert fast.epochs(full=20, n_train=60000) == 2
    assert fast.epochs(full=1, n_train=60000) == 1
    x, y = fast.train_subset(np.zeros((5000, 28, 28, 1)), np.zeros(5000))
    assert len(x) == len(y) == fast.max_train_images < 5000
    assert len(fast.test_subset(np.zeros(1000))) == fast.max_test_images


def test_default_shows_about_the_same_number_of_images_whatever_the_data():
    default = get_budget("default")
    assert default.epochs(full=20, n_train=60000) == 5  # 300,000 images of full MNIST
    assert default.epochs(full=20, n_train=4000) == 75  # the same on the offline sample
    assert default.epochs(full=20, n_train=1_000_000) == 1
    assert len(default.train_subset(np.zeros(60000))) == 60000


def test_full_uses_the_sources_epochs_and_all_data():
    full = get_budget("full")
    assert full.epochs(full=100, n_train=60000) == 100
    assert len(full.test_subset(np.zeros(10000))) == 10000


def test_bad_arguments_are_refused():
    budget = get_budget("default")
    with pytest.raises(ValueError, match="same length"):
        budget.train_subset(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="full and n_train must be >= 1"):
        budget.epochs(full=0, n_train=10)


def test_the_description_names_the_budget_and_the_switch():
    text = str(get_budget("fast"))
    assert "'fast'" in text and BUDGET_ENV_VAR in text


def test_the_device_is_named(monkeypatch):
    import tensorflow as tf

    from dae_utils.budget import describe_device

    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [])
    assert describe_device() == "on CPU (no GPU found)"
    assert str(get_budget("fast")).endswith("on CPU (no GPU found)")
    fake_gpu = tf.config.PhysicalDevice(name="/physical_device:GPU:0", device_type="GPU")
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [fake_gpu])
    monkeypatch.setattr(tf.config.experimental, "get_device_details",
                        lambda device: {"device_name": "NVIDIA H100 80GB HBM3"})
    assert describe_device() == "on GPU: NVIDIA H100 80GB HBM3"


def test_only_full_runs_back_up():
    assert get_budget("fast").resume_callbacks("chapter") == []
    assert get_budget("default").resume_callbacks("chapter") == []
    with pytest.raises(ValueError, match="plain folder name"):
        get_budget("full").resume_callbacks("../elsewhere")


def test_an_interrupted_full_run_resumes_without_repeating_epochs(monkeypatch, tmp_path):
    import keras

    monkeypatch.setenv("DAE_BACKUP_DIR", str(tmp_path))
    x = np.random.default_rng(0).uniform(size=(16, 4)).astype("float32")

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 2:
                raise KeyboardInterrupt("the Colab runtime disconnected")

    def fit(seen, extra_callbacks):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)])
        model.compile("adam", "mse")
        record = keras.callbacks.LambdaCallback(on_epoch_begin=lambda e, logs: seen.append(e))
        callbacks = [record, *get_budget("full").resume_callbacks("tiny"), *extra_callbacks]
        model.fit(x, x, epochs=5, verbose=0, callbacks=callbacks)

    first_run, second_run = [], []
    with pytest.raises(KeyboardInterrupt):
        fit(first_run, [Interrupt()])
    assert first_run == [0, 1, 2]
    assert (tmp_path / "tiny").exists(), "the backup of the finished epochs should be on disk"
    fit(second_run, [])
    assert second_run == [3, 4], "the second run must start after the last finished epoch"
    assert not (tmp_path / "tiny").exists(), "a completed run removes its backup"
