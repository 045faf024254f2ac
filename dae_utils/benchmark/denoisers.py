"""The learned denoisers of the benchmark: each chapter's architecture, with an output that
does not saturate under its loss.

Every model takes (N, 28, 28, 1) noisy images in [0, 1]. The deep model of chapter 2 keeps its
chapter's head and loss: logits and sigmoid cross-entropy. The others end in a sigmoid or a
tanh in their chapters and train there with the mean squared error; under MSE a saturated
sigmoid passes almost no gradient, and a model that drifts there early stays at a flat output
(chapter 7 shows how often). The benchmark removes that last activation: a linear output,
trained with MSE and clipped to [0, 1] when scored. `Denoiser.changes` says what differs from
the chapter, for the report.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Denoiser", "DENOISERS", "CHAPTER_OUTPUTS"]


@dataclass(frozen=True)
class Denoiser:
    chapter: str  # the chapter that teaches it ("reference": none does)
    loss: str  # "binary_crossentropy" (from logits) or "mse"
    head: str  # "logits" or "linear" (`training.images_of`)
    changes: str  # what differs from the chapter's model ("" for nothing)
    build: object  # no arguments -> an uncompiled Keras model


def _deep_conv():
    from dae_utils.models import build_conv_autoencoder

    return build_conv_autoencoder((32, 32, 16), name="deep_conv_autoencoder")


def _dense(hidden, output_activation=None):
    def build():
        import keras
        from keras import layers

        from dae_utils.models import DenseAutoencoder

        inputs = keras.Input((28, 28, 1), name="image")
        x = layers.Reshape((784,), name="flatten")(inputs)
        x = DenseAutoencoder(hidden_dim=hidden, output_activation=output_activation,
                             name=f"dense_{hidden}")(x)
        return keras.Model(inputs, layers.Reshape((28, 28, 1), name="unflatten")(x),
                           name=f"dense_{hidden}")
    return build


def _builder():
    from dae_utils.models import build_dense_latent_autoencoder

    return build_dense_latent_autoencoder(width=28, height=28, depth=1,
                                          output_activation=None)[2]


def _strided():
    import keras
    from keras import layers

    from dae_utils.models import build_strided_autoencoder

    inputs = keras.Input((28, 28, 1), name="image")
    x = layers.Rescaling(2.0, offset=-1.0, name="to_tanh_range")(inputs)
    x = build_strided_autoencoder(output_activation=None)(x)
    return keras.Model(inputs, layers.Rescaling(0.5, offset=0.5, name="to_unit_range")(x),
                       name="strided")


def _unet():
    from dae_utils.models import build_unet_denoiser

    return build_unet_denoiser((8, 16, 32), output_activation=None)


_LINEAR = "linear output clipped to [0, 1] instead of the chapter's {}"
DENOISERS = {
    "deep conv AE": Denoiser("2", "binary_crossentropy", "logits", "", _deep_conv),
    "dense 128": Denoiser("3", "mse", "linear", _LINEAR.format("sigmoid"), _dense(128)),
    "dense 1024": Denoiser("3", "mse", "linear", _LINEAR.format("sigmoid"), _dense(1024)),
    "builder": Denoiser("4", "mse", "linear", _LINEAR.format("sigmoid"), _builder),
    "strided": Denoiser("5", "mse", "linear", _LINEAR.format("tanh"), _strided),
    "U-Net": Denoiser("reference", "mse", "linear",
                      "linear output clipped to [0, 1] instead of the sigmoid it had in the "
                      "book's 0.2.0 benchmark", _unet),
}


def _deep_conv_sigmoid():
    import keras
    from keras import layers

    logits = _deep_conv()
    images = layers.Activation("sigmoid", dtype="float32", name="sigmoid")(logits.output)
    return keras.Model(logits.input, images, name="deep_conv")


def _builder_sigmoid():
    from dae_utils.models import build_dense_latent_autoencoder

    return build_dense_latent_autoencoder(width=28, height=28, depth=1)[2]


def _unet_sigmoid():
    from dae_utils.models import build_unet_denoiser

    return build_unet_denoiser((8, 16, 32))


# The same models with the sigmoid output their chapter (or the first edition of the
# benchmark) trained them with: the ablation of the output head (`suite_ablation`) and the
# sources' schedules (`suite_schedules`).
CHAPTER_OUTPUTS = {
    "deep conv AE": Denoiser("2", "binary_crossentropy", "linear", "", _deep_conv_sigmoid),
    "dense 128": Denoiser("3", "mse", "linear", "", _dense(128, "sigmoid")),
    "dense 1024": Denoiser("3", "mse", "linear", "", _dense(1024, "sigmoid")),
    "builder": Denoiser("4", "mse", "linear", "", _builder_sigmoid),
    "U-Net": Denoiser("reference", "mse", "linear", "", _unet_sigmoid),
}
