"""Compiled passes over weighted points: nearest centres, Lloyd's iterations,
k-means++ and the Weiszfeld steps towards medians (Numba, no GIL).

Each kernel works on one block of points, ``[start, stop)`` rows of a
C-contiguous ``(n, d)`` float64 array, and writes only that block's rows or
its own row of a per-block output. :mod:`kmeans_core.lloyd` runs the blocks in
its pool of threads (the kernels release the GIL) and adds the per-block
partial sums in block order, so every result is the same whatever the number
of threads.

Distances are computed directly, ``sum((x - c)**2)``, which is exact to the
last bits where the BLAS expansion ``|x|^2 - 2 x.c + |c|^2`` cancels; ties go
to the lower index, as with ``argmin``.

Hamerly's bounds (one upper bound per point on the distance to its centre,
one lower bound on the distance to every other) skip the points that provably
keep their centre. A point is skipped only when its bounds clear the test by
``margin``, far above the rounding error of a distance, so the labels are
those of plain Lloyd.

The functions compile once and are cached on disk (``cache=True``);
:func:`compile_kernels` compiles them all ahead of a first request.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from kmeans_core._jit import KERNEL, PER_ITEM

__all__ = [
    "assign_block",
    "centred_points",
    "compile_kernels",
    "hamerly_block",
    "inertia_block",
    "lower_closest_and_cumsum",
    "lower_closest_block",
    "nearest_block",
    "nearest_two_block",
    "potentials_block",
    "weighted_cumsum",
    "weiszfeld_block",
]


@njit(**PER_ITEM)
def _sq_distance(X, i, C, j):
    total = 0.0
    for f in range(X.shape[1]):
        diff = X[i, f] - C[j, f]
        total += diff * diff
    return total


@njit(**PER_ITEM)
def _distances_to_all(X, i, CT, out):
    """``out[j]`` = squared distance of point i to centre j, the centres given
    transposed (``CT`` of shape (d, k)) so that the loop over them vectorizes.
    Colours (three features) never come here: their callers have paths of their own."""
    k = CT.shape[1]
    x = X[i, 0]
    for j in range(k):
        diff = x - CT[0, j]
        out[j] = diff * diff
    for f in range(1, X.shape[1]):
        x = X[i, f]
        for j in range(k):
            diff = x - CT[f, j]
            out[j] += diff * diff


@njit(**PER_ITEM)
def _nearest_two(X, i, CT, dist):
    """Nearest centre of point i (the lowest index on a tie), the squared distance to it and
    to the second nearest (``dist``: scratch of length k, used only beyond three features).

    For a colour the search has no branches (the points that are searched
    again lie near a boundary, where the nearest centre is unpredictable):
    about a fifth faster than with them, for the same result."""
    best = np.inf
    second = np.inf
    label = 0
    if X.shape[1] == 3:
        x0, x1, x2 = X[i, 0], X[i, 1], X[i, 2]
        for j in range(CT.shape[1]):
            a = x0 - CT[0, j]
            b = x1 - CT[1, j]
            c = x2 - CT[2, j]
            d = a * a + b * b + c * c
            second = min(second, max(best, d))
            label = j if d < best else label
            best = min(best, d)
        return label, best, second
    _distances_to_all(X, i, CT, dist)
    for j in range(dist.shape[0]):
        d = dist[j]
        if d < best:
            second = best
            best = d
            label = j
        elif d < second:
            second = d
    return label, best, second


@njit(**KERNEL)
def nearest_block(X, CT, start, stop, labels, sq_distances):
    """Nearest centre of rows ``start:stop`` of X and the squared distance to it
    (centres transposed, ``CT`` of shape (d, k))."""
    dist = np.empty(CT.shape[1])
    for i in range(start, stop):
        label, best, _ = _nearest_two(X, i, CT, dist)
        labels[i] = label
        sq_distances[i] = best


@njit(**KERNEL)
def nearest_two_block(X, CT, start, stop, labels, sq_distances, second_sq_distances):
    """:func:`nearest_block`, and the squared distance of each row to its second-nearest centre."""
    dist = np.empty(CT.shape[1])
    for i in range(start, stop):
        label, best, second = _nearest_two(X, i, CT, dist)
        labels[i] = label
        sq_distances[i] = best
        second_sq_distances[i] = second


@njit(**PER_ITEM)
def _move_weight(X, w, i, cluster, sign, weight, sums, members):
    wi = w[i]
    weight[cluster] += sign * wi
    for f in range(X.shape[1]):
        sums[cluster, f] += sign * (wi * X[i, f])
    if wi > 0:
        members[cluster] += int(sign)


@njit(**PER_ITEM)
def _add_points(X, w, labels, start, stop, weight, sums, members):
    """The cluster totals of rows ``start:stop`` (zeroed here), in row order. A pass of its
    own: inside the distances' loop these stores made the first assignment three to five
    times slower (measured on 70,000 colours). Hamerly's pass moves few points, and adds
    their change in its loop at no measurable cost."""
    weight[:] = 0.0
    sums[:] = 0.0
    members[:] = 0
    for i in range(start, stop):
        _move_weight(X, w, i, labels[i], 1.0, weight, sums, members)


@njit(**KERNEL)
def assign_block(X, w, CT, start, stop, labels, upper, lower, weight, sums, members):
    """First assignment of rows ``start:stop``: labels, Hamerly's bounds (the
    distance to the nearest and to the second-nearest centre) and the
    block's cluster totals (``weight``, ``sums``, ``members``, zeroed here)."""
    dist = np.empty(CT.shape[1])
    for i in range(start, stop):
        label, best, second = _nearest_two(X, i, CT, dist)
        labels[i] = label
        upper[i] = np.sqrt(best)
        lower[i] = np.sqrt(second)
    _add_points(X, w, labels, start, stop, weight, sums, members)


@njit(**KERNEL)
def hamerly_block(X, w, CT, moved, half_gap, margin, start, stop, labels, upper, lower, weight, sums, members):
    """One Lloyd assignment of rows ``start:stop`` against moved centres.

    The bounds are stored net of the centres' cumulative shifts (``moved[0, j]``
    for centre j; ``moved[1, j]`` the sum of each iteration's largest shift among
    the other centres): the bound on the distance to the own centre is
    ``upper + moved[0, label]``, the one on every other ``lower - moved[1, label]``. A point is re-examined
    only if its upper bound, plus ``margin``, exceeds both its lower bound and
    half the gap from its centre to the nearest other one (``half_gap``),
    and then against every centre, which renews both bounds.

    Hamerly's second test, the point's own distance first and the search
    only if that fails too, is left out: on colours it cost more than it
    saved (a third to a half of the points it tried went on to the search
    anyway, behind a branch that could not be predicted). Without it
    the assignment passes took 11 to 23% less time on four photos at
    k = 4 to 32 (chelsea at k = 8: 25.7 against 19.9 ms over its 38
    iterations), with the same labels, centres and iterations, since the
    labels are exact either way. Writes the change of the block's cluster
    totals (zeroed here) and returns how many points changed label.
    """
    weight[:] = 0.0
    sums[:] = 0.0
    members[:] = 0
    dist = np.empty(CT.shape[1])
    changed = 0
    for i in range(start, stop):
        label = labels[i]
        bound = max(lower[i] - moved[1, label], half_gap[label])
        if upper[i] + moved[0, label] + margin <= bound:
            continue
        new, best, second = _nearest_two(X, i, CT, dist)
        upper[i] = np.sqrt(best) - moved[0, new]
        lower[i] = np.sqrt(second) + moved[1, new]
        if new != label:
            labels[i] = new
            _move_weight(X, w, i, label, -1.0, weight, sums, members)
            _move_weight(X, w, i, new, 1.0, weight, sums, members)
            changed += 1
    return changed


@njit(**KERNEL)
def centred_points(X, w):
    """X centred on the middle of its bounding box (rounded to an integer), in one pass after
    the box: the centred points, the offset, the largest squared norm, and the weighted sums
    of the points and of their squared norms (in index order)."""
    n, d = X.shape
    low = X[0].copy()
    high = X[0].copy()
    if d == 3:  # a colour: the box in registers
        l0, l1, l2 = low[0], low[1], low[2]
        h0, h1, h2 = l0, l1, l2
        for i in range(n):
            l0, h0 = min(l0, X[i, 0]), max(h0, X[i, 0])
            l1, h1 = min(l1, X[i, 1]), max(h1, X[i, 1])
            l2, h2 = min(l2, X[i, 2]), max(h2, X[i, 2])
        low[0], low[1], low[2], high[0], high[1], high[2] = l0, l1, l2, h0, h1, h2
    else:
        for i in range(n):
            for f in range(d):
                low[f] = min(low[f], X[i, f])
                high[f] = max(high[f], X[i, f])
    offset = np.empty(d)
    for f in range(d):
        offset[f] = np.round((low[f] + high[f]) / 2)
    out = np.empty((n, d))
    weighted = np.zeros(d)
    weighted_sq = 0.0
    largest_sq = 0.0
    if d == 3:  # a colour: the sums in registers (the same sums, in the same order)
        o0, o1, o2 = offset[0], offset[1], offset[2]
        s0 = s1 = s2 = 0.0
        for i in range(n):
            a, b, c = X[i, 0] - o0, X[i, 1] - o1, X[i, 2] - o2
            out[i, 0], out[i, 1], out[i, 2] = a, b, c
            wi = w[i]
            s0 += wi * a
            s1 += wi * b
            s2 += wi * c
            sq = a * a + b * b + c * c
            weighted_sq += wi * sq
            largest_sq = max(largest_sq, sq)
        weighted[0], weighted[1], weighted[2] = s0, s1, s2
        return out, offset, largest_sq, weighted, weighted_sq
    for i in range(n):
        sq = 0.0
        for f in range(d):
            value = X[i, f] - offset[f]
            out[i, f] = value
            weighted[f] += w[i] * value
            sq += value * value
        weighted_sq += w[i] * sq
        largest_sq = max(largest_sq, sq)
    return out, offset, largest_sq, weighted, weighted_sq


@njit(**KERNEL)
def inertia_block(X, w, C, labels, start, stop):
    """Sum over rows start:stop of w times the squared distance to the centre of its label."""
    total = 0.0
    for i in range(start, stop):
        total += w[i] * _sq_distance(X, i, C, labels[i])
    return total


@njit(**KERNEL)
def weighted_cumsum(w, closest, out):
    """``out = cumsum(w * closest)``, in index order."""
    total = 0.0
    for i in range(w.shape[0]):
        total += w[i] * closest[i]
        out[i] = total


@njit(**KERNEL)
def potentials_block(X, w, closest, candidates_T, start, stop, out):
    """``out[c] = sum over rows start:stop of w * min(closest, |x - candidate c|^2)``
    (candidates transposed, of shape (d, m)), each sum in row order."""
    if X.shape[1] == 3:
        _colour_potentials(X, w, closest, candidates_T, start, stop, out)
        return
    out[:] = 0.0
    dist = np.empty(candidates_T.shape[1])
    for i in range(start, stop):
        wi = w[i]
        if wi == 0:
            continue
        _distances_to_all(X, i, candidates_T, dist)
        for c in range(dist.shape[0]):
            out[c] += wi * min(dist[c], closest[i])


@njit(**PER_ITEM)
def _colour_potentials(X, w, closest, candidates_T, start, stop, out):
    """:func:`potentials_block` for colours: four candidates a pass, each summed in a register
    of its own (the same additions in the same order: a point of no weight adds an exact 0),
    so the four sums advance side by side instead of waiting on one another's stores."""
    m = candidates_T.shape[1]
    for group in range(0, m, 4):
        last = m - 1
        a, b = candidates_T[:, group], candidates_T[:, min(group + 1, last)]
        c, d = candidates_T[:, min(group + 2, last)], candidates_T[:, min(group + 3, last)]
        sum_a = sum_b = sum_c = sum_d = 0.0
        used = m - group  # a last group of fewer than four computes only its own (the tests hoist)
        for i in range(start, stop):
            x0, x1, x2, wi, ci = X[i, 0], X[i, 1], X[i, 2], w[i], closest[i]
            sum_a += wi * min((x0 - a[0]) ** 2 + (x1 - a[1]) ** 2 + (x2 - a[2]) ** 2, ci)
            if used > 1:
                sum_b += wi * min((x0 - b[0]) ** 2 + (x1 - b[1]) ** 2 + (x2 - b[2]) ** 2, ci)
            if used > 2:
                sum_c += wi * min((x0 - c[0]) ** 2 + (x1 - c[1]) ** 2 + (x2 - c[2]) ** 2, ci)
            if used > 3:
                sum_d += wi * min((x0 - d[0]) ** 2 + (x1 - d[1]) ** 2 + (x2 - d[2]) ** 2, ci)
        for offset, total in enumerate((sum_a, sum_b, sum_c, sum_d)):
            if group + offset < m:
                out[group + offset] = total


@njit(**KERNEL)
def lower_closest_block(X, center, start, stop, closest):
    """``closest = min(closest, |x - center|^2)`` for rows start:stop (center of shape (1, d))."""
    for i in range(start, stop):
        dist = _sq_distance(X, i, center, 0)
        if dist < closest[i]:
            closest[i] = dist


@njit(**KERNEL)
def lower_closest_and_cumsum(X, center, w, closest, cumulative):
    """:func:`lower_closest_block` over every row, then ``cumulative = cumsum(w * closest)``
    (:func:`weighted_cumsum`), in one pass: the same values as the two passes."""
    total = 0.0
    for i in range(X.shape[0]):
        dist = _sq_distance(X, i, center, 0)
        if dist < closest[i]:
            closest[i] = dist
        total += w[i] * closest[i]
        cumulative[i] = total


@njit(**KERNEL)
def weiszfeld_block(X, w, CT, floor, start, stop, total, sums):
    """One Weiszfeld step's sums over rows ``start:stop`` (zeroed here): each point goes to its
    nearest centre and pulls it with weight ``w / max(distance, floor)`` into ``total``, and
    the pull times the point into ``sums``."""
    total[:] = 0.0
    sums[:] = 0.0
    dist = np.empty(CT.shape[1])
    for i in range(start, stop):
        label, best, _ = _nearest_two(X, i, CT, dist)
        pull = w[i] / max(np.sqrt(best), floor)
        total[label] += pull
        for f in range(X.shape[1]):
            sums[label, f] += pull * X[i, f]


def compile_kernels() -> None:
    """Compile (or load from the on-disk cache) every kernel, on a tiny problem."""
    X = np.zeros((2, 3))
    w = np.ones(2)
    C = np.zeros((2, 3))
    CT = np.zeros((3, 2))
    labels = np.zeros(2, dtype=np.intp)
    upper, lower, dist = np.zeros(2), np.zeros(2), np.zeros(2)
    weight, sums, members = np.zeros(2), np.zeros((2, 3)), np.zeros(2, dtype=np.int64)
    centred_points(X, w)
    nearest_block(X, CT, 0, 2, labels, dist)
    nearest_two_block(X, CT, 0, 2, labels, dist, np.zeros(2))
    assign_block(X, w, CT, 0, 2, labels, upper, lower, weight, sums, members)
    hamerly_block(X, w, CT, np.zeros((2, 2)), np.zeros(2), 0.0, 0, 2, labels, upper, lower, weight, sums, members)
    inertia_block(X, w, C, labels, 0, 2)
    weighted_cumsum(w, dist, np.zeros(2))
    potentials_block(X, w, dist, CT, 0, 2, np.zeros(2))
    lower_closest_block(X, C[:1], 0, 2, dist)
    lower_closest_and_cumsum(X, C[:1], w, dist, np.zeros(2))
    weiszfeld_block(X, w, CT, 0.5, 0, 2, weight, sums)
