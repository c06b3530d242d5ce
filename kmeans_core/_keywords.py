"""Functions that pass their options on: the keyword-only options written once.

Two public functions that take the same options (the two palette finders,
the LUT and its ``.cube``) declare them once, on the function that does the
work. The others take ``**options`` and show that function's keyword-only
parameters in their own signature (:func:`takes_keywords_of`), so that
``help()``, ``inspect.signature`` and editors see every option with its
default, and a keyword that is not one of them is refused under the public
function's own name, as Python refuses it for a written-out signature.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TypeVar

__all__ = ["takes_keywords_of"]

_F = TypeVar("_F", bound=Callable)


def takes_keywords_of(source: Callable) -> Callable[[_F], _F]:
    """A decorator for a function whose ``**options`` are ``source``'s keyword-only parameters.

    Parameters
    ----------
    source : callable
        The function the options are passed on to; its keyword-only
        parameters, with their defaults and annotations, are the options.

    Returns
    -------
    callable
        Takes the function and returns it wrapped: its signature lists its
        own positional parameters, then ``source``'s keyword-only ones, then
        its own keyword-only ones; a call with any other keyword raises
        ``TypeError``.
    """
    offered = [p for p in inspect.signature(source).parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]

    def adopt(func: _F) -> _F:
        own = inspect.signature(func)
        positional = [p for p in own.parameters.values() if p.kind < inspect.Parameter.VAR_POSITIONAL]
        keywords = [p for p in own.parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]
        known = frozenset(p.name for p in offered + keywords)

        @functools.wraps(func)
        def checked(*args, **kwargs):
            unknown = sorted(kwargs.keys() - known)
            if unknown:
                raise TypeError(f"{func.__name__}() got an unexpected keyword argument {unknown[0]!r}")
            return func(*args, **kwargs)

        checked.__signature__ = own.replace(parameters=[*positional, *offered, *keywords])
        return checked  # type: ignore[return-value]

    return adopt
