"""The models that several places share: the chapters teach them, the benchmark and the
command line reuse them (Keras 3 models with named layers). `build_unet_denoiser` is the
benchmark's modern reference, a denoiser with no bottleneck that no chapter teaches.

Each chapter writes the model it teaches in a cell of its own; tests/test_chapter_models.py
checks that those cells and these builders make the same architectures.
"""

from __future__ import annotations

import keras
from keras import layers

from dae_utils._checks import positive_int, positive_ints

__all__ = [
    "build_conv_autoencoder",
    "DenseEncoder",
    "DenseDecoder",
    "DenseAutoencoder",
    "build_dense_latent_autoencoder",
    "build_strided_autoencoder",
    "build_unet_denoiser",
]


def build_conv_autoencoder(
    filters: tuple[int, ...] = (16, 8, 8),
    image_shape: tuple[int, int, int] = (28, 28, 1),
    name: str = "conv_autoencoder",
) -> keras.Model:
    """The convolutional autoencoder of the TensorFlow 1 tutorials (qq_34464926, 2018;
    midnight2104, 2018): conv + max-pool down, nearest-neighbour resize + conv up.

    Encoder: per entry f of `filters`, Conv2D(f, 3x3, ReLU, same) then MaxPool(2, same), so
    28x28 becomes 14x14, 7x7 and 4x4 (the "code" layer, 4x4x8 = 128 values by default).
    Decoder: mirrors it with nearest-neighbour resizes back to each encoder size, each followed
    by Conv2D(f, 3x3, ReLU) with the filters reversed, then a 3x3 conv to `image_shape[-1]`
    channels. The model outputs *logits* of shape (N, *image_shape): train it with
    BinaryCrossentropy(from_logits=True) and apply a sigmoid to see images.
    filters=(16, 8, 8) is the vanilla model; filters=(32, 32, 16) the denoising one.
    """
    filters = positive_ints(filters, "filters")
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
        self.hidden_dim = positive_int(hidden_dim, "hidden_dim")
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
        self.output_dim = positive_int(output_dim, "output_dim")
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
    """The dense autoencoder of "Denoising autoencoders in TensorFlow" (2025): DenseEncoder then
    DenseDecoder.

    Inputs and outputs are flattened images, float32 in [0, 1], shape (N, input_dim).
    hidden_dim < input_dim is undercomplete (a bottleneck), hidden_dim > input_dim overcomplete.
    Saves to and loads from `.keras` files like any built-in model.
    """

    def __init__(self, hidden_dim: int = 128, input_dim: int = 784,
                 output_activation: str = "sigmoid", **kwargs):
        super().__init__(**kwargs)
        self.hidden_dim = positive_int(hidden_dim, "hidden_dim")
        self.input_dim = positive_int(input_dim, "input_dim")
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


def build_dense_latent_autoencoder(width: int, height: int, depth: int, filters=(32, 64),
                                   latent_dim: int = 16,
                                   output_activation: str | None = "sigmoid"):
    """Rosebrock's reusable builder (PyImageSearch, 2020): strided convolutions down, a
    dense code, and back. Return (encoder, decoder, autoencoder) for images of shape
    (height, width, depth). (The source wraps it as `ConvAutoencoder.build`, a class
    holding one static method; a function does the same.)

    Encoder: per entry f of `filters`, Conv2D(f, 3x3, stride 2, same) -> LeakyReLU(0.2) ->
    BatchNorm, each halving the size (rounding up); then Flatten and Dense(latent_dim).
    Decoder: Dense back to the last volume, Reshape, per reversed f Conv2DTranspose(f, 3x3,
    stride 2, same) -> LeakyReLU(0.2) -> BatchNorm, each doubling the size; a final
    Conv2DTranspose to `depth` channels; a sigmoid (`output_activation`; None leaves a linear
    output, which the benchmark trains with MSE and clips). When a side is not divisible by
    2 ** len(filters) the doubling overshoots (28 -> 4 -> 32 with three stages), so the
    decoder crops the centre back to (height, width): the output always has the input's
    shape. Inputs and outputs: float32 in [0, 1], shape (N, height, width, depth).
    """
    for name, value in (("width", width), ("height", height), ("depth", depth),
                        ("latent_dim", latent_dim)):
        positive_int(value, name)
    filters = positive_ints(filters, "filters")

    inputs = keras.Input(shape=(height, width, depth), name="image")
    x = inputs
    for i, f in enumerate(filters, start=1):
        x = layers.Conv2D(f, 3, strides=2, padding="same", name=f"conv{i}")(x)
        x = layers.LeakyReLU(negative_slope=0.2, name=f"leaky_relu{i}")(x)
        x = layers.BatchNormalization(name=f"batch_norm{i}")(x)
    volume = tuple(x.shape[1:])  # e.g. (7, 7, 64) for 28x28 and two stages
    x = layers.Flatten(name="flatten")(x)
    latent = layers.Dense(latent_dim, name="latent")(x)
    encoder = keras.Model(inputs, latent, name="encoder")

    latent_inputs = keras.Input(shape=(latent_dim,), name="code")
    x = layers.Dense(volume[0] * volume[1] * volume[2], name="expand")(latent_inputs)
    x = layers.Reshape(volume, name="reshape")(x)
    for i, f in enumerate(reversed(filters), start=1):
        x = layers.Conv2DTranspose(f, 3, strides=2, padding="same", name=f"deconv{i}")(x)
        x = layers.LeakyReLU(negative_slope=0.2, name=f"up_leaky_relu{i}")(x)
        x = layers.BatchNormalization(name=f"up_batch_norm{i}")(x)
    x = layers.Conv2DTranspose(depth, 3, padding="same", name="to_channels")(x)
    extra_rows, extra_cols = x.shape[1] - height, x.shape[2] - width
    if extra_rows or extra_cols:
        x = layers.Cropping2D(((extra_rows // 2, extra_rows - extra_rows // 2),
                               (extra_cols // 2, extra_cols - extra_cols // 2)),
                              name="crop_to_input")(x)
    head = output_activation or "linear"
    outputs = layers.Activation(head, name=head)(x)
    decoder = keras.Model(latent_inputs, outputs, name="decoder")

    autoencoder = keras.Model(inputs, decoder(encoder(inputs)), name="autoencoder")
    return encoder, decoder, autoencoder


def build_strided_autoencoder(filters=(16, 32, 64, 128), name: str = "strided_autoencoder",
                              output_activation: str | None = "tanh"):
    """The deep strided autoencoder of "Reconstructing images with autoencoders" (javaforall,
    2022), made to work, for 28x28x1 images in [-1, 1].

    Encoder: per entry f of `filters`, Conv2D(f, 3x3, stride 2, same) + LeakyReLU(0.2):
    28 -> 14 -> 7 -> 4 -> 2 with the default four stages. Decoder: stride-2 transposed
    convolutions back through the same sizes in reverse, each + LeakyReLU(0.2), except the
    last, which goes to one channel with a tanh, so outputs lie in (-1, 1) (`output_activation`;
    None leaves a linear output). Where a size was
    rounded up on the way down (7 -> 4), the transposed convolution doubles to 8 and the first
    row and column are cropped to land on 7: exactly what `output_padding=0` computes, which
    Keras accepts only from 3.11 on.
    """
    filters = positive_ints(filters, "filters")
    inputs = keras.Input(shape=(28, 28, 1), name="image")
    x = inputs
    sizes = []
    for i, f in enumerate(filters, start=1):
        sizes.append(x.shape[1])
        x = layers.Conv2D(f, 3, strides=2, padding="same", name=f"conv{i}")(x)
        x = layers.LeakyReLU(negative_slope=0.2, name=f"leaky_relu{i}")(x)

    channels = list(reversed(filters[:-1])) + [1]
    for i, (f, size) in enumerate(zip(channels, reversed(sizes)), start=1):
        x = layers.Conv2DTranspose(f, 3, strides=2, padding="same", name=f"deconv{i}")(x)
        if x.shape[1] == size + 1:  # doubled to 8 where 7 is wanted
            x = layers.Cropping2D(((1, 0), (1, 0)), name=f"crop{i}")(x)
        if i < len(channels):
            x = layers.LeakyReLU(negative_slope=0.2, name=f"up_leaky_relu{i}")(x)
    head = output_activation or "linear"
    outputs = layers.Activation(head, name=head)(x)
    return keras.Model(inputs, outputs, name=name)


def build_unet_denoiser(filters=(16, 32, 64), name: str = "unet_denoiser",
                        output_activation: str | None = "sigmoid") -> keras.Model:
    """A small U-Net (Ronneberger et al., 2015) for 28x28x1 images in [0, 1]: the benchmark's
    reference for a current denoiser, with skip connections and so no bottleneck.

    Down: per entry f of `filters` but the last, two Conv2D(f, 3x3, ReLU) then MaxPool(2):
    28 -> 14 -> 7. Bottom: two Conv2D(filters[-1]). Up: per level, Conv2DTranspose(f, 2x2,
    stride 2), concatenated with the encoder's features of that size (the skip), then two
    Conv2D(f, 3x3, ReLU). A 1x1 convolution and a sigmoid give images in [0, 1] of the
    input's shape (N, 28, 28, 1) (`output_activation`; None leaves a linear output). The
    side must be divisible by 2 ** (len(filters) - 1).
    """
    filters = positive_ints(filters, "filters")
    if 28 % 2 ** (len(filters) - 1):
        raise ValueError(f"28x28 images allow at most 3 levels of filters, got {filters!r}.")

    def double_conv(x, f, label):
        for j in (1, 2):
            x = layers.Conv2D(f, 3, padding="same", activation="relu", name=f"{label}_conv{j}")(x)
        return x

    inputs = keras.Input(shape=(28, 28, 1), name="image")
    x, skips = inputs, []
    for i, f in enumerate(filters[:-1], start=1):
        x = double_conv(x, f, f"down{i}")
        skips.append(x)
        x = layers.MaxPooling2D(2, name=f"pool{i}")(x)
    x = double_conv(x, filters[-1], "bottom")
    for i, (f, skip) in enumerate(zip(reversed(filters[:-1]), reversed(skips)), start=1):
        x = layers.Conv2DTranspose(f, 2, strides=2, name=f"up{i}")(x)
        x = layers.Concatenate(name=f"skip{i}")([x, skip])
        x = double_conv(x, f, f"up{i}")
    outputs = layers.Conv2D(1, 1, activation=output_activation, dtype="float32",
                            name="image_out")(x)
    return keras.Model(inputs, outputs, name=name)
