"""The book's command lines. Each parses its arguments before importing TensorFlow, so that
`--help` answers at once, and keeps TensorFlow's start-up log lines out of its output.

- `python -m dae_utils.cli.train_denoiser` (also `dae-train-denoiser`): chapter 4's training
  script;
- `python -m dae_utils.cli.benchmark` (also `dae-benchmark`, `make bench`): the benchmark that
  chapter 7 reports.
"""
