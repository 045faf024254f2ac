"""Keep TensorFlow's native log lines out of a command line's output."""

from __future__ import annotations

import io
import os
import sys


def import_tensorflow_quietly():
    """Import TensorFlow with its C++ runtime's stderr sent to /dev/null; return the module.

    TensorFlow's C++ runtime writes oneDNN, CUDA, absl and graph-optimiser notices straight to
    file descriptor 2, some before TF_CPP_MIN_LOG_LEVEL is read. A command line should print
    only its own output, so for the rest of the process descriptor 2 goes to /dev/null while
    Python's `sys.stderr` (tracebacks, warnings, argparse errors) keeps the real stderr.
    Called from Python code whose stderr is already redirected (a notebook, pytest's capture),
    it changes nothing but the import.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if sys.stderr is sys.__stderr__ and sys.__stderr__ is not None:
        _send_native_stderr_to_devnull()
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    return tf


def _send_native_stderr_to_devnull() -> None:
    sys.stderr.flush()
    real_stderr = os.dup(2)
    sys.stderr = io.TextIOWrapper(os.fdopen(real_stderr, "wb", buffering=0),
                                  write_through=True, errors="backslashreplace")
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
