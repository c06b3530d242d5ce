"""Conversion to 8-bit sRGB with an alpha mask.

Palette, greyscale, CMYK, CIELAB, 16-bit, 32-bit and floating-point images,
and images with an embedded ICC profile, all end as ``(h, w, 3)`` uint8 sRGB
pixels and an optional ``(h, w)`` uint8 alpha. Every conversion is noted in
plain words for the page.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageCms

__all__ = ["to_srgb"]

_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
_GREY_MODES = frozenset({"1", "L", "LA", "La"})


def to_srgb(image: Image.Image, notes: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """Convert any Pillow mode to (uint8 RGB pixels, uint8 alpha or None)."""
    mode = image.mode
    if mode.startswith("I;16") or mode in ("I", "F"):
        return _wide_grey_to_srgb(image, notes)
    has_alpha = mode in _ALPHA_MODES or "transparency" in image.info
    profile, description = _embedded_profile(image, notes)
    space = _profile_space(profile)
    if mode == "CMYK":
        if space == "CMYK":
            converted = _apply_profile(image, profile, "RGB")
            if converted is not None:
                notes.append(f"CMYK, converted to sRGB with its colour profile ({description}).")
                return np.asarray(converted), None
            notes.append("Its CMYK colour profile could not be applied and was ignored.")
        elif profile is not None:
            notes.append(f"Its colour profile ({description}) does not fit a CMYK image and was ignored.")
        notes.append(
            "CMYK without a usable colour profile, converted to sRGB with a simple formula; colours may be off."
        )
        return np.asarray(image.convert("RGB")), None
    if mode in _GREY_MODES:
        notes.append("Greyscale.")
    elif mode == "LAB":
        notes.append("CIELAB, converted to sRGB.")
    target = "RGBA" if has_alpha else "RGB"
    if mode != target:
        image = image.convert(target)
    if space == "RGB":
        if "srgb" not in description.lower():
            converted = _apply_profile(image, profile, target)
            if converted is None:
                notes.append(f"Its colour profile ({description}) could not be applied and was ignored.")
            else:
                notes.append(f"Converted from its colour profile ({description}) to sRGB.")
                image = converted
    elif profile is not None and not (space == "GRAY" and mode in _GREY_MODES):
        notes.append(f"Its colour profile ({description}) does not fit its colours and was ignored.")
    array = np.asarray(image)
    if target == "RGBA":
        return array[:, :, :3], array[:, :, 3]
    return array, None


def _wide_grey_to_srgb(image: Image.Image, notes: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """16-bit, 32-bit integer and floating-point greyscale to 8-bit grey RGB."""
    mode = image.mode
    try:
        values = np.asarray(image)
    except Exception:  # a mode NumPy has no view for
        values = np.asarray(image.convert("I"))
        mode = "I"
    alpha = None
    transparent = image.info.get("transparency")
    if isinstance(transparent, int) and not isinstance(transparent, bool):
        alpha = np.where(values == transparent, 0, 255).astype(np.uint8)
    values = values.astype(np.float64)
    if mode.startswith("I;16"):
        grey = values / 257.0
        notes.append("16-bit greyscale, reduced to 8 bits.")
    else:
        finite = values[np.isfinite(values)]
        low = float(finite.min()) if finite.size else 0.0
        high = float(finite.max()) if finite.size else 0.0
        if mode == "F" and low >= 0.0 and high <= 1.0:
            grey = values * 255.0
            notes.append("Floating-point greyscale (0 to 1), reduced to 8 bits.")
        elif low >= 0.0 and high <= 255.0:
            grey = values
            notes.append("Greyscale stored in wide numbers, read as 8 bits.")
        elif low >= 0.0 and high <= 65535.0:
            grey = values / 257.0
            notes.append("16-bit greyscale, reduced to 8 bits.")
        elif high > low:
            grey = (values - low) * (255.0 / (high - low))
            notes.append(f"Greyscale with values from {low:g} to {high:g}, stretched to 8 bits.")
        else:
            grey = np.zeros_like(values)
            notes.append(f"Greyscale with the single value {low:g}, shown as black.")
    grey = np.clip(np.rint(np.nan_to_num(grey, nan=0.0, posinf=255.0, neginf=0.0)), 0, 255).astype(np.uint8)
    return np.repeat(grey[:, :, None], 3, axis=2), alpha


def _embedded_profile(image: Image.Image, notes: list[str]) -> tuple[ImageCms.ImageCmsProfile | None, str]:
    icc = image.info.get("icc_profile")
    if not icc or not isinstance(icc, bytes):
        return None, ""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = " ".join((ImageCms.getProfileDescription(profile) or "").split())
    except Exception:  # a damaged profile: keep the values as they are
        notes.append("Its colour profile could not be read and was ignored.")
        return None, ""
    return profile, (description[:80] or "embedded")


def _profile_space(profile: ImageCms.ImageCmsProfile | None) -> str | None:
    if profile is None:
        return None
    try:
        return str(profile.profile.xcolor_space).strip().upper()
    except Exception:  # pragma: no cover - lcms always reports a colour space
        return None


def _apply_profile(image: Image.Image, profile: ImageCms.ImageCmsProfile, output_mode: str) -> Image.Image | None:
    """Convert to sRGB with lcms, or None when the profile does not work."""
    try:
        srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))  # per call: lcms handles are not shared
        return ImageCms.profileToProfile(image, profile, srgb, outputMode=output_mode)
    except Exception:
        return None
