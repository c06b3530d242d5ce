"""Validation at the store's public boundary: every value a page passes in.

Each check returns the clean value or raises :class:`~store.errors.StoreError`
with a message that echoes the bad value (shortened). Names are cleaned rather
than refused: control characters become spaces and runs of spaces collapse,
so a name is always one printable line of text.
"""

from __future__ import annotations

import json
import math
import numbers
import re
import unicodedata
from typing import Any

from kmeans_core.hexcodes import parse_hex_colors, to_hex
from store.errors import StoreError
from store.limits import MAX_COLOURS, MAX_JSON_BYTES, MAX_NAME, MAX_NOTE

__all__ = [
    "check_digest",
    "check_hex_code",
    "check_hex_codes",
    "check_id",
    "check_json_object",
    "check_note",
    "check_shares",
    "clean_name",
    "is_token",
]

_DIGEST = re.compile(r"[0-9a-f]{64}")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")
#: How far the shares of a palette may sum from 1.
_SHARE_SUM_TOLERANCE = 1e-6


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def clean_name(value: Any, *, what: str) -> str:
    """One printable line of at most :data:`MAX_NAME` characters, not empty.

    Parameters
    ----------
    value : str
    what : str
        What is named (``"project"``, ``"still"``...), for the message.
    """
    if not isinstance(value, str):
        raise StoreError(f"a {what} name must be text, got {type(value).__name__}: {_shown(value)}")
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in value)
    text = " ".join(text.split())[:MAX_NAME].strip()
    if not text:
        raise StoreError(f"a {what} name must not be empty, got {_shown(value)}")
    return text


def check_note(value: Any) -> str:
    """Free text of at most :data:`MAX_NOTE` characters; new lines and tabs stay."""
    if not isinstance(value, str):
        raise StoreError(f"a note must be text, got {type(value).__name__}: {_shown(value)}")
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in value).strip()
    if len(text) > MAX_NOTE:
        raise StoreError(f"a note may hold {MAX_NOTE} characters; this one has {len(text)}")
    return text


def check_json_object(value: Any, *, what: str) -> str:
    """A dict of JSON values, encoded canonically (sorted keys), at most :data:`MAX_JSON_BYTES`."""
    if not isinstance(value, dict):
        raise StoreError(f"{what} must be a dict, got {type(value).__name__}: {_shown(value)}")
    try:
        text = json.dumps(value, sort_keys=True, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError) as error:
        raise StoreError(
            f"{what} must hold only JSON values (text, finite numbers, true/false, null, lists, "
            f"dicts with text keys): {error}"
        ) from None
    size = len(text.encode("utf-8"))
    if size > MAX_JSON_BYTES:
        raise StoreError(f"{what} take {size} bytes as JSON; the most is {MAX_JSON_BYTES}")
    return text


def check_digest(value: Any) -> str:
    """A SHA-256 digest as 64 lower-case hex digits."""
    if not isinstance(value, str) or _DIGEST.fullmatch(value) is None:
        raise StoreError(f"{_shown(value)} is not a still digest (64 lower-case hex digits)")
    return value


def check_id(value: Any, *, what: str) -> int:
    """A database id: a positive integer."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
        raise StoreError(f"a {what} id must be a positive integer, got {_shown(value)}")
    return int(value)


def is_token(value: Any) -> bool:
    """Whether ``value`` could be one of our tokens (URL-safe text, 16 to 128 characters)."""
    return isinstance(value, str) and _TOKEN.fullmatch(value) is not None


def check_hex_code(value: Any) -> str:
    """One colour code (``#RRGGBB``, ``RRGGBB`` or ``#RGB``) as upper-case ``#RRGGBB``."""
    if not isinstance(value, str):
        raise StoreError(f"a colour must be a hex code like '#C04020', got {_shown(value)}")
    try:
        rgb = parse_hex_colors(value)
    except ValueError as error:
        raise StoreError(str(error)) from None
    if len(rgb) != 1:
        raise StoreError(f"{_shown(value)} must be one hex colour code like '#C04020'")
    return to_hex(rgb)[0]


def check_hex_codes(values: Any) -> tuple[str, ...]:
    """1 to :data:`MAX_COLOURS` colour codes, each as upper-case ``#RRGGBB``."""
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise StoreError(f"hex codes must be a list of codes like ['#C04020'], got {_shown(values)}")
    if not 1 <= len(values) <= MAX_COLOURS:
        raise StoreError(f"a palette holds 1 to {MAX_COLOURS} colours, got {len(values)}")
    return tuple(check_hex_code(value) for value in values)


def check_shares(values: Any, *, count: int) -> tuple[float, ...] | None:
    """``None``, or ``count`` finite shares from 0 to 1 that sum to 1."""
    if values is None:
        return None
    if isinstance(values, str) or not hasattr(values, "__len__"):
        raise StoreError(f"shares must be a list of numbers, got {_shown(values)}")
    if len(values) != count:
        raise StoreError(f"{len(values)} shares given for {count} colours")
    shares = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= float(value) <= 1.0:
            raise StoreError(f"share {_shown(value)} must be a number from 0 to 1")
        shares.append(float(value))
    if not math.isclose(math.fsum(shares), 1.0, abs_tol=_SHARE_SUM_TOLERANCE):
        raise StoreError(f"shares must sum to 1, these sum to {math.fsum(shares):.6g}")
    return tuple(shares)
