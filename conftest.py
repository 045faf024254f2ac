"""Tests run in the `fast` budget unless the caller chose one; nbval's kernels inherit it.

`make test` runs them on every core (pytest-xdist) with `--dist loadfile` (pyproject.toml):
each file goes whole to one worker, so a notebook's cells share one kernel and a module's
tests share its module-scoped fixtures. (`--dist loadgroup` with custom groups would balance
better, but pytest-xdist 3.8 cannot rename pytest 9's node ids to form the groups.)
"""

import os

os.environ.setdefault("DAE_BUDGET", "fast")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")
