"""Log logins, failed logins and logouts (Django's auth signals) into the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from fangxian.audit.services import Action, audit_record


@receiver(user_logged_in, dispatch_uid="audit_login")
def _on_login(sender, request, user, **kwargs):
    audit_record(actor=user, action=Action.LOGIN)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        actor=None, action=Action.LOGIN_FAILED, username=str(credentials.get("username", ""))[:150]
    )


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=Action.LOGOUT)
