"""Orders (隔离令) for HQ and villages: the panel on the person's page, placing an order, the
filtered list, and the order's page with its history, team, checks and actions (the action
views are in `views/actions.py`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.people.selectors import person_get
from fangxian.quarantine import hq, selectors
from fangxian.quarantine.exports import order_export_full_allowed
from fangxian.quarantine.forms_orders import (
    AppealForm,
    NoteForm,
    OrderForm,
    PeriodForm,
    ReasonForm,
    RoomForm,
    TeamMemberForm,
    TransferForm,
    add_service_error,
)
from fangxian.quarantine.models import QuarantineKind, QuarantineOrder
from fangxian.quarantine.orders import order_place

VIEW = Capability.VIEW_QUARANTINE
MANAGE = Capability.MANAGE_QUARANTINE
Status = QuarantineOrder.Status


def person_orders_panel(request: HttpRequest, person) -> tuple[str, dict] | None:
    """The person's orders on their page (registered in QuarantineConfig.ready)."""
    if not request.user.can_at(VIEW, person.region):
        return None
    orders = selectors.order_list(user=request.user).filter(person=person).order_by("-id")
    context = {
        "person": person,
        "orders": list(orders),
        "can_place": request.user.can_at(MANAGE, person.region),
    }
    return "quarantine/order_panel.html", context


def _initial_terms(request: HttpRequest) -> dict:
    """The form as typed so far (an htmx refresh after the kind changed), with the period set
    to the chosen kind's default."""
    initial = {"starts_on": timezone.localdate(), "source": QuarantineOrder.Source.MANUAL}
    initial |= {key: value for key, value in request.GET.items() if value}
    chosen = str(initial.get("kind", ""))
    kind = selectors.kind_choices().filter(pk=chosen).first() if chosen.isdigit() else None
    kind = kind or selectors.kind_choices().first()
    if kind is not None:
        initial |= {"kind": kind.pk, "days": kind.default_days}
    return initial


@capability_required(MANAGE)
def order_create_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(user=request.user, person_id=person_id)
    if not request.user.can_at(MANAGE, person.region):
        raise Http404
    rooms = hq.rooms_free(user=request.user)
    if request.method != "POST":
        form = OrderForm(initial=_initial_terms(request), rooms=rooms)
        template = (
            "quarantine/order_form.html#form" if request.htmx else "quarantine/order_form.html"
        )
        return render(request, template, {"form": form, "person": person})
    form = OrderForm(request.POST, rooms=rooms)
    if form.is_valid():
        try:
            order = order_place(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Order placed: %(status)s.") % {"status": order.get_status_display()}
            )
            return redirect("quarantine:order-detail", order_id=order.pk)
    return render(request, "quarantine/order_form.html", {"form": form, "person": person})


def list_filters(request: HttpRequest) -> dict:
    """The list's filters from the query string (an unknown village answers 404)."""
    status = request.GET.get("status", "")
    kind = None
    if request.GET.get("kind"):
        kind = QuarantineKind.objects.filter(code=request.GET["kind"]).first()
    region = None
    if request.GET.get("region"):
        region = hq.board_region(user=request.user, code=request.GET["region"])
        if region is None:
            raise Http404
    return {
        "status": status if status in Status.values else "",
        "kind": kind,
        "region": region,
    }


@capability_required(VIEW)
def order_list_view(request: HttpRequest) -> HttpResponse:
    filters = list_filters(request)
    orders = selectors.order_list(user=request.user, **filters)
    context = {
        "page": keyset_page(orders, after=request.GET.get("after"), newest_first=True),
        "filters": filters,
        "statuses": Status.choices,
        "kinds": QuarantineKind.objects.all(),
        "villages": hq.villages_in_scope(user=request.user),
        "can_export_full": order_export_full_allowed(user=request.user, region=filters["region"]),
    }
    return render(request, "quarantine/order_list.html", context)


def order_context(request: HttpRequest, order: QuarantineOrder, **bound) -> dict:
    """Everything the order's page shows; `bound` replaces an empty action form by the one just
    sent back with its errors."""
    user = request.user
    region = order.region
    can_manage = user.can_at(MANAGE, region)
    rooms = hq.rooms_free(user=user) if can_manage and order.kind.needs_room else None
    team = list(selectors.order_team(user=user, order=order))
    slots = []
    if can_manage and order.is_open:
        candidates = hq.team_candidates(order=order)
        members = {member.team_role_id: member for member in team}
        bound_team = bound.pop("team", None)
        for team_role in selectors.team_roles():
            form = TeamMemberForm(candidates=candidates[team_role.pk], prefix=f"role{team_role.pk}")
            if bound_team is not None and bound_team[0] == team_role.pk:
                form = bound_team[1]
            slots.append({"role": team_role, "member": members.get(team_role.pk), "form": form})
    forms = {
        "activate": ReasonForm(),
        "period": PeriodForm(initial={"planned_end_on": order.planned_end_on}),
        "room": RoomForm(rooms=rooms) if rooms is not None else None,
        "release": NoteForm(),
        "transfer": TransferForm(),
        "cancel": ReasonForm(),
        "token": ReasonForm(),
        "approve": NoteForm(),
        "appeal": AppealForm(),
    } | bound
    return {
        "order": order,
        "events": selectors.order_events(user=user, order=order),
        "team": team,
        "slots": slots,
        "checks": selectors.order_checks(user=user, order=order)[:60],
        "missed": selectors.order_missed_checks(order=order),
        "care": hq.order_care_summary(user=user, order=order),
        "appeals": order.appeals.select_related("decided_by").order_by("lodged_at", "id"),
        "forms": forms,
        "can_manage": can_manage,
        "can_release": user.can_at(Capability.SIGN_RELEASE, region),
        "can_transfer": can_manage or user.can_at(Capability.SIGN_RELEASE, region),
        "can_approve": (
            user.can_at(Capability.APPROVE_QUARANTINE, region)
            and order.needs_approval
            and order.approved_at is None
            and order.batch_id is None
            and order.status == Status.PENDING
            and order.placed_by_id != user.pk
        ),
        "release_due": timezone.localdate() >= order.planned_end_on,
    }


@capability_required(VIEW)
def order_detail_view(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get(user=request.user, order_id=order_id)
    return render(request, "quarantine/order_detail.html", order_context(request, order))
