from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fangxian.core.forms import StyledFormMixin
from fangxian.tracing.models import DEFAULT_DAYS, DEFAULT_RING2_CAP, DEFAULT_WINDOW_MINUTES


class ChosenElsewhere(forms.HiddenInput):
    """The person is chosen with the candidates' radio buttons (named `person`), which the
    template draws beside the live search: this widget renders nothing and only reads them."""

    def render(self, name, value, attrs=None, renderer=None):
        return ""


class SearchForm(StyledFormMixin, forms.Form):
    """The subject (a person picked from the ledger search, or a phone), the purpose, the
    window and the period."""

    person = forms.IntegerField(required=False, widget=ChosenElsewhere)
    phone = forms.RegexField(
        label=_("Or a phone number"),
        regex=r"^1\d{10}$|^0\d{9,11}$",
        required=False,
        error_messages={"invalid": _("Phone number: 11 digits starting with 1, or a landline.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        help_text=_("Why you search: e.g. the confirmed case whose contacts you look for."),
        error_messages={"required": _("State the purpose of the search.")},
    )
    window_minutes = forms.IntegerField(
        label=_("Window (minutes before and after each visit)"),
        min_value=1,
        max_value=24 * 60,
        initial=DEFAULT_WINDOW_MINUTES,
    )
    days = forms.IntegerField(
        label=_("Period (last days)"), min_value=1, max_value=60, initial=DEFAULT_DAYS
    )

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("phone") and "phone" not in self.errors:
            raise ValidationError(_("Choose a person of the ledger or type a phone number."))
        if data.get("person") and data.get("phone"):
            raise ValidationError(_("Choose a person or type a phone number, not both."))
        return data

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.cleaned_data["window_minutes"])


class PlacementForm(forms.Form):
    kind = forms.IntegerField()
    reason = forms.IntegerField()
    rings = forms.TypedChoiceField(choices=[("1", "1"), ("2", "2")], coerce=int, initial=1)


class SecondRingForm(forms.Form):
    cap = forms.IntegerField(min_value=1, max_value=50_000, initial=DEFAULT_RING2_CAP)
