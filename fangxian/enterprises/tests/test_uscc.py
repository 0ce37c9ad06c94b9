import pytest
from hypothesis import given
from hypothesis import strategies as st

from fangxian.enterprises import uscc

# Published codes (business licences printed in public notices).
KNOWN_VALID = ["91110000600037341L", "91310000775785552L"]


def _with_check(first17: str) -> str:
    return first17 + uscc.check_character(first17)


codes = st.text(alphabet=uscc.ALPHABET, min_size=17, max_size=17).map(_with_check)


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_published_codes_pass(code):
    assert uscc.validate(code) == code


def test_check_character_follows_gb_32100():
    # weights 3^i mod 31; check = (31 - sum mod 31) mod 31, as an index into the alphabet
    first17 = "91110000600037341"
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(uscc.ALPHABET.index(c) * w for c, w in zip(first17, weights, strict=True))
    assert uscc.check_character(first17) == uscc.ALPHABET[(31 - total % 31) % 31] == "L"


def test_normalises_full_width_lower_case_and_spaces():
    assert uscc.validate("９１１１ 0000-600037341l") == "91110000600037341L"


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("9111000060003734", uscc.WRONG_LENGTH),
        ("91110000600037341LL", uscc.WRONG_LENGTH),
        ("9111000060003734IL", uscc.BAD_CHARACTER),
        ("91110000600037341M", uscc.BAD_CHECK),
    ],
)
def test_broken_codes_name_the_rule(value, kind):
    with pytest.raises(uscc.UsccError) as caught:
        uscc.validate(value)
    assert caught.value.kind == kind


def _every_single_change(code: str):
    for position, original in enumerate(code):
        for replacement in uscc.ALPHABET + "IOSVZ":
            if replacement != original:
                yield code[:position] + replacement + code[position + 1 :]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_every_single_character_change_of_a_published_code_is_caught(code):
    changed = list(_every_single_change(code))
    assert len(changed) == 18 * 35
    caught = 0
    for variant in changed:
        with pytest.raises(uscc.UsccError):
            uscc.validate(variant)
        caught += 1
    assert caught == len(changed)


@given(codes)
def test_generated_codes_pass(code):
    assert uscc.validate(code) == code


@given(codes, st.integers(min_value=0, max_value=17), st.sampled_from(uscc.ALPHABET))
def test_any_single_substitution_is_caught(code, position, replacement):
    variant = code[:position] + replacement + code[position + 1 :]
    if variant == code:
        return
    with pytest.raises(uscc.UsccError):
        uscc.validate(variant)


def test_region_code_is_characters_3_to_8():
    assert uscc.region_code(_with_check("91530113MA6K4T3X3")) == "530113"
