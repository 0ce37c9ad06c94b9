"""Cell rules: what real rosters contain, and the traps that must be named, never repaired."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fangxian.imports.cells import (
    CellError,
    date_cell,
    from_excel_serial,
    id_number_cell,
    is_blank_row,
    is_footer_row,
    phone_cell,
    sex_cell,
    temperature_cell,
    text,
    yes_no_cell,
)
from fangxian.imports.headers import split_header, year_from_preamble
from fangxian.imports.reading import read_table, value_at
from fangxian.imports.tests import builders
from fangxian.people import idnumber


def code_of(rule, *args, **kwargs) -> str:
    with pytest.raises(CellError) as caught:
        rule(*args, **kwargs)
    return caught.value.code


# --- text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("  张三 ", "张三"),
        ("瓦房村\u3000一组", "瓦房村 一组"),
        ("瓦房村 \n\t 一组", "瓦房村 一组"),
        ("１２３ＡＢｃ", "123ABc"),
        ("张\u200b三", "张三"),
        (123.0, "123"),
        (12, "12"),
        (36.5, "36.5"),
        (True, "TRUE"),
        (date(2020, 1, 23), "2020-01-23"),
        (datetime(2020, 1, 23, 14, 30), "2020-01-23 14:30"),  # noqa: DTZ001 (spreadsheet cells are naive)
        (time(8, 5), "08:05"),
        (float("nan"), ""),
    ],
)
def test_text_cleans_what_cells_hold(value, expected):
    assert text(value) == expected


@given(st.text())
def test_text_is_idempotent(value):
    assert text(text(value)) == text(value)


@given(st.one_of(st.integers(), st.floats(), st.dates(), st.datetimes(), st.booleans()))
def test_text_of_any_cell_is_idempotent(value):
    assert text(text(value)) == text(value)


# --- ID numbers ----------------------------------------------------------------------------

valid_ids = st.builds(
    idnumber.make,
    st.sampled_from(["530113", "110101", "420106", "810000"]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2019, 12, 31)),
    st.integers(min_value=0, max_value=999),
)


@given(valid_ids)
def test_an_id_number_excel_made_a_number_is_always_caught(number):
    assert code_of(id_number_cell, float(int(number[:17] + "0"))) == "id_excel_number"
    if number.isdigit():
        assert code_of(id_number_cell, float(int(number))) == "id_excel_number"
        assert code_of(id_number_cell, int(number)) == "id_excel_number"


@given(valid_ids)
def test_excels_scientific_display_is_caught(number):
    shown = f"{float(number[:17]) * 10:.5E}"
    assert code_of(id_number_cell, shown) == "id_excel_number"


@given(valid_ids, st.lists(st.sampled_from([" ", "\u3000", "\t"]), max_size=3))
def test_a_full_width_number_with_spaces_comes_back_normalised(number, spaces):
    messy = builders.full_width(number.lower())
    messy = spaces[0] + messy[:6] + "".join(spaces) + messy[6:] if spaces else messy
    assert id_number_cell(messy) == number
    assert idnumber.parse(id_number_cell(messy)).number == number


@given(valid_ids)
def test_a_valid_number_is_never_taken_for_a_truncated_one(number):
    assert id_number_cell(number) == number


def test_the_numeric_cell_is_shown_as_excel_shows_it():
    with pytest.raises(CellError) as caught:
        id_number_cell(530113199001010115.0)
    assert caught.value.params == {"value": "5.30113E+17"}


@pytest.mark.parametrize("shown", ["1.10101E+17", "5.30113e+17", "1.10101199003078E+17"])
def test_scientific_text_is_excel_damage(shown):
    assert code_of(id_number_cell, shown) == "id_excel_number"


def test_a_float_written_out_as_text_is_excel_damage():
    assert code_of(id_number_cell, "530113199001010000.0") == "id_excel_number"


def test_a_number_ending_000_with_a_bad_check_is_truncated():
    damaged = builders.truncated_id()
    with pytest.raises(CellError) as caught:
        id_number_cell(damaged)
    assert (caught.value.code, caught.value.params) == ("id_excel_truncated", {"value": damaged})


def test_a_lower_case_x_becomes_upper_case():
    number = builders.id_with_x()
    assert id_number_cell(number.lower()) == number


def test_a_blank_id_cell_is_empty_text():
    assert id_number_cell(None) == ""
    assert id_number_cell("  ") == ""


def test_other_text_is_left_to_idnumber_parse():
    assert id_number_cell("E12345678") == "E12345678"  # a passport: the document type decides


# --- dates ---------------------------------------------------------------------------------

FULL_SPELLINGS = [
    "{y}.{m}.{d}",
    "{y}/{m}/{d}",
    "{y}-{m:02d}-{d:02d}",
    "{y}-{m}-{d}",
    "{y}年{m}月{d}日",
    "{y}年{m}月{d}号",
    "{y} 年 {m} 月 {d} 日",
    "{y}{m:02d}{d:02d}",
    "{y}.{m:02d}.{d:02d} 14:30",
    "{y}-{m:02d}-{d:02d} 08:05:09",
    "{y}-{m:02d}-{d:02d}T14:30:00",
    "{y}年{m}月{d}日14时30分",
]
SHORT_SPELLINGS = ["{m}月{d}日", "{m}月{d}号", "{m}.{d}", "{m}-{d}", "{m}/{d}"]
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))


@given(dates, st.sampled_from(FULL_SPELLINGS), st.booleans())
def test_every_full_spelling_round_trips(day, spelling, wide):
    written = spelling.format(y=day.year, m=day.month, d=day.day)
    written = builders.full_width(written) if wide else written
    assert date_cell(written, year=None) == day
    assert date_cell(written, year=1999) == day  # the cell's own year wins


@given(dates, st.sampled_from(SHORT_SPELLINGS))
def test_month_and_day_take_the_imports_year(day, spelling):
    written = spelling.format(m=day.month, d=day.day)
    assert date_cell(written, year=day.year) == day
    assert code_of(date_cell, written, year=None) == "date_needs_year"


@given(dates)
def test_date_and_datetime_cells_round_trip(day):
    assert date_cell(day, year=None) == day
    assert date_cell(datetime(day.year, day.month, day.day, 14, 30), year=None) == day  # noqa: DTZ001 (spreadsheet cells are naive)


@given(st.dates(min_value=date(1954, 10, 3), max_value=date(2119, 1, 9)), st.booleans())
def test_excel_serials_round_trip(day, with_time):
    serial = (day - date(1899, 12, 30)).days
    value = serial + 0.6 if with_time else float(serial)
    assert date_cell(value, year=None) == day


@given(dates)
def test_a_compact_date_typed_as_a_number_is_read(day):
    assert date_cell(int(f"{day:%Y%m%d}"), year=None) == day
    assert date_cell(float(f"{day:%Y%m%d}"), year=None) == day


@given(dates)
def test_day_and_month_that_could_swap_are_never_guessed(day):
    written = f"{day.day}/{day.month}/{day.year}"
    if day.day <= 12 and day.day != day.month:
        assert code_of(date_cell, written, year=None) == "date_ambiguous"
    else:
        assert date_cell(written, year=None) == day


@pytest.mark.parametrize("written", ["20.2.3", "20/2/3", "2/3/20", "20年2月3日", "200203"])
def test_two_digit_years_are_ambiguous(written):
    assert code_of(date_cell, written, year=2020) == "date_ambiguous"


def test_a_number_that_was_typed_as_month_dot_day_is_ambiguous():
    # 2.10 typed into a General cell is stored as 2.1: the day is lost.
    assert code_of(date_cell, 2.1, year=2020) == "date_ambiguous"


@pytest.mark.parametrize(
    "written", ["2020.2.30", "2020年13月1日", "2.30", "二〇二〇年二月三日", "春节前", "2020年2月"]
)
def test_impossible_or_unknown_dates_are_unreadable(written):
    assert code_of(date_cell, written, year=2020) == "date_unreadable"


@pytest.mark.parametrize("value", [True, time(14, 30), timedelta(days=1), 5, 123456.0])
def test_cells_without_a_day_are_unreadable(value):
    assert code_of(date_cell, value, year=2020) == "date_unreadable"


def test_a_blank_date_cell_is_none():
    assert date_cell(None, year=None) is None
    assert date_cell("  ", year=None) is None


def test_dates_outside_the_given_bounds_are_out_of_range():
    with pytest.raises(CellError) as caught:
        date_cell("2002.1.23", year=None, earliest=date(2019, 12, 1), latest=date(2020, 12, 31))
    assert caught.value.code == "date_out_of_range"
    assert caught.value.params == {
        "value": "2002.1.23",
        "earliest": "2019-12-01",
        "latest": "2020-12-31",
    }


def test_excels_1900_leap_year_bug_is_honoured():
    assert from_excel_serial(1) == date(1900, 1, 1)
    assert from_excel_serial(59) == date(1900, 2, 28)
    assert from_excel_serial(61) == date(1900, 3, 1)
    assert from_excel_serial(43853) == date(2020, 1, 23)
    with pytest.raises(CellError):
        from_excel_serial(60)  # 29 February 1900 never was


# --- phones --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        (13812345678.0, "13812345678"),
        (13812345678, "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0871-65123456", "0871-65123456"),
        ("0871 6512345", "0871-6512345"),
        ("(0871)65123456", "0871-65123456"),
        ("（0871）65123456", "0871-65123456"),
        ("010-12345678", "010-12345678"),
        ("02112345678", "021-12345678"),
        (None, ""),
        ("", ""),
    ],
)
def test_phones_are_normalised(value, expected):
    assert phone_cell(value) == expected


@pytest.mark.parametrize(
    "value", ["1381234567", "12812345678", "5123456", "无", "138123456789", 1.5, True]
)
def test_phones_we_cannot_call_are_unreadable(value):
    assert code_of(phone_cell, value) == "phone_unreadable"


@pytest.mark.parametrize("value", ["13812345678/13987654321", "13812345678、0871-65123456"])
def test_two_phones_in_one_cell_are_refused(value):
    assert code_of(phone_cell, value) == "phone_several"


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from(["", "+86", "0086"]))
def test_any_mobile_survives_its_spacing(number, prefix):
    spaced = f"{prefix} {number[:3]} {number[3:7]}-{number[7:]}"
    assert phone_cell(spaced) == number


# --- sex, temperature, yes/no --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("男", "M"),
        ("女性", "F"),
        ("m", "M"),
        ("F", "F"),
        (1, "M"),
        (2.0, "F"),
        ("2", "F"),
        (None, ""),
    ],
)
def test_sex_is_read(value, expected):
    assert sex_cell(value) == expected


@pytest.mark.parametrize("value", ["未知", "男女", 3])
def test_unknown_sex_is_unreadable(value):
    assert code_of(sex_cell, value) == "sex_unreadable"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (36.5, Decimal("36.5")),
        (37, Decimal("37.0")),
        ("36.5℃", Decimal("36.5")),
        ("36.5 °C", Decimal("36.5")),
        ("36.5度", Decimal("36.5")),
        ("３６．８", Decimal("36.8")),
        (36.549999999, Decimal("36.5")),
        (None, None),
        ("", None),
    ],
)
def test_temperatures_are_read(value, expected):
    assert temperature_cell(value) == expected


@pytest.mark.parametrize("value", ["36,5", "正常", "36.5/36.8", "三十六度", True])
def test_temperatures_that_are_not_readings_are_unreadable(value):
    assert code_of(temperature_cell, value) == "temperature_unreadable"


@pytest.mark.parametrize("value", [97.7, "33.9", 43.1, "98.6°F"])
def test_implausible_temperatures_are_out_of_range(value):
    with pytest.raises(CellError) as caught:
        temperature_cell(value)
    assert caught.value.code in {"temperature_out_of_range", "temperature_unreadable"}
    if caught.value.code == "temperature_out_of_range":
        assert caught.value.params["low"] == "34"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("是", True),
        ("否", False),
        ("有", True),
        ("无", False),
        ("Y", True),
        ("n", False),
        ("√", True),
        ("×", False),
        (True, True),
        (0, False),
        (None, None),
    ],
)
def test_yes_and_no_are_read(value, expected):
    assert yes_no_cell(value) is expected


@pytest.mark.parametrize("value", ["x", "不详", "待定"])
def test_unclear_answers_are_unreadable(value):
    assert code_of(yes_no_cell, value) == "yes_no_unreadable"


# --- rows ----------------------------------------------------------------------------------


def test_blank_rows_are_recognised():
    assert is_blank_row([None, "", "  ", "\u3000", "\u200b"])
    assert is_blank_row([])
    assert not is_blank_row([None, 0])


@pytest.mark.parametrize(
    "row",
    [
        ["填表人：吴十", None, "审核人：郑十一"],
        [None, "审核人: 郑十一", None, "联系电话：0871-65123456"],
        ["制表人", "吴十"],
        ["合计", None, None, 12],
        ["总计：12人"],
        ["说明：以上人员均已纳入网格管理"],
        ["备注：身份证号请设置为文本格式"],
        ["联系电话：0871-65123456"],
        ["填报单位（盖章）：瓦房村"],
    ],
)
def test_footer_lines_are_recognised(row):
    assert is_footer_row(row)


@pytest.mark.parametrize(
    "row",
    [
        [1, "张三", "男", "530113199001010115"],
        [None, "李四", "女", None, "备注：已隔离"],
        [3, "王五", None, None, "负责人：张三"],
        ["备注", "姓名"],  # a header, not a note
        ["说明书", "1"],
        [],
    ],
)
def test_data_rows_are_not_footers(row):
    assert not is_footer_row(row)


# --- the whole roster ----------------------------------------------------------------------


def test_the_wulong_roster_reads_as_the_township_meant_it(tmp_path):
    path = tmp_path / "wulong.xlsx"
    expected = builders.write_wulong_roster(path)
    match, data = split_header(read_table(path).rows)
    year = year_from_preamble(match.preamble)
    column = match.mapping
    people, problems, blank, footer = [], [], [], []
    for index, row in data:
        if is_blank_row(row):
            blank.append(index)
            continue
        if is_footer_row(row):
            footer.append(index)
            continue
        try:
            people.append(
                (
                    text(value_at(row, column["name"])),
                    id_number_cell(value_at(row, column["id_number"])),
                    phone_cell(value_at(row, column["phone"])),
                    date_cell(value_at(row, column["returned_on"]), year=year),
                    temperature_cell(value_at(row, column["temperature"])),
                    yes_no_cell(value_at(row, column["home_quarantine"])),
                )
            )
        except CellError as error:
            problems.append((index, error.code))
    assert blank == expected["blank_rows"]
    assert footer == [expected["footer_row"]]
    assert problems == [(5, "id_excel_number"), (9, "id_excel_truncated"), (10, "id_excel_number")]
    assert people == [
        ("张三", expected["clean"], "13812345678", date(2020, 1, 23), Decimal("36.5"), True),
        ("王 五", expected["clean"], "13700001111", date(2020, 1, 25), Decimal("36.4"), True),
        ("赵 六", expected["with_x"], "0871-65123456", date(2020, 1, 26), Decimal("37.2"), False),
        ("周九", builders.valid_id(33), "13900003333", date(2020, 1, 29), Decimal("36.7"), True),
    ]
