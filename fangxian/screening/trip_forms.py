"""Forms for returnees' trips and the key-area list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fangxian.core.forms import StyledFormMixin
from fangxian.regions import divisions
from fangxian.screening.models import KeyArea, Trip


class TripForm(StyledFormMixin, forms.ModelForm):
    """A trip typed on a phone: where from in words, the rest optional."""

    class Meta:
        model = Trip
        fields = [
            "origin_text",
            "departed_on",
            "arrived_on",
            "transport",
            "transport_number",
            "via_text",
            "companions",
        ]
        labels = {"origin_text": _("From where"), "via_text": _("Passed through")}
        help_texts = {
            "origin_text": _("Province, city or county, e.g. 湖北武汉 or 广东深圳."),
            "via_text": _("Places on the way, separated by commas."),
            "companions": _("Names or relation, e.g. wife and son."),
        }
        widgets = {
            "departed_on": forms.DateInput(attrs={"type": "date"}),
            "arrived_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_text"].widget.attrs.update(autocomplete="off")
        self.fields["via_text"].widget.attrs.update(autocomplete="off")
        self.fields["transport_number"].widget.attrs.update(
            autocomplete="off", autocapitalize="characters"
        )

    def _post_clean(self):
        # The service resolves the places, classifies the trip and validates it.
        pass


class KeyAreaForm(StyledFormMixin, forms.Form):
    """A key area: the place in words (resolved to its division code), the period, the label."""

    area = forms.CharField(
        label=_("Province, city or county"),
        max_length=60,
        help_text=_("E.g. 湖北, 武汉市 or 湖北武昌区."),
    )
    label = forms.CharField(
        label=_("Category name"),
        max_length=30,
        required=False,
        help_text=_("Left empty: the short name (湖北 for 湖北省), as in 湖北返乡人员, 经停湖北."),
    )
    starts_on = forms.DateField(
        label=_("Counts from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Counts until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Left empty: until further notice."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)

    def __init__(self, *args, regions: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].widget.attrs.update(autocomplete="off")
        if regions and len(regions) > 1:
            self.fields["region"] = forms.ChoiceField(label=_("Whose list"), choices=regions)
            self.order_fields(["region"])

    def clean_area(self) -> str:
        place = divisions.resolve(self.cleaned_data["area"])
        if place is None:
            raise forms.ValidationError(
                _("No single province, city or county goes by this name: add the province or city.")
            )
        self.cleaned_data["division_code"] = place.code
        return place.full_name

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return data

    @classmethod
    def initial_for(cls, key_area: KeyArea) -> dict:
        return {
            "area": key_area.name,
            "label": key_area.label,
            "starts_on": key_area.starts_on,
            "ends_on": key_area.ends_on,
            "notes": key_area.notes,
        }
