"""Forms of the daily reports: every error message names its field, in Chinese."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangxian.core.forms import StyledFormMixin
from fangxian.reports import computed
from fangxian.reports.models import Indicator, ReportingUnit, UnitKind


def named_errors(label: str) -> dict[str, str]:
    """Django's messages for a field, each naming it."""
    return {
        "required": _("%(field)s: this field is required.") % {"field": label},
        "invalid": _("%(field)s: enter a valid value.") % {"field": label},
        "invalid_choice": _("%(field)s: choose one of the options.") % {"field": label},
        "min_value": _("%(field)s: a figure cannot be negative.") % {"field": label},
        "max_digits": _("%(field)s: the figure is too large.") % {"field": label},
        "max_decimal_places": _("%(field)s: at most two decimals.") % {"field": label},
        "max_whole_digits": _("%(field)s: the figure is too large.") % {"field": label},
    }


class NamedErrorsMixin(StyledFormMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.update(named_errors(str(field.label)))


class DailyReportForm(NamedErrorsMixin, forms.Form):
    """The reported indicators of a unit's form (computed ones are shown, never posted)."""

    def __init__(self, *args, indicators: list[Indicator], correcting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = [i for i in indicators if not i.is_computed]
        for indicator in self.indicators:
            field = forms.DecimalField(
                label=indicator.name,
                min_value=Decimal(0),
                max_digits=14,
                decimal_places=2,
                help_text=indicator.unit,
                widget=forms.NumberInput(
                    attrs={
                        "inputmode": "decimal",
                        "min": "0",
                        "step": "any",
                        "class": "form-control form-control-lg",
                    }
                ),
            )
            field.error_messages.update(named_errors(indicator.name))
            self.fields[f"i{indicator.pk}"] = field
        if correcting:
            self.fields["reason"] = forms.CharField(
                label=gettext_lazy("Reason for the correction"),
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
            self.fields["refresh_computed"] = forms.BooleanField(
                label=gettext_lazy("Take the computed figures from the records again"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            for name in ("reason", "refresh_computed"):
                field = self.fields[name]
                field.error_messages.update(named_errors(str(field.label)))

    def values(self) -> dict[int, Decimal]:
        return {i.pk: self.cleaned_data[f"i{i.pk}"] for i in self.indicators}


class IndicatorForm(NamedErrorsMixin, forms.ModelForm):
    unit_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Reported by"),
        choices=UnitKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "code",
            "unit",
            "kind",
            "computation",
            "semantics",
            "unit_kinds",
            "position",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["computation"] = forms.ChoiceField(
            label=Indicator._meta.get_field("computation").verbose_name,
            choices=[("", "—"), *computed.choices()],
            required=False,
        )
        self.fields["unit_kinds"].widget.attrs["class"] = "list-unstyled"
        for field in self.fields.values():
            field.error_messages.update(named_errors(str(field.label)))

    def clean(self):
        data = super().clean()
        kind, computation = data.get("kind"), data.get("computation", "")
        if kind == Indicator.Kind.COMPUTED and not computation:
            raise ValidationError(
                {"computation": _("Computation: choose what a computed indicator counts.")}
            )
        if kind == Indicator.Kind.REPORTED:
            data["computation"] = ""
        if kind == Indicator.Kind.COMPUTED:
            found = computed.get(computation)
            if found is not None and found.semantics != data.get("semantics"):
                raise ValidationError(
                    {
                        "semantics": _(
                            "Meaning of a day's value: this computation gives %(meaning)s."
                        )
                        % {"meaning": Indicator.Semantics(found.semantics).label}
                    }
                )
        return data


class DeadlineForm(NamedErrorsMixin, forms.Form):
    region = forms.ChoiceField(label=gettext_lazy("Township or village"))
    deadline = forms.TimeField(
        label=gettext_lazy("Daily deadline"), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, str(r)) for r in regions]


class WordingForm(NamedErrorsMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 14}))


class InstructionForm(NamedErrorsMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    body = forms.CharField(
        label=gettext_lazy("Instruction"), widget=forms.Textarea(attrs={"rows": 5})
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    all_units = forms.BooleanField(label=gettext_lazy("To all units"), required=False)
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units"),
        queryset=ReportingUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["units"].widget.attrs["class"] = "list-unstyled"

    def clean_due_on(self) -> date:
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise ValidationError(_("Due on: the day has passed."))
        return due

    def clean(self):
        data = super().clean()
        if not data.get("all_units") and not data.get("units"):
            raise ValidationError({"units": _("Units: choose some units, or all.")})
        return data


class RespondForm(NamedErrorsMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Report back"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UnitForm(NamedErrorsMixin, forms.ModelForm):
    """A reporting unit: its kind, name, region (among those HQ manages) and members (among the
    people who hold a role there)."""

    region_code = forms.ChoiceField(label=gettext_lazy("Region"))

    class Meta:
        model = ReportingUnit
        fields = ["kind", "name", "members", "reports_from", "is_active"]
        widgets = {
            "members": forms.CheckboxSelectMultiple,
            "reports_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, regions, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in regions}
        self.fields["region_code"].choices = [(code, str(r)) for code, r in self.regions.items()]
        if self.instance.pk:
            self.fields["region_code"].initial = self.instance.region.code
        self.fields["members"].queryset = people
        self.fields["members"].widget.attrs["class"] = "list-unstyled"
        self.order_fields(["kind", "name", "region_code", "members", "reports_from", "is_active"])

    def clean_region_code(self):
        return self.regions[self.cleaned_data["region_code"]]
