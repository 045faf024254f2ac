"""Model builders for the book's chapters (Keras 3 functional models with named layers)."""

from __future__ import annotations

import keras
from keras import layers

__all__ = ["build_conv_autoencoder", "DenseEncoder", "DenseDecoder", "DenseAutoencoder"]


def build_conv_autoencoder(
    filters: tuple[int, ...] = (16, 8, 8),
    image_shape: tuple[int, int, int] = (28, 28, 1),
    name: str = "conv_autoencoder",
) -> keras.Model:
    """The convolutional autoencoder of seeds 000/001: conv + max-pool down, resize + conv up.

    Encoder: per entry f of `filters`, Conv2D(f, 3x3, ReLU, same) then MaxPool(2, same), so
    28x28 becomes 14x14, 7x7 and 4x4 (the "code" layer, 4x4x8 = 128 values by default).
    Decoder: mirrors it with nearest-neighbour resizes back to each encoder size, each followed
    by Conv2D(f, 3x3, ReLU) with the filters reversed, then a 3x3 conv to `image_shape[-1]`
    channels. The model outputs *logits* of shape (N, *image_shape): train it with
    BinaryCrossentropy(from_logits=True) and apply a sigmoid to see images.
    filters=(16, 8, 8) is the vanilla model; filters=(32, 32, 16) the denoising one.
    """
    filters = tuple(filters)
    if not filters or any(not isinstance(f, int) or f < 1 for f in filters):
        raise ValueError(f"filters must be a non-empty sequence of positive ints, got {filters!r}.")
    if len(image_shape) != 3 or any(not isinstance(s, int) or s < 1 for s in image_shape):
        raise ValueError(f"image_shape must be (height, width, channels), got {image_shape!r}.")

    inputs = keras.Input(shape=image_shape, name="image")
    x = inputs
    sizes = []  # spatial size before each pooling: where the decoder must resize back to
    for i, f in enumerate(filters, start=1):
        sizes.append(tuple(x.shape[1:3]))
        x = layers.Conv2D(f, 3, padding="same", activation="relu", name=f"encoder_conv{i}")(x)
        pool_name = "code" if i == len(filters) else f"encoder_pool{i}"
        x = layers.MaxPooling2D(2, padding="same", name=pool_name)(x)

    for i, (f, size) in enumerate(zip(reversed(filters), reversed(sizes)), start=1):
        x = layers.Resizing(*size, interpolation="nearest", name=f"decoder_resize{i}")(x)
        x = layers.Conv2D(f, 3, padding="same", activation="relu", name=f"decoder_conv{i}")(x)
    logits = layers.Conv2D(image_shape[-1], 3, padding="same", name="logits")(x)
    return keras.Model(inputs, logits, name=name)


@keras.saving.register_keras_serializable(package="dae_utils")
class DenseEncoder(layers.Layer):
    """Flattened images (N, input_dim) -> codes (N, hidden_dim) through one ReLU Dense layer."""

    def __init__(self, hidden_dim: int = 128, **kwargs):
        super().__init__(**kwargs)
        self.hidden_dim = _positive_int(hidden_dim, "hidden_dim")
        self.hidden = layers.Dense(self.hidden_dim, activation="relu", name="hidden")

    def build(self, input_shape):
        self.hidden.build(input_shape)

    def call(self, inputs):
        return self.hidden(inputs)

    def get_config(self):
        return {**super().get_config(), "hidden_dim": self.hidden_dim}


@keras.saving.register_keras_serializable(package="dae_utils")
class DenseDecoder(layers.Layer):
    """Codes (N, hidden_dim) -> flattened images (N, output_dim) through one Dense layer.

    activation="sigmoid" keeps outputs in (0, 1) like the pixels; the source used "relu",
    which lets outputs exceed 1 and gets stuck at 0 (see the dense denoising chapter).
    """

    def __init__(self, output_dim: int = 784, activation: str = "sigmoid", **kwargs):
        super().__init__(**kwargs)
        self.output_dim = _positive_int(output_dim, "output_dim")
        self.activation = activation
        self.reconstruction = layers.Dense(self.output_dim, activation=activation,
                                           name="reconstruction")

    def build(self, input_shape):
        self.reconstruction.build(input_shape)

    def call(self, inputs):
        return self.reconstruction(inputs)

    def get_config(self):
        return {**super().get_config(), "output_dim": self.output_dim,
                "activation": self.activation}


@keras.saving.register_keras_serializable(package="dae_utils")
class DenseAutoencoder(keras.Model):
    """The dense autoencoder of seed 003: DenseEncoder then DenseDecoder.

    Inputs and outputs are flattened images, float32 in [0, 1], shape (N, input_dim).
    hidden_dim < input_dim is undercomplete (a bottleneck), hidden_dim > input_dim overcomplete.
    Saves to and loads from `.keras` files like any built-in model.
    """

    def __init__(self, hidden_dim: int = 128, input_dim: int = 784,
                 output_activation: str = "sigmoid", **kwargs):
        super().__init__(**kwargs)
        self.hidden_dim = _positive_int(hidden_dim, "hidden_dim")
        self.input_dim = _positive_int(input_dim, "input_dim")
        self.output_activation = output_activation
        self.encoder = DenseEncoder(hidden_dim, name="encoder")
        self.decoder = DenseDecoder(input_dim, activation=output_activation, name="decoder")

    def build(self, input_shape):
        if input_shape[-1] != self.input_dim:
            raise ValueError(f"Expected flattened inputs of {self.input_dim} values, got shape "
                             f"{tuple(input_shape)}; reshape images with x.reshape(len(x), -1).")
        self.encoder.build(input_shape)
        self.decoder.build((*input_shape[:-1], self.hidden_dim))
        super().build(input_shape)

    def call(self, inputs):
        return self.decoder(self.encoder(inputs))

    def get_config(self):
        return {**super().get_config(), "hidden_dim": self.hidden_dim,
                "input_dim": self.input_dim, "output_activation": self.output_activation}


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}.")
    return value
