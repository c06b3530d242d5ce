"""k-means at work: the centres and the inertia after every Lloyd iteration.

:func:`kmeans_trace` runs the same weighted k-means as
:func:`kmeans_core.extract_palette` (one initialization, no median
refinement) and keeps every step, from the first assignment (the colours
assigned to the initial centres) to convergence, so that a viewer can watch
the palette settle: redraw the frame at any step with
``quantize(still, trace.palette(step))``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kmeans_core._validation import check_int, check_number, check_seed
from kmeans_core.colorspace import check_space, rgb_to_space, space_to_rgb
from kmeans_core.hexcodes import to_hex
from kmeans_core.lloyd import LloydStep, kmeans
from kmeans_core.palette import ORDERS, Palette, check_k_colors, check_start, check_still
from kmeans_core.still import Still

__all__ = ["KMeansTrace", "kmeans_trace"]


@dataclass(frozen=True, eq=False)
class KMeansTrace:
    """Every step of one weighted k-means run on a still's colours.

    Step 0 is the first assignment: the initial centres, with each colour
    assigned to its nearest one. Step i is the state after i iterations; the
    last step is the result of :func:`kmeans_core.kmeans` with the same
    settings (``n_init=1``).

    Attributes
    ----------
    centers : tuple of ndarray of shape (k, 3), float64
        The centres of each step, in ``space``; cluster j is row j throughout.
    inertia : ndarray of shape (n_steps,), float64
        The k-means objective of each step (each colour counted at its
        nearest centre); it never rises.
    weights : ndarray of shape (n_steps, k), float64
        The pixels assigned to each centre at each step.
    space : {"lab", "oklab", "rgb"}
    init : {"k-means++", "random", "manual"}
    seed : int or None
    seed_colors : tuple of str
        The manual seed colours as hex codes (empty otherwise).
    converged : bool
        Whether the run converged before ``max_iter``.
    """

    centers: tuple[np.ndarray, ...]
    inertia: np.ndarray
    weights: np.ndarray
    space: str
    init: str
    seed: int | None
    seed_colors: tuple[str, ...]
    converged: bool

    @property
    def n_iter(self) -> int:
        """Iterations run: the number of steps less one."""
        return len(self.centers) - 1

    @property
    def rgb(self) -> tuple[np.ndarray, ...]:
        """The centres of each step as uint8 sRGB colours, shape (k, 3) each."""
        return tuple(space_to_rgb(centers, self.space) for centers in self.centers)

    def palette(self, step: int = -1, *, order: str = "share") -> Palette:
        """The palette of one step (default the last), for :func:`kmeans_core.quantize`.

        Its shares are the pixels assigned to each centre at that step, its
        inertia the step's inertia.

        Parameters
        ----------
        step : int, default -1
            From 0 (the first assignment) to :attr:`n_iter`; negative counts
            from the end.
        order : {"share", "hue", "lightness"}, default "share"

        Returns
        -------
        Palette
        """
        n_steps = len(self.centers)
        if not isinstance(step, (int, np.integer)) or isinstance(step, bool) or not -n_steps <= step < n_steps:
            raise ValueError(f"step={step!r} must be an integer from {-n_steps} to {n_steps - 1}")
        if order not in ORDERS:
            raise ValueError(f"order={order!r} must be one of {ORDERS}")
        weights = self.weights[step]
        palette = Palette(
            rgb=space_to_rgb(self.centers[step], self.space),
            shares=weights / weights.sum(),
            inertia=float(self.inertia[step]),
            space=self.space,
            init=self.init,
            seed=self.seed,
            seed_colors=self.seed_colors,
            refine="none",
        )
        return palette.sorted(order)


def kmeans_trace(
    still: Still,
    k: int,
    *,
    space: str = "lab",
    init="k-means++",
    seed: int | None = 0,
    max_iter: int = 300,
    tol: float = 1e-4,
) -> KMeansTrace:
    """Run weighted k-means on a still's colours and keep every step.

    Parameters
    ----------
    still : Still
    k : int
        From 1 to the number of distinct colours.
    space : {"lab", "oklab", "rgb"}, default "lab"
    init : {"k-means++", "random"}, or k seed colours
        As for :func:`kmeans_core.extract_palette`.
    seed : int or None, default 0
    max_iter, tol
        As for :func:`kmeans_core.kmeans`.

    Returns
    -------
    KMeansTrace
        Its last step equals ``kmeans(rgb_to_space(colors, space), k,
        sample_weight=counts, init=..., seed=seed, n_init=1)`` exactly:
        the same centres and inertia.

    Raises
    ------
    ValueError
        For a bad parameter, with the value in the message.
    """
    check_still(still)
    check_space(space)
    k = check_int("k", k, low=1)
    check_k_colors(k, still.n_colors, "this still")
    check_int("max_iter", max_iter, low=1)
    check_number("tol", tol)
    check_seed(seed)
    seed_rgb = check_start(init, k)
    hist = still.histogram
    X = rgb_to_space(hist.colors, space)
    start = init if seed_rgb is None else rgb_to_space(seed_rgb, space)
    steps: list[LloydStep] = []
    result = kmeans(
        X, k, sample_weight=hist.counts, init=start, seed=seed, max_iter=max_iter, tol=tol, callback=steps.append
    )
    return KMeansTrace(
        centers=tuple(step.centers for step in steps),
        inertia=np.array([step.inertia for step in steps]),
        weights=np.array([step.weights for step in steps]),
        space=space,
        init=init if seed_rgb is None else "manual",
        seed=seed,
        seed_colors=() if seed_rgb is None else to_hex(seed_rgb),
        converged=result.converged,
    )
