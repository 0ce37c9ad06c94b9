from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MixedCharactersValidator:
    """At least two of: letters, digits, other characters (a common government-system rule)."""

    def validate(self, password: str, user=None) -> None:
        kinds = sum(
            [
                any(c.isalpha() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )
        if kinds < 2:
            raise ValidationError(
                _("The password must mix at least two of: letters, digits, symbols."),
                code="password_not_mixed",
            )

    def get_help_text(self) -> str:
        return _("Mix at least two of: letters, digits, symbols.")
