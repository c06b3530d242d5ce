from __future__ import annotations
__all__ = ["ImportedPalette", "read_palette"]
ImportedPalette = read_palette = None
