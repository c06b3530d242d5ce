"""Timecodes and durations as people write them.

Timecodes are written ``HH:MM:SS.mmm`` (milliseconds), which holds for any
frame rate, 23.976 and variable ones included; the frame numbers sit beside
them in ``shots.csv``.
"""

from __future__ import annotations

import math
import re

__all__ = ["parse_duration", "timecode"]

_DURATION = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|m|min|h)?\s*")
_UNIT_SECONDS = {None: 1.0, "s": 1.0, "ms": 0.001, "m": 60.0, "min": 60.0, "h": 3600.0}


def timecode(seconds: float) -> str:
    """``seconds`` as ``HH:MM:SS.mmm``, rounded to the millisecond.

    >>> timecode(3725.5)
    '01:02:05.500'
    """
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"seconds={seconds!r} must be a finite number >= 0")
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def parse_duration(text: str) -> float:
    """Seconds from ``"2s"``, ``"500ms"``, ``"1.5"`` (seconds), ``"1m"`` or ``"1h"``.

    Raises
    ------
    ValueError
        If the text is not a positive duration.
    """
    match = _DURATION.fullmatch(str(text))
    if match is None:
        raise ValueError(f"{text!r} is not a duration such as '2s', '500ms' or '1m'")
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if not seconds > 0:
        raise ValueError(f"{text!r} must be longer than 0 seconds")
    return seconds
