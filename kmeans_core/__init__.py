"""kmeans_core: weighted k-means on a still's colour histogram, for palettes.

Pure NumPy (with Pillow for decoding and scikit-image for CIELAB); no
Streamlit. The data flow is ``load_still`` -> ``extract_palette`` ->
``quantize`` / ``frame_quality`` / the exporters.

Every public name of the modules below is available from the package itself;
the package's ``__all__`` is built from the modules' own, so it cannot drift.
The film pipeline (:mod:`kmeans_core.film`, which needs PyAV and Dask) is
imported on its own, so that importing the package stays light.
"""

import importlib

from kmeans_core.accents import *  # noqa: F403
from kmeans_core.borders import *  # noqa: F403
from kmeans_core.choose_k import *  # noqa: F403
from kmeans_core.cluster_result import *  # noqa: F403
from kmeans_core.coarse import *  # noqa: F403
from kmeans_core.colorspace import *  # noqa: F403
from kmeans_core.exports import *  # noqa: F403
from kmeans_core.hexcodes import *  # noqa: F403
from kmeans_core.histogram import *  # noqa: F403
from kmeans_core.kernel_cache import *  # noqa: F403
from kmeans_core.kmedians import *  # noqa: F403
from kmeans_core.kmedoids import *  # noqa: F403
from kmeans_core.linear_rgb import *  # noqa: F403
from kmeans_core.lloyd import *  # noqa: F403
from kmeans_core.lut import *  # noqa: F403
from kmeans_core.medians import *  # noqa: F403
from kmeans_core.methods import *  # noqa: F403
from kmeans_core.oklab import *  # noqa: F403
from kmeans_core.palette import *  # noqa: F403
from kmeans_core.palette_files import *  # noqa: F403
from kmeans_core.palette_links import *  # noqa: F403
from kmeans_core.pillow_quantizers import *  # noqa: F403
from kmeans_core.quality import *  # noqa: F403
from kmeans_core.region import *  # noqa: F403
from kmeans_core.scene import *  # noqa: F403
from kmeans_core.spherical import *  # noqa: F403
from kmeans_core.still import *  # noqa: F403
from kmeans_core.tonal import *  # noqa: F403
from kmeans_core.trace import *  # noqa: F403

_MODULES = (
    "accents",
    "borders",
    "choose_k",
    "cluster_result",
    "coarse",
    "colorspace",
    "exports",
    "hexcodes",
    "histogram",
    "kernel_cache",
    "kmedians",
    "kmedoids",
    "linear_rgb",
    "lloyd",
    "lut",
    "medians",
    "methods",
    "oklab",
    "palette",
    "palette_files",
    "palette_links",
    "pillow_quantizers",
    "quality",
    "region",
    "scene",
    "spherical",
    "still",
    "tonal",
    "trace",
)

__all__ = sorted({name for module in _MODULES for name in importlib.import_module(f"kmeans_core.{module}").__all__})
