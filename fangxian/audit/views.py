"""The operation log (操作日志) and login log, read by HQ and inspectors within their scope."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fangxian.audit.forms import AuditFilterForm
from fangxian.audit.selectors import audit_log
from fangxian.core.paging import keyset_page

VIEW_AUDIT_LOG = "view_audit_log"


def _users_in(paths: list[str] | None):
    """Users holding a role inside `paths` or belonging there; the user model is asked by
    relation name, since audit sits below accounts."""
    if paths is None:
        return None
    lookup = Q(pk__in=[])
    for path in paths:
        lookup |= Q(role_assignments__region__path__startswith=path)
        lookup |= Q(home_region__path__startswith=path)
    return get_user_model().objects.filter(lookup)


@login_required
def audit_log_view(request: HttpRequest, logins: bool = False) -> HttpResponse:
    paths = request.user.region_paths_for(VIEW_AUDIT_LOG)
    if paths is not None and not paths:
        raise Http404
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    actor_id = None
    if filters.get("user"):
        # A username or a full name, as HQ staff know their colleagues by name.
        who = filters["user"].strip()
        actor = get_user_model().objects.filter(Q(username=who) | Q(full_name=who)).first()
        actor_id = actor.pk if actor else -1
    entries = audit_log(
        scope_paths=paths,
        scope_users=_users_in(paths),
        actor_id=actor_id,
        person_id=filters.get("person"),
        action=filters.get("action", ""),
        day_from=filters.get("day_from"),
        day_to=filters.get("day_to"),
        logins=logins,
    )
    page = keyset_page(entries, after=request.GET.get("after"), newest_first=True)
    query = request.GET.copy()
    query.pop("after", None)
    context = {"form": form, "page": page, "logins": logins, "query": query.urlencode()}
    return render(request, "audit/audit_log.html", context)
