from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fangxian.core.forms import StyledFormMixin
from fangxian.people.models import Household, Person
from fangxian.people.services import ID_FORMAT_DOCUMENTS, person_identity


class HouseholdForm(StyledFormMixin, forms.ModelForm):
    region = forms.ChoiceField(label=_("Grid or group"))

    class Meta:
        model = Household
        fields = ["region", "address", "head_name", "phone", "number", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")

    def _post_clean(self):
        # `region` is a code here, not a Region: the view resolves it within the user's scope
        # and the service validates the household, so the model instance is not built here.
        pass


class PersonForm(StyledFormMixin, forms.ModelForm):
    """Birth date and sex are asked only for documents that do not carry them."""

    class Meta:
        model = Person
        fields = [
            "name",
            "document_type",
            "id_number",
            "phone",
            "relation",
            "birth_date",
            "sex",
            "notes",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "birth_date": _("Only for documents other than the resident ID card."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].widget.attrs.update(
            autocomplete="off", autocapitalize="characters"
        )
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")

    def clean(self):
        data = super().clean()
        document_type = data.get("document_type")
        if document_type in ID_FORMAT_DOCUMENTS and data.get("id_number") is not None:
            try:
                data.update(
                    person_identity(document_type=document_type, id_number=data["id_number"])
                )
            except ValidationError as error:
                self.add_error(None, error)
        elif document_type and not data.get("id_number"):
            self.add_error("id_number", _("Enter the document number."))
        return data

    def _post_clean(self):
        # Uniqueness and the rest are checked by the service, inside its transaction.
        pass
