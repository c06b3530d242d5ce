"""Links to the studio itself: the address of the app with a query, for sharing."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

__all__ = ["app_link"]

# The URL path of every page in pages/ ("3_Library.py" -> "Library"), to find the app's root.
_PAGE_PATHS = frozenset(
    path.stem.split("_", 1)[-1] for path in (Path(__file__).resolve().parent.parent / "pages").glob("*.py")
)


def app_link(**params: str) -> str:
    """The app's home address with these query parameters.

    The address is the one the browser used (``st.context.url``) with the
    page's own path taken off; where it is unknown (AppTest) the link is
    the query alone, such as ``?palette=1A2B3C``.
    """
    query = urlencode(params)
    address = st.context.url
    if not address:
        return f"?{query}"
    scheme, netloc, path, _, _ = urlsplit(address)
    parts = path.rstrip("/").split("/")
    if parts and parts[-1] in _PAGE_PATHS:
        parts = parts[:-1]
    return urlunsplit((scheme, netloc, "/".join(parts) + "/", query, ""))
