"""Sections that other apps add to the home page: a worker's tasks for the day come first.

Like panels.py: people never imports the apps above it. An app registers a section at start-up
(its AppConfig.ready) with `register_home_section(fn)`; `fn(request)` returns (template name,
context) to show at the top of the home page, or None (nothing to do today, or no capability).
The template gets the context as `section`; `people/_home_section.html` renders the common kind
({"title", "items": [(text, url)], "empty", "more_url"}).
With no section to show and one region in scope, home goes straight to that region's page.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

HomeSection = Callable[[HttpRequest], tuple[str, dict[str, Any]] | None]

_sections: list[HomeSection] = []


def register_home_section(fn: HomeSection) -> HomeSection:
    """Add a section, in the order of registration (once, however often ready() runs)."""
    if fn not in _sections:
        _sections.append(fn)
    return fn


def home_sections(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    return [section for fn in _sections if (section := fn(request)) is not None]
