"""``python -m kmeans_core``: see :mod:`kmeans_core.cli`."""

import sys

from kmeans_core.cli import main

if __name__ == "__main__":
    sys.exit(main())
