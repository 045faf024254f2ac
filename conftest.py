"""Tests run in the `fast` budget unless the caller chose one; nbval's kernels inherit it."""

import os

os.environ.setdefault("DAE_BUDGET", "fast")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")
