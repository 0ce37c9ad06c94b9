from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from fangxian.core.forms import StyledFormMixin

ACCEPTED = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
MAX_BYTES = 50 * 1024 * 1024


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("Excel (.xlsx, .xls), OpenDocument (.ods) or CSV in any common encoding."),
    )
    region = forms.ChoiceField(label=_("The rows belong to"))
    enterprise = forms.ChoiceField(
        label=_("Or: the roster of an enterprise"),
        required=False,
        help_text=_("Returning workers (返岗人员花名册) go to this enterprise's roster."),
    )
    year = forms.IntegerField(
        label=_("Year of dates written without one"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("For dates like 1月23日."),
    )

    def __init__(self, *args, regions, enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions
        self.fields["enterprise"].choices = [("", "—"), *enterprises]
        if not enterprises:
            del self.fields["enterprise"]
        self.fields["file"].widget.attrs["accept"] = ",".join(ACCEPTED)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ACCEPTED:
            raise forms.ValidationError(_("Upload an .xlsx, .xls, .ods or .csv file."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 50 MB; import it from the command line.")
            )
        return upload
