import time

from django.conf import settings

REFRESHED_KEY = "_fx_refreshed"


class IdleSessionMiddleware:
    """End sessions after SESSION_COOKIE_AGE of inactivity without writing the session on every
    request: the expiry is pushed forward at most once a minute (SQLite has one writer)."""

    REFRESH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and getattr(request, "user", None) and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(REFRESHED_KEY, 0) >= min(
                self.REFRESH_EVERY, settings.SESSION_COOKIE_AGE
            ):
                session[REFRESHED_KEY] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)
