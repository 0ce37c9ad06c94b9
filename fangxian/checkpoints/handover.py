"""Hand-over for quarantine (移交隔离): the hook a higher app registers with.

Checkpoints sit below quarantine and never import it. A passage decided `handed_over` carries the
destination village and the reason; after the passage commits, every registered handler is called
with it. The quarantine app registers `on_handover(passage)` in `QuarantineConfig.ready()` to start
a pending quarantine order for the village of destination (it needs a second person's approval
there, like every order from a list). With or without a handler the passage is recorded, and the
village's grid workers find the hand-over among their notices.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction

HandoverHandler = Callable[[Any], None]

_handlers: list[HandoverHandler] = []


def register_handover_handler(fn: HandoverHandler) -> HandoverHandler:
    """Called from an app's ready(); registering the same function twice adds it once."""
    if fn not in _handlers:
        _handlers.append(fn)
    return fn


def unregister_handover_handler(fn: HandoverHandler) -> None:
    if fn in _handlers:
        _handlers.remove(fn)


def handover_after_commit(passage: Any) -> None:
    """Call every handler with `passage` once the current transaction commits."""

    def run() -> None:
        for fn in _handlers:
            fn(passage)

    transaction.on_commit(run)
