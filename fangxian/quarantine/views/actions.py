"""The small POST forms of an order's page: start, change the period, give a room, release (a
doctor), transfer, cancel, replace the door code, approve (a second HQ person), the team and
appeals. Each reads one form, calls one service and goes back to the order; a refused action
shows the order's page again with the reason next to the field."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.quarantine import appeals, approvals, hq, orders, selectors, teams
from fangxian.quarantine.forms_orders import (
    AppealForm,
    NoteForm,
    PeriodForm,
    ReasonForm,
    RoomForm,
    TeamMemberForm,
    TransferForm,
    add_service_error,
)
from fangxian.quarantine.models import QuarantineOrder, TeamMember, TeamRole
from fangxian.quarantine.views.orders import order_context
from fangxian.regions.scope import get_scoped_or_404

VIEW = Capability.VIEW_QUARANTINE
MANAGE = Capability.MANAGE_QUARANTINE


def _act(
    request: HttpRequest,
    order: QuarantineOrder,
    *,
    key: str,
    form: forms.Form,
    call: Callable[[dict], object],
    done: str,
    bound: object = None,
) -> HttpResponse:
    """Validate `form`, run the service, and go back to the order with `done`; or show the
    order's page again with the form and the service's reason."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("quarantine:order-detail", order_id=order.pk)
    context = order_context(request, order, **{key: form if bound is None else bound})
    context["failed"] = key
    return render(request, "quarantine/order_detail.html", context)


def _order(request: HttpRequest, order_id: int, *capabilities: str) -> QuarantineOrder:
    """The order in scope whose region grants one of `capabilities` to the user, else 404."""
    order = selectors.order_get(user=request.user, order_id=order_id)
    if not any(request.user.can_at(capability, order.region) for capability in capabilities):
        raise Http404
    return order


@capability_required(MANAGE)
@require_POST
def order_activate_view(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id, MANAGE)
    return _act(
        request,
        order,
        key="activate",
        form=ReasonForm(request.POST),
        call=lambda data: orders.order_activate(actor=request.user, order=order, **data),
        done=_("Quarantine started."),
    )


@capability_required(MANAGE)
@require_POST
def order_period_view(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id, MANAGE)
    return _act(
        request,
        order,
        key="period",
        form=PeriodForm(request.POST),
        call=lambda data: orders.order_change_period(actor=request.user, order=order, **data),
        done=_("Period changed."),
    )


@capability_required(MANAGE)
@require_POST
def order_room_view(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id, MANAGE)
    return _act(
        request,
        order,
        key="room",
        form=RoomForm(request.POST, rooms=hq.rooms_free(user=request.user)),
        call=lambda data: orders.order_assign_room(actor=request.user, order=order, **data),
        done=_("Room assigned."),
    )


@capability_required(Capability.SIGN_RELEASE)
@require_POST
def order_release_view(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id, Capability.SIGN_RELEASE)
    return _act(
        request,
        order,
        key="release",
        form=NoteForm(request.POST),
        call=lambda data: orders.order_release(actor=request.user, order=order, **data),
        done=_("Released. The release is signed in your name."),
    )


@login_required
@require_POST
def order_transfer_view(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id, MANAGE, Capability.SIGN_RELEASE)
    return _act(
        request,
        order,
        key="transfer",
        form=TransferForm(request.POST),
        call=lambda data: orders.order_transfer(actor=request.user, order=order, **data),
        done=_("Transferred to hospital."),
    )


@capability_required(MANAGE)
@require_POST
def order_cancel_view(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id, MANAGE)
    return _act(
        request,
        order,
        key="cancel",
        form=ReasonForm(request.POST),
        call=lambda data: orders.order_cancel(actor=request.user, order=order, **data),
        done=_("Order cancelled."),
    )


@capability_required(MANAGE)
@require_POST
def order_token_view(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id, MANAGE)
    return _act(
        request,
        order,
        key="token",
        form=ReasonForm(request.POST),
        call=lambda data: orders.order_door_token_renew(actor=request.user, order=order, **data),
        done=_("The door notice has a new code: print it again; the old one no longer opens it."),
    )


@capability_required(Capability.APPROVE_QUARANTINE)
@require_POST
def order_approve_view(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id, Capability.APPROVE_QUARANTINE)
    return _act(
        request,
        order,
        key="approve",
        form=NoteForm(request.POST),
        call=lambda data: approvals.order_approve(actor=request.user, order=order, **data),
        done=_("Order approved."),
    )


@capability_required(VIEW)
@require_POST
def appeal_lodge_view(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id, VIEW)
    return _act(
        request,
        order,
        key="appeal",
        form=AppealForm(request.POST),
        call=lambda data: appeals.appeal_lodge(actor=request.user, order=order, **data),
        done=_("Appeal recorded; HQ decides it on record."),
    )


@capability_required(MANAGE)
@require_POST
def team_assign_view(request: HttpRequest, order_id: int, team_role_id: int) -> HttpResponse:
    order = _order(request, order_id, MANAGE)
    team_role = get_object_or_404(TeamRole, pk=team_role_id)
    candidates = hq.team_candidates(order=order)[team_role.pk]
    form = TeamMemberForm(request.POST, candidates=candidates, prefix=f"role{team_role.pk}")
    return _act(
        request,
        order,
        key="team",
        form=form,
        call=lambda data: teams.team_member_assign(
            actor=request.user, order=order, team_role=team_role, user=data["user"]
        ),
        done=_("%(role)s assigned.") % {"role": team_role.name},
        bound=(team_role.pk, form),
    )


@capability_required(MANAGE)
@require_POST
def team_member_end_view(request: HttpRequest, team_member_id: int) -> HttpResponse:
    member = get_scoped_or_404(
        TeamMember.objects.select_related("order", "region"),
        request.user,
        MANAGE,
        pk=team_member_id,
    )
    try:
        teams.team_member_end(actor=request.user, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(user)s left the team.") % {"user": member.user})
    return redirect("quarantine:order-detail", order_id=member.order_id)
