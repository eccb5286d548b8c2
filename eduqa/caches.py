"""The per-process caches a fresh notebook must not see.

:mod:`eduqa.project.papermill_runner` runs several notebooks one after another in one process; before each it
calls :func:`forget_all`, which empties every cache a module registered here (e.g. the seasons
:mod:`eduqa.project.season` has opened), so that a notebook reads its data as a new kernel would. This
module imports nothing, so that the notebook runner need not import what it clears.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["register", "forget_all"]

_FORGET: list[Callable[[], None]] = []


def register(forget: Callable[[], None]) -> Callable[[], None]:
    """Have :func:`forget_all` call ``forget`` (once, however often it is registered);
    returns it, so that it can decorate the function."""
    if forget not in _FORGET:
        _FORGET.append(forget)
    return forget


def forget_all() -> None:
    """Empty every registered cache, in the order they were registered."""
    for forget in _FORGET:
        forget()
