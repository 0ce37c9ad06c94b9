"""Reading the audit trail: the operation log, the login log and login throttling."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from fangxian.audit.models import AuditEntry
from fangxian.regions.scope import scope_q


def login_failures_since(
    *, username: str = "", ip_address: str | None = None, since: datetime
) -> dict[str, int]:
    """Failed logins since `since` for this username and for this address (two indexed counts)."""
    failures = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED, at__gte=since)
    return {
        "username": failures.filter(username=username).count() if username else 0,
        "ip": failures.filter(ip_address=ip_address).count() if ip_address else 0,
    }


def audit_log(
    *,
    scope_paths: list[str] | None,
    scope_users: QuerySet | None,
    actor_id: int | None = None,
    person_id: int | None = None,
    action: str = "",
    day_from: date | None = None,
    day_to: date | None = None,
    logins: bool = False,
) -> QuerySet[AuditEntry]:
    """Entries an auditor may read: those about their regions, and those (logins included) of
    users who work in their regions. `scope_paths=None` reads everything."""
    entries = AuditEntry.objects.select_related("actor", "region")
    if scope_paths is not None:
        in_scope = (
            scope_q(AuditEntry, scope_paths)
            | Q(region__isnull=True, actor__in=scope_users.values("pk"))
            # Failed and refused logins name an account but have no actor: match by username.
            | Q(actor__isnull=True, username__in=scope_users.values("username"))
        )
        entries = entries.filter(in_scope)
    kinds = Q(action__in=AuditEntry.LOGIN_ACTIONS)
    entries = entries.filter(kinds) if logins else entries.exclude(kinds)
    tz = timezone.get_current_timezone()
    if actor_id:
        entries = entries.filter(actor_id=actor_id)
    if person_id:
        entries = entries.filter(person_id=person_id)
    if action:
        entries = entries.filter(action=action)
    if day_from:
        entries = entries.filter(at__gte=datetime.combine(day_from, time.min, tz))
    if day_to:
        entries = entries.filter(at__lt=datetime.combine(day_to + timedelta(days=1), time.min, tz))
    return entries
