"""Lloyd's iterations between the assignments, compiled, and the whole loop for one thread.

A run's state lives in arrays that :mod:`kmeans_core.lloyd` allocates once
(:class:`kmeans_core.lloyd._Run`): the centres, each point's label and
bounds, the cluster totals, the per-block partial totals, and two small
arrays of numbers (``reals``, ``ints``, indexed by the constants below).
:func:`advance` takes the run from one assignment to the next (the centres'
update, the empty clusters, the shifts and the stopping rule), so the rule
is written once. :func:`lloyd_run` runs the whole loop in compiled code,
for a run that goes on one thread (up to 2^19 points times centres, or one
of several runs in parallel); for more, the loop is Python's, and each
thread of the pool runs its range of blocks in one compiled call
(:func:`first_range`, :func:`assign_range`). Both give the same numbers:
the blocks and the order their partial totals are added in are the same.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from kmeans_core._jit import KERNEL
from kmeans_core._point_kernels import assign_block, hamerly_block, inertia_block

__all__ = [
    "ASSIGN",
    "ASSIGN_AND_STOP",
    "CHANGED",
    "CONVERGED",
    "LOCKED",
    "MARGIN",
    "MAX_ITER",
    "N_ITER",
    "STOP",
    "STRICT",
    "TOL_ABS",
    "add_totals",
    "advance",
    "after_assign",
    "assign_range",
    "compile_kernels",
    "first_range",
    "half_gaps",
    "lloyd_run",
    "total_inertia",
]

# Indices into ``reals`` (float64) and ``ints`` (int64).
TOL_ABS, MARGIN = 0, 1
N_ITER, CHANGED, STRICT, CONVERGED, LOCKED, MAX_ITER = 0, 1, 2, 3, 4, 5

# What :func:`advance` asks for next.
STOP, ASSIGN, ASSIGN_AND_STOP = 0, 1, 2


@njit(**KERNEL)
def add_totals(partial_weight, partial_sums, partial_members, weight, sums, members, fresh):
    """Add the blocks' partial totals, in block order, to the cluster totals (set afresh
    with ``fresh``, else changed by them; an emptied cluster then holds exactly nothing)."""
    if fresh:
        weight[:] = 0.0
        sums[:] = 0.0
        members[:] = 0
    for block in range(partial_weight.shape[0]):
        weight += partial_weight[block]
        sums += partial_sums[block]
        members += partial_members[block]
    if not fresh:
        for j in range(weight.shape[0]):
            if members[j] == 0:
                weight[j] = 0.0
                sums[j] = 0.0


@njit(**KERNEL)
def half_gaps(C):
    """Half the distance from each centre to its nearest other one (inf for a lone centre)."""
    k = C.shape[0]
    out = np.full(k, np.inf)
    for a in range(k):
        for b in range(k):
            if a != b:
                total = 0.0
                for f in range(C.shape[1]):
                    diff = C[a, f] - C[b, f]
                    total += diff * diff
                out[a] = min(out[a], 0.5 * np.sqrt(total))
    return out


@njit(**KERNEL)
def _relocate_empty(X, w, C, labels, upper, lower, weight, sums, members, locked):
    """Each empty free cluster takes the point farthest from its centre (positive weight;
    the farthest first, ties to the lower index), in increasing order of cluster."""
    k, d = C.shape
    n_empty = 0
    for j in range(locked, k):
        if members[j] == 0:
            n_empty += 1
    if n_empty == 0:
        return
    far = np.empty(X.shape[0])
    for i in range(X.shape[0]):
        far[i] = -1.0
        if w[i] > 0:
            total = 0.0
            for f in range(d):
                diff = X[i, f] - C[labels[i], f]
                total += diff * diff
            far[i] = total
    for j in range(locked, k):
        if members[j] != 0:
            continue
        i = np.argmax(far)
        far[i] = -np.inf
        old = labels[i]
        weight[old] -= w[i]
        weight[j] += w[i]
        for f in range(d):
            sums[old, f] -= w[i] * X[i, f]
            sums[j, f] += w[i] * X[i, f]
        members[old] -= 1
        members[j] += 1
        labels[i] = j
        upper[i] = np.inf  # its bounds no longer hold: examine it again
        lower[i] = -np.inf


@njit(**KERNEL)
def advance(X, w, C, labels, upper, lower, moved, weight, sums, members, reals, ints, shift):
    """Move the centres to their clusters' weighted means and decide what comes next.

    An empty free cluster first takes the point farthest from its centre;
    the first ``ints[LOCKED]`` centres never move. Stopping follows
    scikit-learn's Lloyd: :data:`STOP` when no label changed in the last
    assignment (after the first iteration), :data:`ASSIGN_AND_STOP` (refresh
    the labels once more) when the summed squared shift is at most
    ``reals[TOL_ABS]`` or the iterations reach ``ints[MAX_ITER]``, else
    :data:`ASSIGN`. Before an assignment the shifts are added to the
    bounds' bookkeeping: ``moved[0, j]``, centre j's own shifts, and
    ``moved[1, j]``, each iteration's largest shift among the other centres
    (the most any centre but j came closer to a point of j's cluster).
    """
    k, d = C.shape
    locked = ints[LOCKED]
    _relocate_empty(X, w, C, labels, upper, lower, weight, sums, members, locked)
    squared = 0.0
    largest = 0.0
    runner_up = 0.0
    fastest = 0
    for j in range(k):
        total = 0.0
        if j >= locked and members[j] > 0:
            for f in range(d):
                mean = sums[j, f] / weight[j]
                diff = mean - C[j, f]
                total += diff * diff
                C[j, f] = mean
        shift[j] = np.sqrt(total)
        squared += shift[j] * shift[j]
        if shift[j] > largest:
            runner_up, largest, fastest = largest, shift[j], j
        else:
            runner_up = max(runner_up, shift[j])
    ints[N_ITER] += 1
    if ints[N_ITER] > 1 and ints[CHANGED] == 0:
        ints[STRICT] = 1
        ints[CONVERGED] = 1
        return STOP
    if squared <= reals[TOL_ABS]:
        ints[CONVERGED] = 1
        action = ASSIGN_AND_STOP
    elif ints[N_ITER] < ints[MAX_ITER]:
        action = ASSIGN
    else:
        action = ASSIGN_AND_STOP
    for j in range(k):
        moved[0, j] += shift[j]
        moved[1, j] += runner_up if j == fastest else largest
    return action


@njit(**KERNEL)
def first_range(X, w, CT, labels, upper, lower, partials, block_rows, first, last):
    """The first assignment of blocks ``first:last`` (labels, bounds, each block's totals)."""
    partial_weight, partial_sums, partial_members = partials
    n = X.shape[0]
    for block in range(first, last):
        start = block * block_rows
        assign_block(
            X, w, CT, start, min(start + block_rows, n), labels, upper, lower,
            partial_weight[block], partial_sums[block], partial_members[block],
        )  # fmt: skip


@njit(**KERNEL)
def assign_range(X, w, CT, moved, gaps, margin, labels, upper, lower, partials, block_rows, first, last, changed):
    """Hamerly's assignment of blocks ``first:last``; ``changed[block]``: how many of its points
    changed label (each block's totals hold their change)."""
    partial_weight, partial_sums, partial_members = partials
    n = X.shape[0]
    for block in range(first, last):
        start = block * block_rows
        changed[block] = hamerly_block(
            X, w, CT, moved, gaps, margin, start, min(start + block_rows, n),
            labels, upper, lower, partial_weight[block], partial_sums[block], partial_members[block],
        )  # fmt: skip


@njit(**KERNEL)
def after_assign(partials, weight, sums, members, ints, changed):
    """Set ``ints[CHANGED]`` from the blocks' counts, and add their change to the totals."""
    ints[CHANGED] = 1 if changed.sum() else 0
    if ints[CHANGED]:
        add_totals(partials[0], partials[1], partials[2], weight, sums, members, False)


@njit(**KERNEL)
def lloyd_run(X, w, C, labels, upper, lower, moved, weight, sums, members, reals, ints, shift, partials, block_rows):
    """The whole of a Lloyd run on one thread, from the centres ``C`` (updated in place)."""
    blocks = partials[0].shape[0]
    first_range(X, w, np.ascontiguousarray(C.T), labels, upper, lower, partials, block_rows, 0, blocks)
    add_totals(partials[0], partials[1], partials[2], weight, sums, members, True)
    changed = np.zeros(blocks, dtype=np.int64)
    while True:
        action = advance(X, w, C, labels, upper, lower, moved, weight, sums, members, reals, ints, shift)
        if action == STOP:
            break
        assign_range(
            X, w, np.ascontiguousarray(C.T), moved, half_gaps(C), reals[MARGIN],
            labels, upper, lower, partials, block_rows, 0, blocks, changed,
        )  # fmt: skip
        after_assign(partials, weight, sums, members, ints, changed)
        if action == ASSIGN_AND_STOP:
            break


@njit(**KERNEL)
def total_inertia(X, w, C, labels, block_rows):
    """Sum over points of weight times squared distance to its centre, block by block in order."""
    n = X.shape[0]
    total = 0.0
    for start in range(0, n, block_rows):
        total += inertia_block(X, w, C, labels, start, min(start + block_rows, n))
    return total


def compile_kernels() -> None:
    """Compile (or load from the on-disk cache) every kernel, on a tiny problem."""
    X = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [5.0, 0.0, 0.0]])
    w = np.ones(3)
    C = np.array([[0.0, 0.0, 0.0], [5.0, 0.0, 0.0]])
    labels = np.zeros(3, dtype=np.intp)
    upper, lower = np.zeros(3), np.zeros(3)
    weight, sums, members = np.zeros(2), np.zeros((2, 3)), np.zeros(2, dtype=np.int64)
    partials = (np.zeros((1, 2)), np.zeros((1, 2, 3)), np.zeros((1, 2), dtype=np.int64))
    reals = np.array([0.0, 1e-6])
    ints = np.array([0, 1, 0, 0, 0, 300], dtype=np.int64)
    moved = np.zeros((2, 2))
    lloyd_run(X, w, C, labels, upper, lower, moved, weight, sums, members, reals, ints, np.zeros(2), partials, 2)
    add_totals(*partials, weight, sums, members, True)
    advance(X, w, C, labels, upper, lower, moved, weight, sums, members, reals, ints, np.zeros(2))
    half_gaps(C)
    total_inertia(X, w, C, labels, 2)
    changed = np.zeros(1, dtype=np.int64)
    CT = np.ascontiguousarray(C.T)
    first_range(X, w, CT, labels, upper, lower, partials, 2, 0, 1)
    assign_range(X, w, CT, moved, half_gaps(C), 1e-6, labels, upper, lower, partials, 2, 0, 1, changed)
    after_assign(partials, weight, sums, members, ints, changed)
