"""The client of the current request, so services can record "from where" without a request."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Client:
    ip_address: str | None = None
    user_agent: str = ""


current_client: ContextVar[Client] = ContextVar("current_client", default=Client())  # noqa: B039 (frozen, so immutable)
