from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def capability_required(capability: str):
    """Log in first; without the capability anywhere the page does not exist (404)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_capability(capability):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
