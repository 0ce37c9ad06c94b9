from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from fangxian.core.forms import StyledFormMixin

ACCEPTED = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
MAX_BYTES = 50 * 1024 * 1024


class FileForm(StyledFormMixin, forms.Form):
    """The file and the year of dates written without one: all an enterprise's roster needs."""

    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("Excel (.xlsx, .xls), OpenDocument (.ods) or CSV in any common encoding."),
    )
    year = forms.IntegerField(
        label=_("Year of dates written without one"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("For dates like 1月23日."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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


class UploadForm(FileForm):
    field_order = ("file", "region", "target", "source_unit", "enterprise", "year")

    region = forms.ChoiceField(label=_("The rows belong to"))
    # The roster of an enterprise is chosen by naming the enterprise below.
    target = forms.ChoiceField(
        label=_("Import into"),
        required=False,
        choices=[
            ("people", _("People ledger")),
            ("orders", _("Quarantine list (隔离名单)")),
            ("enterprises", _("Enterprise registry (企业台账)")),
        ],
        help_text=_(
            "A quarantine list places people already in the ledger under orders that wait for "
            "a second approver. An enterprise list registers or updates the region's "
            "enterprises, matched by their unified social credit code."
        ),
    )
    source_unit = forms.CharField(
        label=_("Unit that sent the list"),
        required=False,
        max_length=100,
        help_text=_("For a quarantine list: the unit that sent it, e.g. 县疾控中心."),
    )
    enterprise = forms.ChoiceField(
        label=_("Or: the roster of an enterprise"),
        required=False,
        help_text=_("Returning workers (返岗人员花名册) go to this enterprise's roster."),
    )

    def __init__(self, *args, regions, enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions
        self.fields["enterprise"].choices = [("", "—"), *enterprises]
        if not enterprises:
            del self.fields["enterprise"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") == "orders":
            if not (cleaned.get("source_unit") or "").strip():
                self.add_error("source_unit", _("Name the unit that sent the list."))
            if cleaned.get("enterprise"):
                self.add_error("enterprise", _("A quarantine list does not go to an enterprise."))
        if cleaned.get("target") == "enterprises" and cleaned.get("enterprise"):
            self.add_error("enterprise", _("An enterprise list does not go to one enterprise."))
        return cleaned
