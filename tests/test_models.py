import keras
import numpy as np
import pytest

from dae_utils.models import (
    DenseAutoencoder,
    build_conv_autoencoder,
    build_dense_latent_autoencoder,
    build_strided_autoencoder,
    build_unet_denoiser,
)


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
     ({"filters": (True, 8)}, "filters"), ({"image_shape": (28, 28)}, "image_shape")],
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


def test_conv_builder_matches_the_source_for_mnist():
    encoder, decoder, autoencoder = build_dense_latent_autoencoder(28, 28, 1)
    assert encoder.output_shape == (None, 16)
    assert decoder.input_shape == (None, 16) and decoder.output_shape == (None, 28, 28, 1)
    assert autoencoder.output_shape == (None, 28, 28, 1)
    assert encoder.get_layer("batch_norm2").output.shape[1:] == (7, 7, 64)
    kinds = [type(layer).__name__ for layer in encoder.layers[1:4]]
    assert kinds == ["Conv2D", "LeakyReLU", "BatchNormalization"]
    assert "crop_to_input" not in [layer.name for layer in decoder.layers]  # 28 = 7 * 2 * 2


@pytest.mark.parametrize(
    ("height", "width", "depth", "filters"),
    [(28, 28, 1, (32, 64, 128)), (28, 28, 1, (16,) * 5), (30, 17, 3, (8, 16)), (1, 1, 1, (4,))],
)
def test_conv_builder_returns_the_input_shape_for_any_size(height, width, depth, filters):
    _, decoder, autoencoder = build_dense_latent_autoencoder(width, height, depth, filters=filters,
                                                    latent_dim=4)
    images = np.random.default_rng(0).uniform(size=(2, height, width, depth)).astype("float32")
    outputs = autoencoder.predict(images, verbose=0)
    assert outputs.shape == images.shape
    assert 0 <= outputs.min() and outputs.max() <= 1


def test_conv_builder_model_learns_and_round_trips_through_a_keras_file(tmp_path):
    keras.utils.set_random_seed(0)
    images = np.random.default_rng(0).uniform(size=(32, 28, 28, 1)).astype("float32")
    _, _, autoencoder = build_dense_latent_autoencoder(28, 28, 1, filters=(8, 16), latent_dim=8)
    autoencoder.compile(keras.optimizers.Adam(1e-3), "mse")
    losses = autoencoder.fit(images, images, epochs=8, batch_size=32, verbose=0).history["loss"]
    assert losses[-1] < losses[0]
    path = tmp_path / "builder.keras"
    autoencoder.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(loaded.predict(images, verbose=0),
                                  autoencoder.predict(images, verbose=0))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"filters": ()}, "filters"), ({"filters": (32, -1)}, "filters"),
     ({"latent_dim": 0}, "latent_dim"), ({"width": 0}, "width")],
)
def test_conv_builder_refuses_bad_arguments(kwargs, message):
    arguments = {"width": 28, "height": 28, "depth": 1, **kwargs}
    with pytest.raises(ValueError, match=message):
        build_dense_latent_autoencoder(**arguments)


def test_strided_model_goes_down_to_2x2_and_back_to_28x28():
    model = build_strided_autoencoder()
    sizes = [model.get_layer(f"conv{i}").output.shape[1] for i in (1, 2, 3, 4)]
    assert sizes == [14, 7, 4, 2]
    names = [layer.name for layer in model.layers]
    ups = [model.get_layer(f"crop{i}" if f"crop{i}" in names else f"deconv{i}").output.shape[1:]
           for i in (1, 2, 3, 4)]
    assert ups == [(4, 4, 64), (7, 7, 32), (14, 14, 16), (28, 28, 1)]
    outputs = model.predict(np.random.default_rng(0).uniform(-1, 1, (3, 28, 28, 1)), verbose=0)
    assert outputs.shape == (3, 28, 28, 1) and -1 <= outputs.min() and outputs.max() <= 1


@pytest.mark.skipif(tuple(int(p) for p in keras.__version__.split(".")[:2]) < (3, 11),
                    reason="output_padding=0 is accepted from Keras 3.11 on")
def test_crop_after_doubling_computes_what_output_padding_zero_does():
    """The strided decoder's 8 -> 7 crop is the same function as output_padding=0."""
    x = np.random.default_rng(0).uniform(-1, 1, (2, 4, 4, 3)).astype("float32")
    padded = keras.layers.Conv2DTranspose(5, 3, strides=2, padding="same", output_padding=0)
    expected = keras.ops.convert_to_numpy(padded(x))
    doubled = keras.layers.Conv2DTranspose(5, 3, strides=2, padding="same")
    doubled.build(x.shape)
    doubled.set_weights(padded.get_weights())
    cropped = keras.layers.Cropping2D(((1, 0), (1, 0)))(doubled(x))
    assert expected.shape == (2, 7, 7, 5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(cropped), expected, atol=1e-5)


def test_strided_model_learns_on_a_tiny_batch():
    keras.utils.set_random_seed(0)
    images = np.random.default_rng(0).uniform(-1, 1, (16, 28, 28, 1)).astype("float32")
    model = build_strided_autoencoder()
    model.compile(keras.optimizers.Adam(1e-3, beta_1=0.9), "mse")
    losses = model.fit(images, images, epochs=10, batch_size=16, verbose=0).history["loss"]
    assert losses[-1] < losses[0]


def test_unet_skips_join_features_of_the_same_size_and_keep_the_image_shape():
    model = build_unet_denoiser((8, 16, 32))
    assert model.get_layer("pool2").output.shape[1:] == (7, 7, 16)
    assert model.get_layer("skip1").output.shape[1:] == (14, 14, 32)  # 16 up + 16 skipped
    assert model.get_layer("skip2").output.shape[1:] == (28, 28, 16)
    outputs = model.predict(np.random.default_rng(0).uniform(0, 1, (2, 28, 28, 1)), verbose=0)
    assert outputs.shape == (2, 28, 28, 1) and 0 <= outputs.min() and outputs.max() <= 1


def test_unet_refuses_more_levels_than_28_pixels_allow():
    with pytest.raises(ValueError, match="at most 3 levels"):
        build_unet_denoiser((8, 16, 32, 64))
