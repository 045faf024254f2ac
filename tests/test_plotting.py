import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dae_utils.plotting import plot_history, show_digit_rows, show_montage  # noqa: E402

DIGITS = np.random.default_rng(0).uniform(size=(12, 28, 28, 1)).astype(np.float32)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_digit_rows_lay_out_one_row_per_array_and_save(tmp_path):
    path = tmp_path / "rows.png"
    fig = show_digit_rows([DIGITS, DIGITS.reshape(12, 784)], ["original", "output"], n=5,
                          save_to=path)
    assert len(fig.axes) == 10
    assert fig.axes[0].get_ylabel() == "original" and fig.axes[5].get_ylabel() == "output"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("rows", "labels", "message"),
    [([DIGITS], ["a", "b"], "one label per row"), ([DIGITS[:3]], ["a"], "fewer than n=10")],
)
def test_digit_rows_refuse_bad_input(rows, labels, message):
    with pytest.raises(ValueError, match=message):
        show_digit_rows(rows, labels)


def test_digit_rows_refuse_pixels_0_to_255():
    with pytest.raises(TypeError, match="/ 255"):
        show_digit_rows([(DIGITS * 255).astype(np.uint8)], ["raw"])


def test_history_plots_loss_and_validation_loss():
    fig = plot_history({"loss": [0.3, 0.2, 0.1], "val_loss": [0.35, 0.25, 0.2]})
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["loss", "val_loss"]
    assert list(lines[0].get_xdata()) == [1, 2, 3]


def test_history_without_loss_is_refused():
    with pytest.raises(ValueError, match="'loss'"):
        plot_history({"accuracy": [0.5]})


def test_montage_tiles_every_image():
    fig = show_montage(DIGITS, grid_shape=(3, 4))
    picture = fig.axes[0].get_images()[0].get_array()
    assert picture.shape == (3 * 28 + 4 * 1, 4 * 28 + 5 * 1)  # one pixel of padding around tiles


def test_architecture_diagram_shows_each_shape_and_splits_at_the_code():
    import keras

    from dae_utils.models import build_conv_autoencoder
    from dae_utils.plotting import plot_architecture

    fig = plot_architecture(build_conv_autoencoder(), title="t")
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert len(fig.axes) == 2  # encoder row and decoder row
    for shape in ("28x28x1", "14x14x16", "4x4x8", "28x28x16"):
        assert shape in texts
    assert "encoder" in texts and "decoder" in texts
    plt.close(fig)

    flat = keras.Sequential([keras.Input((784,)), keras.layers.Dense(32),
                             keras.layers.Dense(784)])
    fig = plot_architecture(flat, highlight="none")
    assert len(fig.axes) == 1
    assert [t for t in fig.axes[0].texts if t.get_text() == "32"]
    plt.close(fig)


def test_architecture_diagram_asks_for_an_input_shape_it_cannot_find():
    import keras

    from dae_utils.plotting import plot_architecture

    class Tiny(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(4)

        def call(self, x):
            return self.dense(x)

    with pytest.raises(ValueError, match="pass input_shape"):
        plot_architecture(Tiny())
    fig = plot_architecture(Tiny(), input_shape=(8,))
    assert "4" in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
