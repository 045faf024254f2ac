"""Train the builder's model of chapter 4 to remove noise from MNIST digits.

    python -m dae_utils.cli.train_denoiser --samples 8 --output output.png --plot plot.png

The command line of Rosebrock's "Denoising autoencoders with Keras, TensorFlow, and Deep
Learning" (PyImageSearch, 2020), with the book's changes.

Noise: clip(x + N(0.5, 0.5), 0, 1), drawn afresh for every batch; loss MSE; Adam 1e-3.
Writes a montage of noisy | denoised test digits (--output) and the loss curves (--plot).
The epochs come from the run budget (--budget or $DAE_BUDGET) unless --epochs is given.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

from dae_utils._checks import positive_int
from dae_utils.budget import BUDGETS
from dae_utils.cli._quiet import import_tensorflow_quietly

__all__ = ["build_parser", "main"]

SOURCE_EPOCHS = 25  # the training length of Rosebrock's script


def _positive_int(text: str) -> int:
    try:
        return positive_int(int(text), "value")
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None


def _image_path(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() != ".png":
        raise argparse.ArgumentTypeError(f"must be a .png file, got {text!r}")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"folder {str(path.parent)!r} does not exist")
    return path


def _model_path(text: str) -> Path:
    path = Path(text)
    if path.suffix != ".keras":
        raise argparse.ArgumentTypeError(f"must end in .keras, got {text!r}")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"folder {str(path.parent)!r} does not exist")
    return path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dae_utils.cli.train_denoiser",
        description="Train a denoising convolutional autoencoder on MNIST and save pictures.",
    )
    parser.add_argument("--samples", type=_positive_int, default=8,
                        help="noisy | denoised test pairs in the output montage (default 8)")
    parser.add_argument("--output", type=_image_path, default=Path("output.png"),
                        help="montage of noisy | denoised digits (default output.png)")
    parser.add_argument("--plot", type=_image_path, default=Path("plot.png"),
                        help="training history plot (default plot.png)")
    parser.add_argument("--epochs", type=_positive_int, default=None,
                        help=f"epochs to train (default: from the budget; full = {SOURCE_EPOCHS})")
    parser.add_argument("--batch-size", type=_positive_int, default=32,
                        help="training batch size (default 32, as the source)")
    parser.add_argument("--budget", choices=list(BUDGETS), default=None,
                        help="run budget (default: $DAE_BUDGET, else 'default')")
    parser.add_argument("--model", type=_model_path, default=None,
                        help="also save the trained autoencoder to this .keras file")
    parser.add_argument("--schedule", choices=["source", "book"], default="source",
                        help="how to train. 'source': as the source, Adam at 0.001 "
                             "throughout on one noisy copy of the training set, drawn once; "
                             "'book': noise drawn afresh for every batch, and Adam peaking at "
                             "0.01 after a one-epoch warm-up, then a cosine decay to 0 "
                             "(default source)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)

    import_tensorflow_quietly()
    import keras
    import numpy as np

    from dae_utils.benchmark import schedules
    from dae_utils.budget import get_budget
    from dae_utils.callbacks import EpochProgress
    from dae_utils.data import hold_out_validation, load_mnist
    from dae_utils.models import build_dense_latent_autoencoder
    from dae_utils.noise import add_shifted_gaussian_noise, noisy_dataset
    from dae_utils.plotting import plot_history, show_montage

    budget = get_budget(args.budget)
    print(budget)
    keras.utils.set_random_seed(args.seed)
    mnist = load_mnist()
    (x_train, _), (x_test, _) = mnist
    x_train, x_val = hold_out_validation(x_train, n_val=500)  # curves; test: final numbers
    x_train, x_val = budget.train_subset(x_train), budget.test_subset(x_val)
    x_test = budget.test_subset(x_test)
    if args.samples > len(x_test):
        parser.error(f"--samples {args.samples} is more than the {len(x_test)} test images "
                     f"of budget '{budget.name}'")
    epochs = args.epochs or budget.epochs(full=SOURCE_EPOCHS, n_train=len(x_train))

    _, _, autoencoder = build_dense_latent_autoencoder(width=28, height=28, depth=1)
    schedule = (schedules.BUILDER_SOURCE_SCHEDULE if args.schedule == "source"
                else schedules.BUILDER_BOOK_SCHEDULE).with_epochs(epochs)
    steps_per_epoch = math.ceil(len(x_train) / args.batch_size)
    autoencoder.compile(loss="mse", optimizer=keras.optimizers.Adam(
        schedules.learning_rate_for(schedule, steps_per_epoch)))
    if args.schedule == "source":  # one noisy copy of the training set, as the source
        training = {"x": add_shifted_gaussian_noise(x_train, seed=args.seed + 1), "y": x_train,
                    "batch_size": args.batch_size, "shuffle": True}
        how = "Adam at 0.001, noise N(0.5, 0.5) drawn once"
    else:  # fresh noise for every batch; the dataset shuffles itself
        training = {"x": noisy_dataset(x_train, args.batch_size, mean=0.5, std=0.5,
                                       seed=args.seed), "shuffle": False}
        how = "Adam peaking at 0.01 with warm-up and cosine decay, fresh noise N(0.5, 0.5)"
    x_val_noisy = add_shifted_gaussian_noise(x_val, seed=args.seed + 2)
    x_test_noisy = add_shifted_gaussian_noise(x_test, seed=args.seed)

    print(f"Training for {epochs} epochs, batch {args.batch_size}, on {len(x_train):,} "
          f"images ({args.schedule} schedule: {how}).")
    start = time.perf_counter()
    history = autoencoder.fit(**training, epochs=epochs, validation_data=(x_val_noisy, x_val),
                              verbose=0, callbacks=[EpochProgress()])
    seconds = time.perf_counter() - start
    test_mse = autoencoder.evaluate(x_test_noisy, x_test, verbose=0)
    print(f"Done in {seconds:.0f} s: loss {history.history['loss'][-1]:.4f}, "
          f"val_loss {history.history['val_loss'][-1]:.4f} (MSE on {len(x_val):,} validation "
          f"images); test MSE {test_mse:.4f} on {len(x_test):,} test images.")

    plot_history(history, title="Denoising autoencoder: MSE per epoch", save_to=args.plot)
    noisy = x_test_noisy[: args.samples]
    denoised = autoencoder.predict(noisy, verbose=0)
    pairs = np.concatenate([noisy, denoised], axis=2)  # each tile: noisy | denoised
    columns = 1 if args.samples < 4 else 2
    show_montage(pairs, grid_shape=(-(-args.samples // columns), columns),
                 title="noisy | denoised", save_to=args.output)
    print(f"Wrote {args.output} ({args.samples} noisy | denoised pairs) and {args.plot}.")
    if args.model is not None:
        autoencoder.save(args.model)
        print(f"Saved the autoencoder to {args.model}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
