"""Model builders for the book's chapters (Keras 3 functional models with named layers)."""

from __future__ import annotations

import keras
from keras import layers

__all__ = ["build_conv_autoencoder"]


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
