"""colour-science for the tests that check our colours against it, imported once without its warning.

colour-science warns on import that matplotlib is missing (its plotting is
not used here); import ``colour`` from this module instead.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import colour
    from colour.algebra import table_interpolation_tetrahedral, table_interpolation_trilinear

__all__ = ["colour", "table_interpolation_tetrahedral", "table_interpolation_trilinear"]
