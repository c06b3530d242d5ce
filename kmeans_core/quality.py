"""How faithful a quantized frame is: CIEDE2000 colour difference and PSNR.

A CIEDE2000 difference of about 1 is barely visible; above about 2.3 most
people see it. The mean and the 95th percentile over the counted pixels are
the headline figures; PSNR in sRGB is a secondary one.

The work is done per distinct (original, quantized) colour pair, weighted by
its pixel count, which gives exactly the per-pixel figures far faster.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from skimage.color import deltaE_ciede2000

from kmeans_core.colorspace import rgb_to_space
from kmeans_core.histogram import pack_rgb, unpack_rgb
from kmeans_core.still import Still

__all__ = ["Quality", "delta_e", "frame_quality", "weighted_percentile"]


@dataclass(frozen=True)
class Quality:
    """Difference between a still and its quantized frame.

    Attributes
    ----------
    mean : float
        Mean CIEDE2000 over the counted pixels.
    p95 : float
        95th percentile of CIEDE2000: 95% of the counted pixels differ by
        at most this much.
    psnr : float
        Peak signal-to-noise ratio in 8-bit sRGB, in dB (inf when equal).
    """

    mean: float
    p95: float
    psnr: float


def frame_quality(still: Still, quantized: np.ndarray) -> Quality:
    """How faithful a recoloured frame of the same size is: CIEDE2000 and PSNR.

    Parameters
    ----------
    still : Still
    quantized : ndarray of shape (h, w, 3) or (h, w, 4), uint8
        For example from :func:`kmeans_core.quantize`; alpha is ignored and
        only the still's counted pixels are compared.

    Returns
    -------
    Quality
    """
    quantized = np.asarray(quantized)
    h, w = still.shape
    if quantized.dtype != np.uint8 or quantized.shape[:2] != (h, w) or quantized.ndim != 3 or quantized.shape[2] < 3:
        raise ValueError(
            f"quantized must be a ({h}, {w}, 3) uint8 frame like the still, got {quantized.shape} {quantized.dtype}"
        )
    hist = still.histogram
    inverse = hist.inverse
    counted = inverse >= 0
    target = pack_rgb(quantized[:, :, :3]).reshape(-1)
    source_index = inverse[counted] if still.alpha is not None else inverse
    target = target[counted] if still.alpha is not None else target

    # Fast path: every pixel of one colour became the same colour.
    per_color = np.zeros(len(hist.colors), dtype=np.int32)
    per_color[source_index] = target
    if np.array_equal(per_color[source_index], target):
        original, recoloured, weight = hist.colors, unpack_rgb(per_color), hist.counts
    else:
        pairs = source_index.astype(np.int64) << 24 | target.astype(np.int64)
        unique_pairs, weight = np.unique(pairs, return_counts=True)
        original = hist.colors[unique_pairs >> 24]
        recoloured = unpack_rgb(unique_pairs & 0xFFFFFF)
    return _weighted_quality(original, recoloured, weight.astype(np.float64))


#: The former name of :func:`frame_quality`, kept so that scripts written
#: against it keep working.
delta_e = frame_quality


def weighted_percentile(values: np.ndarray, weight: np.ndarray, q: float, *, order: np.ndarray | None = None) -> float:
    """The smallest value at or below which a fraction ``q`` of the weight lies.

    Parameters
    ----------
    values, weight : ndarray of shape (m,)
        Clean input: finite values, non-negative weights with a positive sum.
    q : float
        From 0 to 1 (0.95 for the 95th percentile).
    order : ndarray of shape (m,), optional
        ``np.argsort(values, kind="stable")``, when the caller has it: many
        weightings of the same values (the stills of a scene over the
        scene's colours) then need no sort each. Zero weights change nothing.

    Returns
    -------
    float
    """
    if order is None:
        order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weight[order])
    return float(values[order][np.searchsorted(cumulative, q * weight.sum(), side="left")])


def _weighted_quality(original: np.ndarray, recoloured: np.ndarray, weight: np.ndarray) -> Quality:
    de = deltaE_ciede2000(rgb_to_space(original, "lab"), rgb_to_space(recoloured, "lab"))
    total = weight.sum()
    mean = float(weight @ de / total)
    p95 = weighted_percentile(de, weight, 0.95)
    diff = original.astype(np.float64) - recoloured.astype(np.float64)
    mse = float(weight @ np.einsum("ij,ij->i", diff, diff)) / (3.0 * total)
    psnr = float("inf") if mse == 0 else float(10.0 * np.log10(255.0**2 / mse))
    return Quality(mean=mean, p95=p95, psnr=psnr)
