"""``python -m kmeans_core.film FILM -k 8 -o OUTDIR``: see :mod:`kmeans_core.film.cli`."""

from __future__ import annotations

import sys

from kmeans_core.film.cli import main

if __name__ == "__main__":
    sys.exit(main())
