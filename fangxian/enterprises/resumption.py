"""Resumption applications (复工复产申请, 一企一策): the enterprise writes its plan and submits it;
the township asks for changes or approves with conditions, then records the reopening date.

Every step locks the application row, checks the step is allowed from its status, and writes an
ApplicationEvent (who, when, from, to, comment) and an audit entry in the same transaction.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record
from fangxian.enterprises.models import ApplicationEvent, Enterprise, ResumptionApplication
from fangxian.enterprises.scope import can_on
from fangxian.people import idnumber

Status = ResumptionApplication.Status
KEEP = Capability.KEEP_ENTERPRISE_RECORDS
APPLICATION_FIELDS = (
    "planned_workers",
    "thermometers",
    "masks_in_stock",
    "disinfectant_in_stock",
    "observation_room",
    "staggered_shifts",
    "small_teams",
    "canteen_arrangement",
    "person_in_charge",
    "person_in_charge_phone",
    "notes",
)
REVIEWABLE = (Status.SUBMITTED, Status.RESUBMITTED)


def _require(actor: Any, capability: str, enterprise: Enterprise) -> None:
    if not can_on(actor, capability, enterprise):
        raise PermissionDenied


def _step(
    application: ResumptionApplication, *, actor: Any, to: str, comment: str = "", fields=()
) -> ResumptionApplication:
    before = application.status
    application.status = to
    application.full_clean()
    application.save(update_fields=["status", *fields, "updated_at"])
    ApplicationEvent.objects.create(
        application=application, from_status=before, to_status=to, comment=comment, actor=actor
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=application,
        region=application.enterprise.region,
        changes={"status": [before, to]},
    )
    return application


def _locked(application: ResumptionApplication) -> ResumptionApplication:
    return (
        ResumptionApplication.objects.select_for_update()
        .select_related("enterprise__region")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_save(
    *, actor: Any, enterprise: Enterprise, plan_document=None, **fields: Any
) -> ResumptionApplication:
    """Create or change the enterprise's application while it is a draft or sent back for
    changes. A new plan document replaces the old one. Audited; the first save is an event."""
    _require(actor, KEEP, enterprise)
    application = (
        ResumptionApplication.objects.select_for_update().filter(enterprise=enterprise).first()
    )
    created = application is None
    if created:
        application = ResumptionApplication(enterprise=enterprise)
    elif not application.editable:
        raise ValidationError(
            _("The application is with the township or decided: it can no longer be changed.")
        )
    if "person_in_charge_phone" in fields:
        fields["person_in_charge_phone"] = idnumber.normalize(fields["person_in_charge_phone"])
    for name, value in fields.items():
        setattr(application, name, value)
    if plan_document:
        application.plan_document = plan_document
    application.full_clean()
    application.save()
    if created:
        ApplicationEvent.objects.create(
            application=application, from_status="", to_status=Status.DRAFT, actor=actor
        )
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        obj=application,
        region=enterprise.region,
        changes={"fields": sorted(fields) + (["plan_document"] if plan_document else [])},
    )
    return application


@transaction.atomic
def application_submit(*, actor: Any, application: ResumptionApplication) -> ResumptionApplication:
    """Send the application to the township: a draft is submitted, one sent back is
    resubmitted. It needs the person in charge and the plan document."""
    application = _locked(application)
    _require(actor, KEEP, application.enterprise)
    if application.status not in (Status.DRAFT, Status.CHANGES_REQUESTED):
        raise ValidationError(_("The application has already been sent."))
    errors = {}
    if not application.person_in_charge:
        errors["person_in_charge"] = _("Name the person in charge before sending.")
    if not application.plan_document:
        errors["plan_document"] = _("Upload the prevention plan document before sending.")
    if errors:
        raise ValidationError(errors)
    to = Status.SUBMITTED if application.status == Status.DRAFT else Status.RESUBMITTED
    application.submitted_at = timezone.now()
    return _step(application, actor=actor, to=to, fields=["submitted_at"])


@transaction.atomic
def application_request_changes(
    *, actor: Any, application: ResumptionApplication, comment: str
) -> ResumptionApplication:
    """Send the application back with what to change (township HQ: approve_resumption)."""
    application = _locked(application)
    _require(actor, Capability.APPROVE_RESUMPTION, application.enterprise)
    if application.status not in REVIEWABLE:
        raise ValidationError(_("Only a submitted application can be sent back."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what must change.")})
    return _step(application, actor=actor, to=Status.CHANGES_REQUESTED, comment=comment.strip())


@transaction.atomic
def application_approve(
    *, actor: Any, application: ResumptionApplication, conditions: str = ""
) -> ResumptionApplication:
    """Approve, with the conditions the enterprise must keep (township HQ)."""
    application = _locked(application)
    _require(actor, Capability.APPROVE_RESUMPTION, application.enterprise)
    if application.status not in REVIEWABLE:
        raise ValidationError(_("Only a submitted application can be approved."))
    application.conditions = conditions.strip()
    application.decided_at = timezone.now()
    return _step(
        application,
        actor=actor,
        to=Status.APPROVED,
        comment=application.conditions,
        fields=["conditions", "decided_at"],
    )


@transaction.atomic
def application_reopen(
    *, actor: Any, application: ResumptionApplication, reopened_on: date, today: date | None = None
) -> ResumptionApplication:
    """Record the day the approved enterprise reopened (manage_enterprises over it)."""
    application = _locked(application)
    _require(actor, Capability.MANAGE_ENTERPRISES, application.enterprise)
    if application.status != Status.APPROVED:
        raise ValidationError(_("Only an approved enterprise can be recorded as reopened."))
    if reopened_on > (today or timezone.localdate()):
        raise ValidationError({"reopened_on": _("The reopening date cannot be in the future.")})
    application.reopened_on = reopened_on
    return _step(
        application,
        actor=actor,
        to=Status.REOPENED,
        comment=reopened_on.isoformat(),
        fields=["reopened_on"],
    )
