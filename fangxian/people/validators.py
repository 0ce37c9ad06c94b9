"""Turn ID-number rule failures into messages that say what is wrong, in the user's language."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fangxian.people.idnumber import IdNumberError

MESSAGES = {
    "empty": _("Enter the ID number."),
    "length": _("An ID number has 18 characters; this one has %(length)s."),
    "character": _("Character %(position)s (“%(char)s”) must be a digit."),
    "check_character": _("The last character must be a digit or X, not “%(char)s”."),
    "area": _("The first six digits %(area)s are not an area code that has ever existed."),
    "birth_date": _("Digits 7 to 14 (%(text)s) are not a real date of birth."),
    "birth_range": _("The date of birth %(birth)s is in the future or implausibly early."),
    "check_digit": _(
        "The check character should be %(expected)s but is %(actual)s: a digit is probably mistyped."
    ),
}


def id_number_validation_error(error: IdNumberError, field: str = "id_number") -> ValidationError:
    message = MESSAGES[error.code] % error.params if error.params else MESSAGES[error.code]
    return ValidationError({field: ValidationError(message, code=f"id_number_{error.code}")})
