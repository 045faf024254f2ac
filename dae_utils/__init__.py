"""Helpers for the book "Convolutional and denoising autoencoders with Keras".

The chapters teach; this package removes what every chapter repeats:
- `dae_utils.data`: MNIST and Fashion-MNIST, online or offline, as float32 in [0, 1];
- `dae_utils.noise`: the sources' noise recipes and a tf.data pipeline with fresh noise;
- `dae_utils.budget`: run budgets (fast / default / full) chosen by $DAE_BUDGET;
- `dae_utils.models`: the chapters' model builders;
- `dae_utils.metrics`: PSNR and SSIM;
- `dae_utils.plotting`: digit rows, training curves, montages;
- `dae_utils.training`: short progress output for long training runs.
"""

__version__ = "0.1.0"

from dae_utils import budget, data, metrics, models, noise, plotting, training

__all__ = ["budget", "data", "metrics", "models", "noise", "plotting", "training"]
