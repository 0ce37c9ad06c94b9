"""The signed, time-limited nonce of the public scan page.

The page's form carries a client id (a UUID made when the page is shown) and this nonce: the
place's token and the client id, signed with the site's secret and the time. A POST whose nonce
does not verify (tampered, made for another place or client id, or older than MAX_AGE) records
nothing and asks to scan again; a POST repeated with the same client id is answered with the
scan already made (scan_record is idempotent). So a replayed request is refused or harmless,
and a form cannot be forged without having opened the place's page (holding its token) first.
"""

import uuid

from django.core import signing

MAX_AGE_SECONDS = 30 * 60
_SALT = "fangxian.places.scan"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT)


def make_nonce(*, token: str, client_id: uuid.UUID) -> str:
    return _signer().sign(f"{token}:{client_id}")


def nonce_valid(*, nonce: str, token: str, client_id: uuid.UUID) -> bool:
    """Whether `nonce` was made by us, less than MAX_AGE_SECONDS ago, for this place and id."""
    try:
        value = _signer().unsign(nonce or "", max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return False
    return value == f"{token}:{client_id}"
