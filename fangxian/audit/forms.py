from django import forms
from django.utils.translation import gettext_lazy as _

from fangxian.audit.models import AuditEntry
from fangxian.core.forms import StyledFormMixin


class AuditFilterForm(StyledFormMixin, forms.Form):
    user = forms.CharField(label=_("User (username or name)"), required=False)
    person = forms.IntegerField(label=_("Person id"), required=False, min_value=1)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *AuditEntry.Action.choices]
    )
    day_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    day_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
