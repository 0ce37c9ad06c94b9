"""Forms of the campaign pages: open a campaign (HQ), record a visit (grid worker, on a phone)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fangxian.core.forms import StyledFormMixin
from fangxian.screening.models import Campaign, Visit, VisitPerson


class CampaignForm(StyledFormMixin, forms.ModelForm):
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The whole township, or some of its villages."),
    )

    class Meta:
        model = Campaign
        fields = ["name", "starts_on", "ends_on"]
        labels = {"name": _("Campaign name")}
        widgets = {
            # type=date takes ISO dates whatever the language
            "starts_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "ends_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }

    def __init__(self, *args, regions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = regions
        # The class goes on the wrapper and on each box (see fangxian.css).
        self.fields["regions"].widget.attrs["class"] = "fx-choices"
        self.fields["name"].widget.attrs["placeholder"] = _("e.g. Door-to-door screening, round 1")

    def _post_clean(self):
        # The regions are codes here: the view resolves them within the user's scope and the
        # service validates the campaign.
        pass


class VisitForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Visit.Outcome.choices,
        initial=Visit.Outcome.SEEN,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].widget.attrs["class"] = "btn-check"  # big toggle buttons


class MemberForm(StyledFormMixin, forms.Form):
    """One member's compact row of the visit form (prefixed with the person's id)."""

    presence = forms.ChoiceField(
        label=_("Presence"),
        choices=VisitPerson.Presence.choices,
        initial=VisitPerson.Presence.HOME,
        widget=forms.RadioSelect,
    )
    away_at = forms.CharField(label=_("Where are they?"), max_length=100, required=False)
    returned_from = forms.CharField(label=_("Back from where?"), max_length=100, required=False)
    arrived_on = forms.DateField(
        label=_("Arrived on"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    fever = forms.BooleanField(label=_("Fever"), required=False)
    temperature = forms.DecimalField(
        label=_("Temperature"),
        required=False,
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(
            attrs={"inputmode": "decimal", "step": "0.1", "placeholder": "36.5"}
        ),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, prefix=f"p{person.pk}", **kwargs)
        self.person = person
        self.fields["presence"].widget.attrs["class"] = "btn-check"
        for name in ("away_at", "returned_from"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["away_at"].widget.attrs["placeholder"] = _("e.g. working in Kunming")
        self.fields["returned_from"].widget.attrs["placeholder"] = _("e.g. 湖北省武汉市")

    def entry(self) -> dict:
        return {"person": self.person, **self.cleaned_data}


def member_initial(row: VisitPerson | None) -> dict:
    """A saved member's row as the form's initial values (the trip gives where from and when)."""
    if row is None:
        return {}
    return {
        "presence": row.presence,
        "away_at": row.away_at,
        "returned_from": row.trip.origin_text if row.trip else "",
        "arrived_on": row.trip.arrived_on if row.trip else None,
        "fever": row.fever,
        "temperature": row.temperature,
    }
