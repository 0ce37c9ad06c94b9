"""Mainland mobile numbers as typed on the scan page. Pure rules, no Django."""

import re

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_SEPARATORS = re.compile(r"[\s\-()（）]")


def normalize_mobile(text: str) -> str | None:
    """The 11 digits of a mainland mobile number (spaces, dashes and a +86/0086 prefix dropped),
    or None when the text is not one."""
    digits = _SEPARATORS.sub("", text or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    return digits if _MOBILE.fullmatch(digits) else None
