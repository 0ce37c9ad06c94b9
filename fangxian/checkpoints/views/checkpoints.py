"""Checkpoints set up by HQ, their duty rota, a worker's home (their shift), and notices."""

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.checkpoints import selectors, services
from fangxian.checkpoints.forms import CheckpointForm, ShiftForm, ShiftMemberForm
from fangxian.checkpoints.services import CHECKPOINT_FIELDS
from fangxian.core.paging import keyset_page

MANAGE = Capability.MANAGE_CHECKPOINTS
REGISTER = Capability.REGISTER_PASSAGES


@capability_required(MANAGE)
def checkpoint_list_view(request: HttpRequest) -> HttpResponse:
    checkpoints = selectors.checkpoint_list(user=request.user)
    return render(request, "checkpoints/checkpoint_list.html", {"checkpoints": checkpoints})


@capability_required(MANAGE)
def checkpoint_create_view(request: HttpRequest) -> HttpResponse:
    form = CheckpointForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.checkpoint_create(
                actor=request.user,
                is_active=form.cleaned_data["is_active"],
                **{name: form.cleaned_data[name] for name in CHECKPOINT_FIELDS},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Checkpoint set up."))
            return redirect("checkpoints:checkpoint-list")
    return render(request, "checkpoints/checkpoint_form.html", {"form": form})


@capability_required(MANAGE)
def checkpoint_edit_view(request: HttpRequest, checkpoint_id: int) -> HttpResponse:
    checkpoint = selectors.checkpoint_get(user=request.user, checkpoint_id=checkpoint_id)
    form = CheckpointForm(request.POST or None, user=request.user, instance=checkpoint)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in (*CHECKPOINT_FIELDS, "is_active")}
        checkpoint.refresh_from_db()  # the form changed the instance; the service compares
        try:
            services.checkpoint_update(actor=request.user, checkpoint=checkpoint, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Checkpoint saved."))
            return redirect("checkpoints:checkpoint-list")
    context = {"form": form, "checkpoint": checkpoint}
    return render(request, "checkpoints/checkpoint_form.html", context)


def _week_start(text: str) -> datetime:
    """Monday 00:00 (local) of the week holding the day given, or of this week."""
    try:
        day = date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    monday = day - timedelta(days=day.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min))


@capability_required(MANAGE)
def rota_view(request: HttpRequest, checkpoint_id: int) -> HttpResponse:
    """The checkpoint's shifts of one week with their people; forms to add shifts and people."""
    checkpoint = selectors.checkpoint_get(user=request.user, checkpoint_id=checkpoint_id)
    week_start = _week_start(request.GET.get("week", ""))
    candidates = selectors.rota_candidates(user=request.user, checkpoint=checkpoint)
    context = {
        "checkpoint": checkpoint,
        "shifts": selectors.rota_week(checkpoint=checkpoint, week_start=week_start),
        "week_start": week_start.date(),
        "previous_week": (week_start - timedelta(days=7)).date(),
        "next_week": (week_start + timedelta(days=7)).date(),
        "shift_form": ShiftForm(),
        "member_form": ShiftMemberForm(candidates=candidates),
    }
    return render(request, "checkpoints/rota.html", context)


def _form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


@capability_required(MANAGE)
@require_POST
def shift_create_view(request: HttpRequest, checkpoint_id: int) -> HttpResponse:
    checkpoint = selectors.checkpoint_get(user=request.user, checkpoint_id=checkpoint_id)
    form = ShiftForm(request.POST)
    week = ""
    if form.is_valid():
        try:
            shift = services.shift_create(
                actor=request.user, checkpoint=checkpoint, **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            week = timezone.localtime(shift.starts_at).date().isoformat()
            messages.success(request, _("Shift added."))
    else:
        _form_errors(request, form)
    url = checkpoint_rota_url(checkpoint.pk)
    return redirect(f"{url}?week={week}" if week else url)


def checkpoint_rota_url(checkpoint_id: int) -> str:
    return reverse("checkpoints:rota", kwargs={"checkpoint_id": checkpoint_id})


def _back_to_week(shift) -> HttpResponse:
    week = timezone.localtime(shift.starts_at).date().isoformat()
    return redirect(f"{checkpoint_rota_url(shift.checkpoint_id)}?week={week}")


@capability_required(MANAGE)
@require_POST
def shift_member_add_view(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = selectors.shift_get(user=request.user, shift_id=shift_id)
    candidates = selectors.rota_candidates(user=request.user, checkpoint=shift.checkpoint)
    form = ShiftMemberForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            services.shift_member_add(actor=request.user, shift=shift, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Added to the shift."))
    else:
        _form_errors(request, form)
    return _back_to_week(shift)


@capability_required(MANAGE)
@require_POST
def shift_member_remove_view(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = selectors.shift_get(user=request.user, shift_id=shift_id)
    member = shift.members.filter(user_id=request.POST.get("user") or 0).first()
    if member is None:
        messages.error(request, _("This person is not on the shift."))
    else:
        services.shift_member_remove(actor=request.user, member=member)
        messages.success(request, _("Removed from the shift."))
    return _back_to_week(shift)


@capability_required(REGISTER)
def duty_home_view(request: HttpRequest) -> HttpResponse:
    """A checkpoint worker's home: their current or next shift, one tap to registration."""
    now = timezone.now()
    shifts = selectors.my_shifts(user=request.user, now=now)
    current = next((m for m in shifts if m.shift.starts_at <= now), None)
    context = {
        "current": current,
        "upcoming": [m for m in shifts if m is not current],
        "checkpoints": selectors.checkpoint_list(user=request.user, capability=REGISTER).filter(
            is_active=True
        ),
    }
    return render(request, "checkpoints/duty_home.html", context)


@capability_required(Capability.EDIT_PEOPLE)
def notice_list_view(request: HttpRequest) -> HttpResponse:
    """Key-area arrivals notified to the grid workers of their destination, newest first."""
    unread_only = request.GET.get("all") != "1"
    notices = selectors.notice_list(user=request.user, unread_only=unread_only)
    context = {
        "page": keyset_page(notices, after=request.GET.get("after"), newest_first=True),
        "unread": selectors.notice_list(user=request.user, unread_only=True).count(),
        "unread_only": unread_only,
    }
    return render(request, "checkpoints/notice_list.html", context)


@capability_required(Capability.EDIT_PEOPLE)
@require_POST
def notice_read_view(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = selectors.notice_get(user=request.user, notice_id=notice_id)
    services.notice_mark_read(actor=request.user, notice=notice)
    return redirect("checkpoints:notice-list")
