"""The checks of the public boundary, written once for every public function.

Each checker takes the value as the user gave it and returns it clean
(converted to the type the workers expect), or raises a ValueError whose
message names the parameter and echoes the bad value, such as
``n_init=0 must be an integer >= 1``. Booleans are refused wherever a number
is expected: ``True`` is an ``int`` to Python, never a count or a tolerance
to us.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable
from itertools import pairwise

import numpy as np

__all__ = [
    "X_DISTINCT",
    "check_callable",
    "check_centers",
    "check_choice",
    "check_init",
    "check_int",
    "check_k",
    "check_ks",
    "check_number",
    "check_numeric",
    "check_points",
    "check_points_and_k",
    "check_points_and_ks",
    "check_runs",
    "check_seed",
    "check_starts",
    "count_distinct",
    "is_int",
]

#: How a k too large for the points is explained; ``{n}`` is the count.
X_DISTINCT = "X has only {n} distinct points with positive weight"


def is_int(value) -> bool:
    """An integer (Python or NumPy), but not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int(name: str, value, *, low: int, alternatives: str = "") -> int:
    """An integer >= ``low``, not a bool.

    ``alternatives`` ends the message with the other values the parameter
    accepts, such as ``", or None for every point"``.
    """
    if not is_int(value) or value < low:
        raise ValueError(f"{name}={value!r} must be an integer >= {low}{alternatives}")
    return int(value)


def check_number(name: str, value, *, positive: bool = False, alternatives: str = "") -> float:
    """A finite real number >= 0 (> 0 with ``positive``), not a bool.

    ``alternatives`` ends the message with the other values the parameter
    accepts, such as ``" or None"``.
    """
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or (value <= 0 if positive else value < 0):
        wanted = "a positive number" if positive else "a finite number >= 0"
        raise ValueError(f"{name}={value!r} must be {wanted}{alternatives}")
    return float(value)


def check_seed(seed):
    """None, an integer >= 0 or a numpy.random.Generator."""
    if not (seed is None or isinstance(seed, np.random.Generator) or (is_int(seed) and seed >= 0)):
        raise ValueError(f"seed={seed!r} must be None, an integer >= 0 or a numpy.random.Generator")
    return seed


def check_choice(name: str, value, options: tuple):
    """One of ``options``."""
    if not isinstance(value, Hashable) or value not in options:
        raise ValueError(f"{name}={value!r} must be one of {options}")
    return value


def check_callable(name: str, value, *, call: str = "a callable"):
    """A callable or None; ``call`` describes how it is called."""
    if value is not None and not callable(value):
        raise ValueError(f"{name}={value!r} must be {call} or None")
    return value


def check_numeric(name: str, value) -> np.ndarray:
    """``value`` as a float64 array, or a ValueError naming ``name`` and saying why it is not numeric."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric array: {exc}") from None


def check_points(X, sample_weight=None, *, allow_empty: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Points as a C-contiguous float64 (n, d) array, and their weights.

    The weights default to 1 each; given, they must be n finite values >= 0
    that do not all vanish. With ``allow_empty`` an X of no rows passes (and
    its weights are not checked for a positive sum).
    """
    X = check_numeric("X", X)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {X.shape}")
    if (X.shape[0] == 0 and not allow_empty) or X.shape[1] == 0:
        raise ValueError(f"X must be a non-empty 2-D array (n_samples, n_features), but X is empty: shape {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError(f"X contains {int((~np.isfinite(X)).sum())} NaN or infinite values")
    X = np.ascontiguousarray(X)
    if sample_weight is None:
        return X, np.ones(len(X))
    w = check_numeric("sample_weight", sample_weight)
    if w.shape != (len(X),):
        raise ValueError(f"sample_weight has shape {w.shape} but X has {len(X)} samples")
    if not np.isfinite(w).all():
        raise ValueError(f"sample_weight contains NaN or infinite values: {int((~np.isfinite(w)).sum())} of {len(w)}")
    if len(w) and w.min() < 0:
        negative = int((w < 0).sum())
        values = "value" if negative == 1 else "values"
        raise ValueError(
            f"sample_weight must be finite and >= 0; the smallest is {float(w.min())!r} ({negative} negative {values})"
        )
    if len(X) and w.sum() <= 0:
        raise ValueError("sample_weight sums to 0; at least one point must weigh something")
    return X, w


def check_centers(centers, X: np.ndarray, *, copy: bool = False) -> np.ndarray:
    """Centres as a float64 (k, d) array, k >= 1, with the features of ``X``."""
    try:
        centers = np.array(centers, dtype=np.float64, copy=True if copy else None)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"centers must be a numeric array: {exc}") from None
    if centers.ndim != 2 or centers.shape[1] != X.shape[1] or len(centers) == 0:
        raise ValueError(f"X of shape {X.shape} and centers of shape {centers.shape} do not match")
    bad = ~np.isfinite(centers)
    if bad.any():
        raise ValueError(f"centers contains {int(bad.sum())} NaN or infinite values")
    return centers


def count_distinct(X: np.ndarray, w: np.ndarray, *, at_least: int | None = None) -> int:
    """The number of distinct points with positive weight.

    With ``at_least``, the count may stop early once it reaches that number
    (it is then some number >= ``at_least``); below it, it is exact.
    """
    positive = np.flatnonzero(w > 0)
    if at_least is None:
        return len(np.unique(X[positive], axis=0))
    # Most data shows k distinct points early on: look at a prefix first.
    for size in sorted({min(len(positive), 2 * at_least), min(len(positive), 64 * at_least), len(positive)}):
        n_distinct = len(np.unique(X[positive[:size]], axis=0))
        if n_distinct >= at_least:
            break
    return n_distinct


def check_init(init, k: int, X: np.ndarray, initializers: tuple[str, ...]) -> np.ndarray | None:
    """An initializer: one of ``initializers`` (then None), or k initial centres with the features of X."""
    expected = f"one of {initializers} or an array of shape ({k}, {X.shape[1]})"
    if isinstance(init, str):
        if init not in initializers:
            raise ValueError(f"init={init!r} must be {expected}")
        return None
    try:
        centers = np.array(init, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"init={init!r} must be {expected}") from None
    if centers.shape != (k, X.shape[1]):
        raise ValueError(
            f"init has shape {centers.shape} but k={k} and X has {X.shape[1]} features: expected ({k}, {X.shape[1]})"
        )
    if not np.isfinite(centers).all():
        raise ValueError("init contains NaN or infinite values")
    return centers


def check_starts(init, k: int, X: np.ndarray, initializers: tuple[str, ...], *, n_init: int) -> np.ndarray | None:
    """:func:`check_init`, refusing manual centres unless ``n_init`` (already checked) is 1: they give one start."""
    manual = check_init(init, k, X, initializers)
    if manual is not None and n_init != 1:
        raise ValueError(f"n_init={n_init} but manual initial centres give one start; use n_init=1")
    return manual


def check_runs(n_init, max_iter) -> tuple[int, int]:
    """A clusterer's starts to try and the most iterations of each: two integers >= 1, checked in that order."""
    return check_int("n_init", n_init, low=1), check_int("max_iter", max_iter, low=1)


def check_k(k, X: np.ndarray, w: np.ndarray) -> int:
    """A number of clusters: an integer from 1 to the distinct points of X with positive weight."""
    k = check_int("k", k, low=1)
    n_distinct = count_distinct(X, w, at_least=k)
    if n_distinct < k:
        raise ValueError(f"k={k} but " + X_DISTINCT.format(n=n_distinct))
    return k


def check_points_and_k(X, k, sample_weight=None) -> tuple[np.ndarray, np.ndarray, int]:
    """A clusterer's data: :func:`check_points`, then :func:`check_k` against those points."""
    X, w = check_points(X, sample_weight)
    return X, w, check_k(k, X, w)


def check_points_and_ks(X, ks, sample_weight=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A sweep's data: :func:`check_points`, then :func:`check_ks` against their distinct points."""
    X, w = check_points(X, sample_weight)
    return X, w, check_ks(ks, count_distinct(X, w))


def check_ks(ks, n_distinct: int, too_many: str = X_DISTINCT) -> np.ndarray:
    """Strictly increasing integers from 1 to ``n_distinct``, as an int64 array.

    ``too_many`` explains the limit, with ``{n}`` for ``n_distinct``.
    """
    if isinstance(ks, (str, bytes)) or not hasattr(ks, "__iter__"):
        raise ValueError(f"ks={ks!r} must be a sequence of integers such as range(2, 17)")
    values = list(ks)
    if not values:
        raise ValueError(f"ks={ks!r} is empty; give at least one k")
    for k in values:
        if not is_int(k):
            raise ValueError(f"ks contains {k!r}, which is not an integer")
        if k < 1:
            raise ValueError(f"ks contains k={k}; every k must be >= 1")
    for a, b in pairwise(values):
        if b == a:
            raise ValueError(f"ks contains k={a} twice; give each k once")
        if b < a:
            raise ValueError(f"ks must be increasing, but k={b} follows k={a}")
    if values[-1] > n_distinct:
        raise ValueError(f"ks contains k={values[-1]} but " + too_many.format(n=n_distinct))
    return np.array(values, dtype=np.int64)
