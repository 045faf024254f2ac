"""The model a chapter teaches is written in the chapter; where the package keeps a copy (for
the benchmark or the command line), both must be the same architecture.

Each chapter marks the cells that define its model with the tag `chapter-model`. Those cells
are self-contained (they import what they use), so this test runs them alone.
"""

import json
from pathlib import Path

import keras
import numpy as np
import pytest

from dae_utils import models

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

# chapter: [(expression in the chapter's namespace, the package's copy, input shape)]
PAIRS = {
    "01_conv_autoencoder": [
        ("build_conv_autoencoder()", lambda: models.build_conv_autoencoder(), None)],
    "02_denoising_conv_autoencoder": [
        ("build_denoising_autoencoder()",
         lambda: models.build_conv_autoencoder(filters=(32, 32, 16)), None)],
    "03_dense_denoising_autoencoders": [
        ("DenseAutoencoder(hidden_dim=128)", lambda: models.DenseAutoencoder(128), (784,)),
        ("DenseAutoencoder(hidden_dim=1024, output_activation='relu')",
         lambda: models.DenseAutoencoder(1024, output_activation="relu"), (784,))],
    "04_conv_autoencoder_builder": [
        ("build_dense_latent_autoencoder(28, 28, 1)[2]",
         lambda: models.build_dense_latent_autoencoder(28, 28, 1)[2], None),
        ("build_dense_latent_autoencoder(28, 28, 1, filters=(32, 64, 128), latent_dim=2)[2]",
         lambda: models.build_dense_latent_autoencoder(28, 28, 1, filters=(32, 64, 128),
                                                       latent_dim=2)[2], None)],
    "05_strided_autoencoder_pixel_loss": [
        ("build_strided_autoencoder()", lambda: models.build_strided_autoencoder(), None),
        ("build_strided_autoencoder(filters=(16, 32, 64))",
         lambda: models.build_strided_autoencoder(filters=(16, 32, 64)), None)],
}


def chapter_namespace(stem: str) -> dict:
    """Run the chapter's `chapter-model` cells and return the names they define."""
    cells = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text())["cells"]
    sources = ["".join(cell["source"]) for cell in cells
               if "chapter-model" in cell.get("metadata", {}).get("tags", [])]
    assert sources, f"{stem} has no cell tagged chapter-model"
    namespace: dict = {}
    for source in sources:
        exec(compile(source, f"{stem}[chapter-model]", "exec"), namespace)
    return namespace


def architecture(model, input_shape) -> dict:
    """Layer types in order, their weight shapes, the output shape and the parameter count."""
    if input_shape is not None:
        model.build((None, *input_shape))
    shape = input_shape or tuple(model.inputs[0].shape[1:])
    layers = [layer for layer in model._flatten_layers(include_self=False, recursive=True)
              if not isinstance(layer, (keras.layers.InputLayer, keras.Model))]
    output = model(np.zeros((2, *shape), "float32"))
    return {"layers": [(type(layer).__name__, [tuple(w.shape) for w in layer.weights])
                       for layer in layers],
            "output": tuple(output.shape), "parameters": model.count_params()}


@pytest.mark.parametrize("stem,expression,package_copy,input_shape",
                         [(stem, *pair) for stem, pairs in PAIRS.items() for pair in pairs],
                         ids=lambda value: value if isinstance(value, str) else "")
def test_chapter_model_is_the_packages(stem, expression, package_copy, input_shape):
    namespace = chapter_namespace(stem)
    in_chapter = architecture(eval(expression, namespace), input_shape)
    in_package = architecture(package_copy(), input_shape)
    assert in_chapter == in_package


def test_architecture_tells_models_apart():
    """The comparison above can fail: one filter more changes the architecture."""
    assert architecture(models.build_conv_autoencoder((16, 8, 8)), None) != \
        architecture(models.build_conv_autoencoder((16, 8, 9)), None)


def test_chapter_5_tied_decoder_shares_the_encoder_kernel():
    namespace = chapter_namespace("05_strided_autoencoder_pixel_loss")
    tied = namespace["build_tied_autoencoder"](hidden_dim=32)
    untied = models.DenseAutoencoder(hidden_dim=32)
    untied.build((None, 784))
    assert tied.count_params() == 784 * 32 + 32 + 784  # one kernel, two biases
    assert untied.count_params() - tied.count_params() == 784 * 32
    kernels = [w for w in tied.weights if len(w.shape) == 2]
    assert len(kernels) == 1
    x = np.random.default_rng(0).uniform(size=(4, 784)).astype("float32")
    tied.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    before = kernels[0].numpy().copy()
    first = tied.train_on_batch(x, x)
    for _ in range(30):
        last = tied.train_on_batch(x, x)
    assert last < first and not np.allclose(before, kernels[0].numpy())
