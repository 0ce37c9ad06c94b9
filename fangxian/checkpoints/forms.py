"""Forms for checkpoints, the rota and passages. The passage form is also the JSON endpoint's
validator (views/api.py feeds it the device's fields), so both say the same things."""

import uuid
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangxian.checkpoints import plates
from fangxian.checkpoints.codes import code_resolve
from fangxian.checkpoints.models import Checkpoint, Direction, Passage, PassagePerson, ShiftMember
from fangxian.checkpoints.selectors import MANAGE, destination_villages, person_by_document
from fangxian.checkpoints.services import PassageInput, PersonEntry
from fangxian.core.forms import StyledFormMixin
from fangxian.people import idnumber
from fangxian.people.validators import id_number_validation_error
from fangxian.regions.models import Region
from fangxian.regions.scope import scoped

FUTURE_MINUTES = 10  # a device's clock may run a little ahead; more is a mistake

PLATE_MESSAGES = {
    plates.EMPTY: _("Enter the plate, or leave it empty for people on foot."),
    plates.BAD_PROVINCE: _(
        "A plate starts with a province character (e.g. 云); for a military, emergency or "
        "temporary plate tick “other plate”."
    ),
    plates.BAD_LETTER: _("The second character must be the letter of the issuing office."),
    plates.I_OR_O: _("Plates never use the letters I and O: probably the digits 1 and 0."),
    plates.BAD_LENGTH: _(
        "An ordinary plate has 7 characters and a new-energy plate 8: check the number."
    ),
    plates.BAD_ENERGY: _(
        "A new-energy plate has D, A, B, C, E, F, G, H, J or K right after the letter, or as "
        "its last character."
    ),
    plates.BAD_CHARACTERS: _("After the letter come 5 letters or digits (or 4 and 学, 警, 挂 …)."),
}


class CheckpointForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Checkpoint
        fields = ["region", "name", "level", "kind", "location", "staffed_by", "mode", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scoped(
            Region.objects.filter(level__in=[Region.Level.TOWNSHIP, Region.Level.VILLAGE]),
            user,
            MANAGE,
        ).order_by("path")
        self.fields["mode"].widget = forms.RadioSelect(choices=Checkpoint.Mode.choices)
        self.fields["mode"].help_text = _(
            "Only exceptions: fever, key-area travel, a code not verified green, turned back or "
            "handed over are registered in full; everyone else is only counted (the minimum the "
            "personal-information law asks for)."
        )


class ShiftForm(StyledFormMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class ShiftMemberForm(StyledFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Person on duty"), queryset=None)
    duty = forms.ChoiceField(label=_("Duty"), choices=ShiftMember.Duty.choices)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates


class PassageForm(StyledFormMixin, forms.Form):
    """What the worker taps in for the vehicle or the party on foot."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Direction.choices, widget=forms.RadioSelect
    )
    plate = forms.CharField(label=_("Plate"), max_length=20, required=False)
    plate_other = forms.BooleanField(
        label=_("Other plate (military, emergency, tractor, temporary)"), required=False
    )
    origin_text = forms.CharField(label=_("From where"), max_length=100, required=False)
    destination_text = forms.CharField(label=_("To where"), max_length=100, required=False)
    destination_region = forms.ModelChoiceField(
        label=_("Village of destination"), queryset=Region.objects.none(), required=False
    )
    purpose = forms.CharField(label=_("Reason for travel"), max_length=100, required=False)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Passage.Decision.choices, widget=forms.RadioSelect
    )
    decision_reason = forms.CharField(
        label=_("Reason for the decision"), max_length=200, required=False
    )
    occurred_at = forms.DateTimeField(label=_("Time"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, checkpoint: Checkpoint, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "client_id": uuid.uuid4(),
            "direction": Direction.IN,
            "decision": Passage.Decision.RELEASED,
        } | kwargs["initial"]
        super().__init__(*args, **kwargs)
        self.checkpoint = checkpoint
        field = self.fields["destination_region"]
        field.queryset = destination_villages(checkpoint=checkpoint)
        field.to_field_name = "code"
        field.label_from_instance = lambda region: region.short_name
        self.fields["plate"].widget.attrs.update(
            autocomplete="off", autocapitalize="characters", placeholder="云A12345"
        )
        self.fields["origin_text"].widget.attrs.update(autocomplete="off")
        self.fields["origin_text"].help_text = _("Province, city or county, e.g. 湖北武汉.")

    def clean(self):
        data = super().clean()
        occurred_at = data.get("occurred_at")
        if occurred_at and occurred_at > timezone.now() + timedelta(minutes=FUTURE_MINUTES):
            self.add_error("occurred_at", _("The time of the passage is in the future."))
        text = data.get("plate", "")
        if text:
            try:
                plate = plates.parse(text, allow_other=data.get("plate_other", False))
            except plates.PlateError as error:
                self.add_error("plate", PLATE_MESSAGES[error.code])
            else:
                data["plate"], data["plate_kind"] = plate.text, plate.kind
        else:
            data["plate_kind"] = ""
        return data


class PassagePersonForm(StyledFormMixin, forms.Form):
    """One person: their personal code, or an ID number found in the ledger, or a stranger."""

    code = forms.CharField(label=_("Personal code"), max_length=200, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=40, required=False)
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"),
        max_digits=3,
        decimal_places=1,
        min_value=Decimal("34.0"),
        max_value=Decimal("43.0"),
        required=False,
    )
    code_colour = forms.ChoiceField(
        label=_("Health code"),
        choices=PassagePerson.CodeColour.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    code_verified = forms.BooleanField(label=_("Verified by scanning"), required=False)
    # On a correction: the row of the corrected passage this one repeats, so that its ID number
    # and phone carry over without ever being shown in full on the form.
    keep = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, kept_rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.kept_rows = kept_rows or {}
        self.fields["id_number"].widget.attrs.update(autocomplete="off", inputmode="text")
        self.fields["temperature"].widget.attrs.update(inputmode="decimal", step="0.1")
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")

    def clean(self):
        data = super().clean()
        person = None
        token = (data.get("code") or "").strip().rstrip("/").rsplit("/", 1)[-1]
        if token:
            person = code_resolve(user=self.user, token=token)
            if person is None:
                self.add_error("code", _("This code is not valid here: enter the ID number."))
        number = idnumber.normalize(data.get("id_number") or "")
        kept = self.kept_rows.get(str(data.get("keep")))
        name = (data.get("name") or "").strip()
        data["removed"] = kept is not None and not (token or number or name)
        if data["removed"]:  # a row of the corrected passage emptied: that person was not there
            return data
        if kept is not None and not token and not number:
            person, number = kept.person, kept.document_number
            data["phone"] = (data.get("phone") or "").strip() or kept.phone
        elif person is None and number:
            person = person_by_document(user=self.user, number=number)
            if person is None and len(number) == 18 and number[:17].isdigit():
                try:
                    number = idnumber.parse(number).number
                except idnumber.IdNumberError as error:
                    self.add_error(None, id_number_validation_error(error))
        if person is None and not (data.get("name") or "").strip() and not self.errors:
            self.add_error("name", _("Enter the name of a person not in the ledger."))
        data["person"] = person
        data["id_number"] = person.id_number if person is not None else number
        return data

    def entry(self) -> PersonEntry:
        data = self.cleaned_data
        person = data["person"]
        return PersonEntry(
            name=person.name if person is not None else data["name"].strip(),
            person=person,
            document_number=data["id_number"],
            phone=(data.get("phone") or "").strip() or (person.phone if person else ""),
            temperature=data.get("temperature"),
            code_colour=data.get("code_colour") or "",
            code_verified=bool(data.get("code_verified")),
        )


class BasePeopleFormSet(forms.BaseFormSet):
    def __init__(self, *args, user=None, kept_rows=None, **kwargs):
        self.user = user
        self.kept_rows = kept_rows or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        # Every row may stay empty, the corrected passage's too: emptying it removes the person.
        return {"user": self.user, "kept_rows": self.kept_rows, "empty_permitted": True}

    def entries(self) -> tuple[PersonEntry, ...]:
        return tuple(
            form.entry()
            for form in self.forms
            if form.has_changed() and form.is_valid() and not form.cleaned_data["removed"]
        )

    def clean(self):
        if any(self.errors):
            return
        if not any(
            form.has_changed() and not form.cleaned_data.get("removed") for form in self.forms
        ):
            raise ValidationError(_("People: register at least one person."))


PeopleFormSet = forms.formset_factory(
    PassagePersonForm, formset=BasePeopleFormSet, extra=6, max_num=12, absolute_max=20
)


def passage_input(form: PassageForm, people: BasePeopleFormSet) -> PassageInput:
    data = form.cleaned_data
    return PassageInput(
        direction=data["direction"],
        decision=data["decision"],
        people=people.entries(),
        occurred_at=data.get("occurred_at"),
        plate=data.get("plate", ""),
        plate_kind=data.get("plate_kind", ""),
        origin_text=data.get("origin_text", ""),
        destination_text=data.get("destination_text", ""),
        destination_region=data.get("destination_region"),
        purpose=data.get("purpose", ""),
        decision_reason=data.get("decision_reason", ""),
    )
