"""The input checks every module uses: clear errors instead of deep TensorFlow traces.

One place for range and type checks, so that they say the same thing everywhere.
"""

from __future__ import annotations

import numpy as np

# Float arithmetic (a sigmoid, a resize) can land a hair outside [0, 1].
_RANGE_TOLERANCE = 1e-5


def as_unit_images(images, name: str = "images", ranks: tuple[int, ...] | None = None):
    """Return `images` as a float32 array after checking it holds values in [0, 1].

    Raises TypeError for non-numeric or integer input (such as uint8 pixels 0-255) and
    ValueError for NaNs, values outside [0, 1], or a rank not in `ranks`.
    """
    array = np.asarray(images)
    if array.dtype == object or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"{name} must be a numeric array, got dtype {array.dtype}.")
    if np.issubdtype(array.dtype, np.integer):
        raise TypeError(
            f"{name} must be floats in [0, 1], got integer dtype {array.dtype}. "
            f"Convert pixels with `{name}.astype('float32') / 255`."
        )
    if ranks is not None and array.ndim not in ranks:
        expected = " or ".join(str(r) for r in ranks)
        raise ValueError(f"{name} must have rank {expected}, got shape {array.shape}.")
    if array.size == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}).")
    if np.isnan(array).any():
        raise ValueError(f"{name} contains NaN values.")
    low, high = float(array.min()), float(array.max())
    if low < -_RANGE_TOLERANCE or high > 1 + _RANGE_TOLERANCE:
        hint = " Did you forget to divide by 255?" if high > 1.5 else ""
        raise ValueError(f"{name} must lie in [0, 1], got values from {low:g} to {high:g}.{hint}")
    return array.astype(np.float32, copy=False)


def positive_int(value, name: str) -> int:
    """Return `value` as an int after checking it is a whole number >= 1 (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return int(value)


def positive_ints(values, name: str) -> tuple:
    """Return `values` as a tuple after checking it is a non-empty sequence of ints >= 1."""
    values = tuple(values)
    if not values or any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1
                         for v in values):
        raise ValueError(f"{name} must be a non-empty sequence of positive ints, got {values!r}.")
    return tuple(int(v) for v in values)


def positive_number(value, name: str) -> float:
    """Return `value` as a float after checking it is a finite number > 0 (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a number > 0, got {value!r}.")
    return float(value)


def non_negative_number(value, name: str) -> float:
    """Return `value` as a float after checking it is a finite number >= 0."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if isinstance(value, bool) or not np.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}.")
    return number
