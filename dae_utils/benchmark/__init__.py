"""The benchmark behind chapter 7, suite by suite (`suites`); `python -m dae_utils.cli.benchmark`
runs it. The package docstring of `dae_utils` maps its modules."""
