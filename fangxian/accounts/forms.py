from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fangxian.accounts.models import User
from fangxian.accounts.roles import Role, WorkingGroup
from fangxian.accounts.services import login_is_throttled
from fangxian.audit.middleware import client_address
from fangxian.audit.services import Action, audit_record
from fangxian.core.forms import StyledFormMixin


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password."),
        "throttled": _("Too many failed attempts. Wait %(minutes)s minutes and try again."),
    }

    def clean(self):
        from django.conf import settings

        username = self.cleaned_data.get("username", "")
        if login_is_throttled(username=username, ip_address=client_address(self.request)):
            # Counted as a failure too, so guessing on does not reset the window.
            audit_record(actor=None, action=Action.LOGIN_REFUSED, username=username[:150])
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_MINUTES},
            )
        return super().clean()


class UserForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "unit", "is_party_member", "is_active"]

    def _post_clean(self):
        # Leave the instance untouched: user_update compares it with the cleaned data to find
        # the changed fields, saves them and records them in the audit trail.
        pass


class UserCreateForm(StyledFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    unit = forms.CharField(label=_("Work unit"), max_length=100, required=False)
    is_party_member = forms.BooleanField(label=_("Party member"), required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    region = forms.ChoiceField(label=_("Region"))
    working_group = forms.ChoiceField(
        label=_("Working group"), choices=[("", "—"), *WorkingGroup.choices], required=False
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."))
        return username


class RoleAssignForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    region = forms.ChoiceField(label=_("Region"))
    working_group = forms.ChoiceField(
        label=_("Working group"), choices=[("", "—"), *WorkingGroup.choices], required=False
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions


class PasswordSetForm(StyledFormMixin, forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass
