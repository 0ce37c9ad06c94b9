"""The public self-report form (phone first) and the reviewer's rejection form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fangxian.core.forms import StyledFormMixin
from fangxian.people.models import Person
from fangxian.regions.models import Region
from fangxian.screening import self_reports
from fangxian.screening.models import Trip


class SelfReportForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    document_type = forms.ChoiceField(
        label=_("Document type"),
        choices=[
            (value, label)
            for value, label in Person.DocumentType.choices
            if value in self_reports.PUBLIC_DOCUMENT_TYPES
        ],
        initial=Person.DocumentType.RESIDENT_ID,
        # A form opened before the choice existed (kept open on a phone) sends none.
        required=False,
    )
    id_number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        error_messages={"required": _("Enter the document number.")},
    )
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    unit = forms.ModelChoiceField(
        label=_("Grid or villager group (if you know it)"),
        queryset=Region.objects.none(),
        required=False,
    )
    address = forms.CharField(
        label=_("Address in the village"),
        max_length=200,
        help_text=_("E.g. the group and house number."),
    )
    origin_text = forms.CharField(
        label=_("Where did you come back from?"),
        max_length=100,
        help_text=_("Province and city, e.g. 湖北武汉."),
    )
    departed_on = forms.DateField(
        label=_("Left on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    arrived_on = forms.DateField(
        label=_("Arrived on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    transport = forms.ChoiceField(
        label=_("Transport"), choices=[("", "—"), *Trip.Transport.choices], required=False
    )
    transport_number = forms.CharField(
        label=_("Train, flight or plate"), max_length=40, required=False
    )
    companions = forms.CharField(
        label=_("Travelled with"),
        max_length=200,
        required=False,
        help_text=_("Names or relation, e.g. wife and son."),
    )
    fever = forms.BooleanField(label=_("I have a fever, cough or other symptoms"), required=False)
    symptoms = forms.CharField(label=_("Symptoms"), max_length=200, required=False)
    # A field people never see: a bot that fills every field fills this one too.
    website = forms.CharField(label=_("Leave this empty"), required=False)
    challenge = forms.CharField(widget=forms.HiddenInput)
    answer = forms.IntegerField(label=_("Security question"))

    def __init__(self, *args, village: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = self_reports.village_units(village)
        self.fields["unit"].label_from_instance = lambda region: region.short_name
        self.fields["id_number"].widget.attrs.update(
            autocomplete="off", autocapitalize="characters"
        )
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["answer"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def clean_document_type(self):
        return self.cleaned_data["document_type"] or Person.DocumentType.RESIDENT_ID

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError(_("This report could not be accepted."))
        return ""

    def clean(self):
        cleaned = super().clean()
        if "challenge" in cleaned:
            try:
                self_reports.challenge_check(
                    token=cleaned["challenge"], answer=cleaned.get("answer")
                )
            except ValidationError as error:
                self.add_error("answer", error)
        return cleaned


class RejectForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
