"""Forms of the team's phone pages: one row per person of a round of checks, the daily call,
an errand's items, a step of an alert or an errand, and care work."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from fangxian.core.forms import StyledFormMixin
from fangxian.quarantine.models import CareRecord, Errand, FeverAlert, QuarantineOrder

TEMPERATURE_MIN = Decimal("35.0")
TEMPERATURE_MAX = Decimal("42.0")
# Typed without the point on a phone's keypad: 365 is 36.5 °C.
_NO_POINT = re.compile(r"^(3[5-9]|4[0-2])(\d)$")


class TemperatureField(forms.DecimalField):
    """A body temperature, 35.0–42.0 °C with one decimal; "365" is read as 36.5."""

    def __init__(self, **kwargs):
        super().__init__(
            max_digits=3,
            decimal_places=1,
            min_value=TEMPERATURE_MIN,
            max_value=TEMPERATURE_MAX,
            widget=forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "autocomplete": "off",
                    "placeholder": "36.5",
                    "pattern": r"[0-9]{2,3}([.,][0-9])?",
                    "class": "form-control-lg fx-temperature",
                }
            ),
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".").replace("。", ".")
            if match := _NO_POINT.match(value):
                value = f"{match.group(1)}.{match.group(2)}"
        return super().to_python(value)


class CheckRowForm(StyledFormMixin, forms.Form):
    """One person's line of a round (prefixed with the order's id). A line left empty is not
    recorded; symptoms without a temperature are refused."""

    temperature = TemperatureField(label=_("Temperature"), required=False)
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, order: QuarantineOrder, symptoms: list[str], **kwargs):
        super().__init__(*args, prefix=f"o{order.pk}", **kwargs)
        self.order = order
        self.fields["symptoms"].choices = [(name, name) for name in symptoms]
        self.fields["symptoms"].widget.attrs["class"] = "btn-check"  # big toggle buttons

    def clean(self):
        data = super().clean()
        if data.get("symptoms") and data.get("temperature") is None and "temperature" in data:
            self.add_error("temperature", _("Enter the temperature."))
        return data

    @property
    def is_empty(self) -> bool:
        """Nothing typed for this person: left out of the round."""
        typed = (self.data.get(self.add_prefix("temperature")) or "").strip()
        return not typed and not self.data.getlist(self.add_prefix("symptoms"))


class DailyCallForm(StyledFormMixin, forms.Form):
    reached = forms.TypedChoiceField(
        label=_("Reached on the phone?"),
        choices=[("1", _("Reached")), ("0", _("Not reached"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("e.g. needs vegetables")}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reached"].widget.attrs["class"] = "btn-check"


class ErrandItemForm(StyledFormMixin, forms.Form):
    """One line of an errand: 大米 10 斤. A line left empty is dropped."""

    name = forms.CharField(label=_("Item"), max_length=50, required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        required=False,
        max_digits=7,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    unit = forms.CharField(label=_("Unit"), max_length=10, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update(placeholder=_("e.g. rice"), autocomplete="off")
        self.fields["unit"].widget.attrs.update(placeholder=_("e.g. jin"), autocomplete="off")

    def clean(self):
        data = super().clean()
        if data.get("quantity") is not None and not data.get("name"):
            self.add_error("name", _("Name the item."))
        if data.get("name") and data.get("quantity") is None and "quantity" in data:
            self.add_error("quantity", _("Enter a quantity."))
        return data


ErrandItemFormSet = forms.formset_factory(ErrandItemForm, extra=3, max_num=30, absolute_max=30)


class ErrandNoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class AlertStepForm(StyledFormMixin, forms.Form):
    to_status = forms.ChoiceField(choices=FeverAlert.Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("What was found"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ErrandStepForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Step"), choices=Errand.Status.choices)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        required=False,
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0"),
    )


class CareForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of care"), choices=CareRecord.Kind.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "btn-check"
