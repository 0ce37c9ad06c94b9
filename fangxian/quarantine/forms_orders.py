"""Forms of the HQ and village quarantine pages: placing orders (one or a list), the small
action forms of an order's page, approvals, appeals and sites. The services check the rules;
the forms only read what was typed."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fangxian.core.forms import StyledFormMixin
from fangxian.quarantine.models import QuarantineOrder
from fangxian.quarantine.selectors import kind_choices, reason_choices

Source = QuarantineOrder.Source
TEXTAREA = {"rows": 2}
MAX_ROOMS = 500


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: messages keyed by a field the form has go
    next to it, the others above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, room) -> str:
        return _("%(site)s, room %(room)s (%(free)s of %(beds)s beds free)") % {
            "site": room.site.name,
            "room": room.number,
            "free": room.beds - room.occupants,
            "beds": room.beds,
        }


class TermsForm(StyledFormMixin, forms.Form):
    """What an order rests on: kind, reason, basis, source, start and period."""

    kind = forms.ModelChoiceField(label=_("Kind of quarantine"), queryset=kind_choices())
    reason = forms.ModelChoiceField(label=_("Reason"), queryset=reason_choices())
    basis = forms.CharField(
        label=_("What it rests on"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("A contact list, a trip, a test: name the document."),
    )
    source = forms.ChoiceField(label=_("Where the order comes from"), choices=Source.choices)
    source_unit = forms.CharField(
        label=_("Unit that sent the list"),
        required=False,
        max_length=100,
        help_text=_("Needed for a list from the health authority or another unit."),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    days = forms.IntegerField(
        label=_("Period in days"),
        min_value=1,
        max_value=90,
        required=False,
        help_text=_("Empty: the kind's default period."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["data-testid"] = "order-kind"


class OrderForm(TermsForm):
    """One person: the terms, and a room for centralised quarantine."""

    room = RoomChoiceField(
        label=_("Room (centralised quarantine)"),
        queryset=None,
        required=False,
        empty_label=_("No room yet"),
    )

    def __init__(self, *args, rooms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500, widget=forms.Textarea(attrs=TEXTAREA))


class PeriodForm(ReasonForm):
    planned_end_on = forms.DateField(
        label=_("New planned end"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    field_order = ["planned_end_on", "reason"]


class RoomForm(ReasonForm):
    room = RoomChoiceField(label=_("Room"), queryset=None)
    field_order = ["room", "reason"]

    def __init__(self, *args, rooms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms


class TransferForm(ReasonForm):
    hospital = forms.CharField(label=_("Hospital"), max_length=100)
    field_order = ["hospital", "reason"]


class NoteForm(StyledFormMixin, forms.Form):
    """A release's findings, an approval's grounds, a refusal's reason."""

    note = forms.CharField(
        label=_("Grounds"), max_length=500, widget=forms.Textarea(attrs=TEXTAREA)
    )


class TeamMemberForm(StyledFormMixin, forms.Form):
    user = forms.TypedChoiceField(label=_("Member"), coerce=int)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {user.pk: user for user in candidates}
        self.fields["user"].choices = [
            ("", "—"),
            *((user.pk, f"{user} {user.unit}".strip()) for user in candidates),
        ]

    def clean_user(self):
        return self.candidates[self.cleaned_data["user"]]


class AppealForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("What the person says"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AppealDecisionForm(StyledFormMixin, forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda value: value == "1",
        choices=[("1", _("Uphold the appeal")), ("0", _("Dismiss the appeal"))],
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(label=_("Decision and why"), widget=forms.Textarea(attrs=TEXTAREA))


class BulkForm(TermsForm):
    """A list pasted from a spreadsheet (one ID number a line) and/or returnees picked."""

    numbers = forms.CharField(
        label=_("ID numbers, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off"}),
    )
    field_order = ["numbers"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].initial = Source.HEALTH_LIST

    def lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("numbers", "").splitlines()]


def parse_room_numbers(text: str) -> list[str]:
    """Room numbers typed as "101 102, 103" or as ranges "101-120" (at most 500)."""
    numbers: list[str] = []
    for token in re.split(r"[\s,，、;；]+", text.strip()):
        if not token:
            continue
        span = re.fullmatch(r"(\d+)[-~～至](\d+)", token)
        if span:
            first, last = int(span[1]), int(span[2])
            if last < first or last - first >= MAX_ROOMS:
                raise ValidationError(_("%(range)s is not a range of rooms.") % {"range": token})
            width = len(span[1])
            numbers += [str(n).zfill(width) for n in range(first, last + 1)]
        else:
            numbers.append(token)
    if len(numbers) > MAX_ROOMS:
        raise ValidationError(_("At most 500 rooms at a time."))
    return numbers


class RoomsForm(StyledFormMixin, forms.Form):
    rooms = forms.CharField(
        label=_("Room numbers"),
        help_text=_("Separated by spaces or commas; a range as 101-120."),
    )
    beds = forms.IntegerField(label=_("Beds per room"), min_value=1, max_value=20, initial=1)

    def clean_rooms(self):
        return parse_room_numbers(self.cleaned_data["rooms"])


class SiteForm(RoomsForm):
    region = forms.ModelChoiceField(label=_("Township or village"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    field_order = ["region", "name", "address", "rooms", "beds"]

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["rooms"].required = False
