"""kmeans_core: weighted k-means on a still's colour histogram, for palettes.

Pure NumPy (with Pillow for decoding and scikit-image for CIELAB); no
Streamlit. The data flow is ``load_still`` -> ``extract_palette`` ->
``quantize`` / ``delta_e`` / the exporters.
"""

from kmeans_core.choose_k import (
    DEFAULT_BIN_WIDTH,
    GAP_REFERENCES,
    KSweep,
    elbow_k,
    gap_k,
    gap_statistic,
    silhouette_k,
    sweep_k,
    sweep_points,
    weighted_silhouette,
)
from kmeans_core.colorspace import SPACES, rgb_to_space, space_to_rgb
from kmeans_core.exports import (
    EXPORTS,
    ExportFormat,
    export_filename,
    export_palette,
    palette_from_json,
    swatch_widths,
    to_ase,
    to_css,
    to_frame_png,
    to_gpl,
    to_hex_text,
    to_json,
    to_swatch_png,
)
from kmeans_core.hexcodes import check_seed_colors, parse_hex_colors, to_hex
from kmeans_core.histogram import ColorHistogram, color_histogram
from kmeans_core.lloyd import INITIALIZERS, KMeansResult, kmeans, kmeans_plusplus, nearest_centers
from kmeans_core.medians import refine_to_medians
from kmeans_core.palette import (
    DEFAULT_N_INIT,
    MEDIAN_STEPS,
    ORDERS,
    REFINEMENTS,
    Palette,
    extract_palette,
    palette_labels,
    quantize,
)
from kmeans_core.quality import Quality, delta_e
from kmeans_core.still import ACCEPTED_FORMATS, DEFAULT_MAX_PIXELS, Still, StillError, load_still, still_from_pixels

__all__ = [
    "DEFAULT_BIN_WIDTH",
    "GAP_REFERENCES",
    "KSweep",
    "elbow_k",
    "gap_k",
    "gap_statistic",
    "silhouette_k",
    "sweep_k",
    "sweep_points",
    "weighted_silhouette",
    "ACCEPTED_FORMATS",
    "DEFAULT_MAX_PIXELS",
    "DEFAULT_N_INIT",
    "INITIALIZERS",
    "MEDIAN_STEPS",
    "ORDERS",
    "REFINEMENTS",
    "SPACES",
    "ColorHistogram",
    "KMeansResult",
    "Palette",
    "Quality",
    "Still",
    "StillError",
    "check_seed_colors",
    "color_histogram",
    "delta_e",
    "extract_palette",
    "kmeans",
    "kmeans_plusplus",
    "load_still",
    "nearest_centers",
    "palette_labels",
    "parse_hex_colors",
    "quantize",
    "refine_to_medians",
    "rgb_to_space",
    "space_to_rgb",
    "still_from_pixels",
    "to_hex",
    "EXPORTS",
    "ExportFormat",
    "export_filename",
    "export_palette",
    "palette_from_json",
    "swatch_widths",
    "to_ase",
    "to_css",
    "to_frame_png",
    "to_gpl",
    "to_hex_text",
    "to_json",
    "to_swatch_png",
]
