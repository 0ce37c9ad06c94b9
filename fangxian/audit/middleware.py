from django.conf import settings

from fangxian.audit.context import Client, current_client


def client_address(request) -> str | None:
    """The caller's address; X-Forwarded-For is trusted only behind a configured proxy."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_client.set(
            Client(
                ip_address=client_address(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
            )
        )
        try:
            return self.get_response(request)
        finally:
            current_client.reset(token)
