"""Forms for places (the staff pages) and for scans (the public page and the device endpoint)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fangxian.core.forms import StyledFormMixin
from fangxian.places.models import Place, Scan
from fangxian.places.phones import normalize_mobile
from fangxian.places.selectors import place_villages

PHONE_MESSAGE = _("Enter an 11-digit mainland mobile number, e.g. 13812345678.")


class PlaceForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Place
        fields = ["region", "name", "kind", "address", "contact_name", "contact_phone"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        field.queryset = place_villages(user=user)
        field.label_from_instance = lambda region: region.short_name


class CloseForm(StyledFormMixin, forms.Form):
    closed_reason = forms.CharField(label=_("Reason for closing"), max_length=200)


class ScanPageForm(forms.Form):
    """The public page: a phone number or a personal code, the client id and the nonce."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=200)
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False)
    code = forms.CharField(label=_("Personal code"), max_length=200, required=False)

    def clean_phone(self) -> str:
        text = self.cleaned_data["phone"].strip()
        if not text:
            return ""
        phone = normalize_mobile(text)
        if phone is None:
            raise forms.ValidationError(PHONE_MESSAGE)
        return phone

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("phone") and not data.get("code", "").strip():
            self.add_error("phone", _("Enter your mobile number."))
        return data


class ScanApiForm(forms.Form):
    """The device endpoint's fields (the place is looked up apart, within scope)."""

    client_id = forms.UUIDField(label=_("Client id"))
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False)
    code = forms.CharField(label=_("Personal code"), max_length=200, required=False)
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Scan.Direction.choices, required=False
    )
    occurred_at = forms.DateTimeField(label=_("Time"), required=False)

    def clean_phone(self) -> str:
        text = self.cleaned_data["phone"].strip()
        if not text:
            return ""
        phone = normalize_mobile(text)
        if phone is None:
            raise forms.ValidationError(PHONE_MESSAGE)
        return phone

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("phone") and not data.get("code", "").strip():
            self.add_error("phone", _("Give a mobile number or a personal code."))
        return data
