import keras
import numpy as np
import pytest

from dae_utils.models import DenseAutoencoder, build_conv_autoencoder


def _conv_params(c_in, c_out):
    return (3 * 3 * c_in + 1) * c_out


def test_vanilla_model_matches_the_source_architecture():
    model = build_conv_autoencoder()
    assert model.output_shape == (None, 28, 28, 1)
    assert model.get_layer("code").output.shape[1:] == (4, 4, 8)  # 128 values of 784
    sizes = [model.get_layer(f"decoder_resize{i}").output.shape[1:3] for i in (1, 2, 3)]
    assert sizes == [(7, 7), (14, 14), (28, 28)]
    # 16-8-8 down, 8-8-16 up, then one 3x3 conv to a single channel of logits
    channels = [1, 16, 8, 8, 8, 8, 16, 1]
    expected = sum(_conv_params(a, b) for a, b in zip(channels, channels[1:]))
    assert model.count_params() == expected


def test_denoising_depths_come_from_the_filters_argument():
    model = build_conv_autoencoder(filters=(32, 32, 16))
    assert model.get_layer("code").output.shape[1:] == (4, 4, 16)
    assert model.get_layer("decoder_conv3").output.shape[-1] == 32


@pytest.mark.parametrize("shape", [(32, 32, 3), (20, 30, 1)])
def test_output_shape_equals_input_shape(shape):
    model = build_conv_autoencoder(image_shape=shape)
    assert model.output_shape == (None, *shape)


def test_loss_falls_on_a_tiny_batch():
    keras.utils.set_random_seed(0)
    images = np.random.default_rng(0).uniform(size=(16, 28, 28, 1)).astype("float32")
    model = build_conv_autoencoder()
    model.compile(keras.optimizers.Adam(1e-2), keras.losses.BinaryCrossentropy(from_logits=True))
    losses = model.fit(images, images, epochs=15, batch_size=16, verbose=0).history["loss"]
    assert losses[-1] < losses[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"filters": ()}, "filters"), ({"filters": (16, 0)}, "filters"),
     ({"image_shape": (28, 28)}, "image_shape")],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        build_conv_autoencoder(**kwargs)


def _flat_digits(n=32):
    return np.random.default_rng(1).uniform(size=(n, 784)).astype("float32")


@pytest.mark.parametrize("hidden_dim", [128, 1024])
def test_dense_autoencoder_shapes_and_range(hidden_dim):
    model = DenseAutoencoder(hidden_dim=hidden_dim)
    outputs = model(_flat_digits(4)).numpy()
    assert outputs.shape == (4, 784) and 0 <= outputs.min() and outputs.max() <= 1
    assert model.encoder(_flat_digits(4)).shape == (4, hidden_dim)
    assert model.count_params() == (784 + 1) * hidden_dim + (hidden_dim + 1) * 784


def test_dense_autoencoder_loss_falls_on_a_tiny_batch():
    keras.utils.set_random_seed(0)
    x = _flat_digits()
    model = DenseAutoencoder(hidden_dim=64)
    model.compile(keras.optimizers.Adam(1e-3), "mse")
    losses = model.fit(x, x, epochs=10, batch_size=32, verbose=0).history["loss"]
    assert losses[-1] < losses[0]


def test_dense_autoencoder_saves_and_loads_with_identical_predictions(tmp_path):
    keras.utils.set_random_seed(0)
    x = _flat_digits()
    model = DenseAutoencoder(hidden_dim=32, output_activation="relu")
    model.compile(keras.optimizers.Adam(1e-3), "mse")
    model.fit(x, x, epochs=2, verbose=0)
    path = tmp_path / "dense.keras"
    model.save(path)
    loaded = keras.models.load_model(path)  # no custom_objects: the classes are registered
    assert isinstance(loaded, DenseAutoencoder)
    assert loaded.hidden_dim == 32 and loaded.output_activation == "relu"
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize(
    ("make", "message"),
    [(lambda: DenseAutoencoder(hidden_dim=0), "hidden_dim"),
     (lambda: DenseAutoencoder(hidden_dim=12.5), "hidden_dim"),
     (lambda: DenseAutoencoder()(np.zeros((2, 28, 28, 1), "float32")), "reshape images")],
)
def test_dense_autoencoder_refuses_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()
