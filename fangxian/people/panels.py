"""Panels that other apps add to a person's page (screening: the person's trips).

Arrows point one way: people never imports the apps above it. An app registers a panel at
start-up (its AppConfig.ready) with `register_person_panel(fn)`; `fn(request, person)` returns
(template name, context) for the panel, or None to show nothing (e.g. without the capability).
The person has already been read through the scope, so a panel only narrows further.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

PersonPanel = Callable[[HttpRequest, Any], tuple[str, dict[str, Any]] | None]

_panels: list[PersonPanel] = []


def register_person_panel(fn: PersonPanel) -> PersonPanel:
    """Add a panel at the bottom of the person's page, in the order of registration. Registering
    the same function twice (a second ready() in tests) adds it once. Usable as a decorator."""
    if fn not in _panels:
        _panels.append(fn)
    return fn


def person_panels(request: HttpRequest, person: Any) -> list[tuple[str, dict[str, Any]]]:
    """The panels to render for this request and person: (template name, context) each."""
    return [panel for fn in _panels if (panel := fn(request, person)) is not None]
