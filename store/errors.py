"""The errors the store raises: one :class:`StoreError` family with plain messages.

Every failure a page can meet (a bad name, a limit reached, a read-only link, a
database that cannot be opened, a hostile backup file) is a :class:`StoreError`
whose message can be shown to the user as it is. They subclass ``ValueError``
so that callers validating input can catch them with everything else.
"""

from __future__ import annotations

__all__ = ["LimitError", "ReadOnlyError", "StoreError"]


class StoreError(ValueError):
    """The store could not do what was asked; the message says why, plainly."""


class ReadOnlyError(StoreError):
    """A change was asked through a read-only (view) link."""


class LimitError(StoreError):
    """A change would take a project past one of its limits."""
