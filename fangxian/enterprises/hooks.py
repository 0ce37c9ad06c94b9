"""Placing a worker under quarantine or health monitoring in one step: a registry.

Enterprises sit below quarantine and must not import it. The quarantine app registers a
handler at start-up (its AppConfig.ready):

    from fangxian.enterprises.hooks import register_placement_handler
    register_placement_handler(place_worker)

`handler(actor=…, person=…, kind=…, reason=…, basis=…)` places the person (kind is
WorkerPlacement.Kind: "quarantine" or "monitoring") inside the caller's transaction and returns
a short reference to what it made (e.g. "quarantine.QuarantineOrder:12"), or raises
ValidationError to refuse (the message is shown and nothing is recorded). With no handler
registered the request is recorded as REQUESTED, for the quarantine team to act on, and the
enterprise page says so.
"""

from collections.abc import Callable
from typing import Any

PlacementHandler = Callable[..., str]

_handler: list[PlacementHandler] = []


def register_placement_handler(fn: PlacementHandler) -> PlacementHandler:
    """Set the one handler (a second registration replaces the first: one quarantine app)."""
    _handler[:] = [fn]
    return fn


def unregister_placement_handler() -> None:
    _handler.clear()


def placement_handler() -> PlacementHandler | None:
    return _handler[0] if _handler else None


def place(**kwargs: Any) -> str | None:
    """Call the registered handler; None when there is none."""
    handler = placement_handler()
    return handler(**kwargs) if handler is not None else None
