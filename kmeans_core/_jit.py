"""The options the package's compiled kernels share.

Every kernel is cached on disk, releases the GIL (the pool of threads runs
them side by side) and skips bounds checks. A helper that works on one
point, pixel or colour is inlined into the loop that calls it: called as a
function, its call costs more than its work (on the nearest-centre pass over
a photo's 70,000 colours, the helper called per point took six times as
long as inlined).
"""

from __future__ import annotations

__all__ = ["KERNEL", "PER_ITEM"]

#: Options of a kernel: a pass over arrays.
KERNEL = {"cache": True, "nogil": True, "boundscheck": False}

#: Options of a per-item helper, inlined into its callers.
PER_ITEM = {**KERNEL, "inline": "always"}
