"""Showing untrusted text (file names, error messages) as plain text."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&\"'=])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def escape_markdown(text: str, *, limit: int = 600) -> str:
    """Escape ``text`` so that Streamlit's Markdown shows it literally.

    Control characters become spaces, the text is cut to ``limit``
    characters, and every Markdown or HTML punctuation mark is
    backslash-escaped, so ``<script>`` or ``[x](javascript:...)`` is shown,
    never rendered.
    """
    text = _CONTROL.sub(" ", str(text))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
