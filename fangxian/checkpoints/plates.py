"""Vehicle plates (车牌号, GA 36-2018): pure rules, no Django.

- Ordinary plate: 7 characters, a province abbreviation (京 津 沪 … 云), the issuing office's
  letter (A–Z without I and O), then 5 letters or digits (no I, no O). The last character may
  instead be a suffix: 学 (driving school), 警 (police), 挂 (trailer), 港/澳 (cross-border), and
  an embassy or consulate plate ends in 使/领.
- New-energy plate: 8 characters, province + letter, then 6: small cars carry D/A/B/C/E (pure
  electric) or F/G/H/J/K (others) first and 5 digits after; large vehicles 5 digits and the
  letter last.
- Anything else (military, emergency, tractor, temporary plates …) is kept as free text of the
  kind OTHER: the registration never refuses a car because its plate is unusual.

The province character is read and never judged: nobody is flagged for it (the law warns against
exactly that regional discrimination). `parse` says what the plate is, nothing more.
"""

import re
import unicodedata
from dataclasses import dataclass

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, no O
ALNUM = LETTERS + "0123456789"
SUFFIXES = "学警挂港澳使领"
ENERGY_PURE = "DABCE"  # pure electric
ENERGY_OTHER = "FGHJK"  # plug-in hybrid and others
ENERGY_LETTERS = ENERGY_PURE + ENERGY_OTHER

ORDINARY = "ordinary"
NEW_ENERGY = "new_energy"
SPECIAL = "special"  # an ordinary plate with a suffix (学 警 挂 港 澳 使 领)
OTHER = "other"

_ORDINARY = re.compile(f"^[{PROVINCES}][{LETTERS}][{ALNUM}]{{5}}$")
_SUFFIXED = re.compile(f"^[{PROVINCES}][{LETTERS}][{ALNUM}]{{4}}[{SUFFIXES}]$")
_ENERGY_SMALL = re.compile(f"^[{PROVINCES}][{LETTERS}][{ENERGY_LETTERS}][{ALNUM}][0-9]{{4}}$")
_ENERGY_LARGE = re.compile(f"^[{PROVINCES}][{LETTERS}][0-9]{{5}}[{ENERGY_LETTERS}]$")
_SPACES = re.compile(r"[\s·•.\-_]+")


@dataclass(frozen=True)
class Plate:
    text: str  # normalised: NFKC, upper case, no spaces or dots
    kind: str  # ORDINARY, NEW_ENERGY, SPECIAL, OTHER
    province: str = ""  # the abbreviation, for the record only: never a reason to flag

    @property
    def is_standard(self) -> bool:
        return self.kind != OTHER


class PlateError(ValueError):
    """The text looks like a civilian plate but breaks its rules; `code` says which."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# Error codes; the Django layer has a Chinese message for each (checkpoints.forms).
EMPTY = "empty"
BAD_PROVINCE = "bad_province"
BAD_LETTER = "bad_letter"
I_OR_O = "i_or_o"
BAD_LENGTH = "bad_length"
BAD_ENERGY = "bad_energy"
BAD_CHARACTERS = "bad_characters"


def normalize(text: str) -> str:
    """Full-width to half-width, upper case, separators dropped: ' 云a·12345 ' -> 云A12345."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).upper()


def parse(text: str, *, allow_other: bool = False) -> Plate:
    """Read a plate. A text starting with a province abbreviation must follow the civilian
    rules (PlateError says what is wrong); other texts are refused unless `allow_other`, the
    free-text path for military, emergency, tractor and temporary plates."""
    plate = normalize(text)
    if not plate:
        raise PlateError(EMPTY)
    if plate[0] not in PROVINCES:
        if allow_other:
            return Plate(text=plate, kind=OTHER)
        raise PlateError(BAD_PROVINCE)
    if len(plate) < 2 or plate[1] not in LETTERS:
        raise PlateError(I_OR_O if plate[1:2] in ("I", "O") else BAD_LETTER)
    if "I" in plate or "O" in plate:
        raise PlateError(I_OR_O)
    if len(plate) == 7:
        if _ORDINARY.match(plate):
            return Plate(text=plate, kind=ORDINARY, province=plate[0])
        if _SUFFIXED.match(plate):
            return Plate(text=plate, kind=SPECIAL, province=plate[0])
        raise PlateError(BAD_CHARACTERS)
    if len(plate) == 8:
        if _ENERGY_SMALL.match(plate) or _ENERGY_LARGE.match(plate):
            return Plate(text=plate, kind=NEW_ENERGY, province=plate[0])
        raise PlateError(BAD_ENERGY)
    raise PlateError(BAD_LENGTH)
