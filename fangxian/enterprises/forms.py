from django import forms
from django.utils.translation import gettext_lazy as _

from fangxian.core.forms import StyledFormMixin
from fangxian.enterprises.models import (
    DailyReport,
    Enterprise,
    ResumptionApplication,
    Worker,
    WorkerPlacement,
)
from fangxian.people.models import Person

# A browser's date picker reads and writes ISO dates, whatever the site's date format.
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class _NoInstanceMixin:
    def _post_clean(self):
        # The service builds, validates and saves the instance (and names the field in its
        # ValidationError): the form only parses the input.
        pass


class EnterpriseForm(_NoInstanceMixin, StyledFormMixin, forms.ModelForm):
    region = forms.ChoiceField(label=_("Village or community"))
    supervisor = forms.ChoiceField(label=_("On-site supervisor"), required=False)

    class Meta:
        model = Enterprise
        fields = [
            "region",
            "name",
            "uscc",
            "address",
            "industry",
            "workers_count",
            "contact_name",
            "contact_phone",
            "prevention_lead_name",
            "prevention_lead_phone",
            "supervisor",
        ]

    def __init__(self, *args, regions, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions
        self.fields["supervisor"].choices = [("", "—"), *supervisors]
        self.fields["uscc"].validators = []  # the service normalises, then validates
        for name in ("contact_phone", "prevention_lead_phone"):
            self.fields[name].widget.attrs.update(inputmode="tel", autocomplete="off")
        self.fields["uscc"].widget.attrs.update(autocapitalize="characters", autocomplete="off")


class AccountForm(StyledFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Leave empty to generate one: it is shown once, after saving."),
    )


class ApplicationForm(_NoInstanceMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ResumptionApplication
        fields = [
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
            "plan_document",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "plan_document": forms.ClearableFileInput(
                attrs={"accept": ".pdf,.doc,.docx,.jpg,.jpeg"}
            ),
        }


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("changes", _("Ask for changes"))],
    )
    comment = forms.CharField(
        label=_("Conditions or changes asked for"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ReopenForm(StyledFormMixin, forms.Form):
    reopened_on = forms.DateField(label=_("Reopened on"), widget=DATE)


class WorkerForm(_NoInstanceMixin, StyledFormMixin, forms.ModelForm):
    """Phone first: the identity fields only when adding; the rest in the roster's order."""

    name = forms.CharField(label=_("Name"), max_length=50)
    document_type = forms.ChoiceField(
        label=_("Document type"),
        choices=Person.DocumentType.choices,
        initial=Person.DocumentType.RESIDENT_ID,
    )
    id_number = forms.CharField(label=_("ID number"), max_length=40)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    class Meta:
        model = Worker
        fields = [
            "department",
            "post",
            "whereabouts",
            "via_text",
            "planned_return_on",
            "returned_on",
            "transport",
            "passed_key_area",
            "met_key_area_people",
            "contact_notes",
            "health",
            "family_returning",
            "reported_to_village",
        ]
        widgets = {"planned_return_on": DATE, "returned_on": DATE}

    IDENTITY = ("name", "document_type", "id_number", "phone")

    def __init__(self, *args, adding: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not adding:
            for name in self.IDENTITY:
                del self.fields[name]
        else:
            self.order_fields([*self.IDENTITY, *self.Meta.fields])
            self.fields["id_number"].widget.attrs.update(autocomplete="off")
            self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")


class PlacementForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Place under"), choices=WorkerPlacement.Kind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class DailyReportForm(_NoInstanceMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = DailyReport
        fields = ["day", *DailyReport.FIGURES]
        widgets = {"day": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DailyReport.FIGURES:
            if name != "notes":
                self.fields[name].widget.attrs.update(inputmode="numeric")
        self.fields["disinfectant_in_stock"].widget.attrs.update(inputmode="decimal")


class SupervisorReviewForm(StyledFormMixin, forms.Form):
    confirm = forms.BooleanField(label=_("The figures are right"), required=False)
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)


class DeadlineForm(StyledFormMixin, forms.Form):
    deadline = forms.TimeField(
        label=_("Daily deadline"), widget=forms.TimeInput(attrs={"type": "time"})
    )
