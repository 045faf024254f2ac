"""Helpers for the book "Convolutional and denoising autoencoders with Keras".

The chapters teach; this package holds what several of them, the benchmark or the command
lines reuse. Import the module you need (``from dae_utils import data``); importing
``dae_utils`` alone loads nothing heavy.

Chapter helpers:
- `dae_utils.data`: MNIST and Fashion-MNIST, online or offline, as float32 in [0, 1];
- `dae_utils.noise`: the sources' two noise recipes, and a tf.data pipeline with fresh noise;
- `dae_utils.budget`: run budgets (fast / default / full), chosen by $DAE_BUDGET;
- `dae_utils.models`: the model builders that several places share, and the benchmark's U-Net;
- `dae_utils.metrics`: PSNR and SSIM;
- `dae_utils.learning_rates`: the book's warm-up and cosine learning-rate schedule;
- `dae_utils.plotting`: digit rows, training curves, montages, architecture diagrams;
- `dae_utils.callbacks`: Keras callbacks for short progress output and snapshots;
- `dae_utils.baselines`: the trivial references (mean image, all black), classical filters
  (median, Gaussian, non-local means, TV, BM3D), a fitted intensity correction and the
  Wiener filter.

The benchmark (`dae_utils.benchmark`), whose suites `dae_utils.benchmark.suites` runs:
- `dae_utils.benchmark.sizes`: how much it does in each run budget, resolved once per run;
- `dae_utils.benchmark.splits`: train / validation / test splits and their fixed noisy copies;
- `dae_utils.benchmark.denoisers`: the learned models, with outputs that do not saturate;
- `dae_utils.benchmark.training`: training to convergence, early stopping, failed runs retried;
- `dae_utils.benchmark.schedules`: the sources' and the book's training schedules, timed on a
  common clock;
- `dae_utils.benchmark.runner`: jobs in worker processes, each result cached as it finishes;
- `dae_utils.benchmark.suite_denoisers`, `dae_utils.benchmark.suite_classical`,
  `dae_utils.benchmark.suite_ablation`, `dae_utils.benchmark.suite_schedules`,
  `dae_utils.benchmark.suite_throughput`: one module per suite;
- `dae_utils.benchmark.statistics`: 95% intervals over seeds and test images, paired
  differences and Holm's correction;
- `dae_utils.benchmark.summary`: from job results to the documents stored per suite;
- `dae_utils.benchmark.report`: loading, checking, tables and figures of the results.

Command lines (`dae_utils.cli`), each run as `python -m <module>`:
- `dae_utils.cli.train_denoiser`: chapter 4's training script;
- `dae_utils.cli.benchmark`: runs the benchmark and writes its results.

`dae_utils._checks` holds the input checks all modules share, and `dae_utils.cli._quiet` the
quiet TensorFlow import of the command lines.
"""

__version__ = "0.5.0"  # the one place the version is written (pyproject.toml reads it)
