"""Field validators with Chinese messages that name the field's rule."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fangxian.enterprises import uscc

PLAN_MAX_BYTES = 10 * 1024 * 1024


def uscc_error(error: uscc.UsccError) -> ValidationError:
    if error.kind == uscc.WRONG_LENGTH:
        return ValidationError(
            _("The unified social credit code has 18 characters; this one has %(count)s.")
            % {"count": error.detail}
        )
    if error.kind == uscc.BAD_CHARACTER:
        return ValidationError(
            _(
                "The unified social credit code cannot contain “%(character)s”: it uses digits "
                "and capital letters except I, O, S, V and Z."
            )
            % {"character": error.detail}
        )
    return ValidationError(
        _(
            "The unified social credit code's check character is wrong: a character was "
            "mistyped. Compare it with the business licence."
        )
    )


def validate_uscc(value: str) -> None:
    if not value:
        return
    try:
        normalized = uscc.validate(value)
    except uscc.UsccError as error:
        raise uscc_error(error) from None
    if normalized != value:
        raise ValidationError(_("The unified social credit code must be stored normalised."))


def validate_plan_size(file) -> None:
    if file.size > PLAN_MAX_BYTES:
        raise ValidationError(_("The plan document is larger than 10 MB."))
