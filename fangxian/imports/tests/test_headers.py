"""Header detection and column mapping over the layouts townships really used."""

from itertools import islice

import pytest

from fangxian.imports.headers import (
    FIELD_SYNONYMS,
    Column,
    HeaderError,
    apply_mapping_override,
    find_header,
    match_header,
    normalize_header,
    split_header,
    year_from_preamble,
)
from fangxian.imports.reading import read_table
from fangxian.imports.tests import builders


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("身份证号", "id_number"),
        ("身份证号码", "id_number"),
        ("公民身份号码", "id_number"),
        ("证件号码", "id_number"),
        ("身份证号码（18位）", "id_number"),
        ("返乡人员身份证号码", "id_number"),
        ("身份证\n号码", "id_number"),  # Alt+Enter inside the header cell
        ("* 姓  名", "name"),  # required-field star, spaces to widen the column
        ("姓名：", "name"),
        ("人员姓名", "name"),
        ("联系电话", "phone"),
        ("手机号码", "phone"),
        ("本人电话", "phone"),
        ("现住址（村组）", "address"),
        ("现住址(村组)", "address"),
        ("村（社区）", "village"),
        ("村民小组", "group"),
        ("体温（℃）", "temperature"),
        ("体温(℃)", "temperature"),
        ("体温℃", "temperature"),
        ("车次/航班/车牌", "transport_number"),
        ("车次、航班号、车牌号", "transport_number"),
        ("航班号", "transport_number"),
        ("途径地", "via"),  # the common misspelling of 途经地
        ("同行人员", "companions"),
        ("是否居家隔离", "home_quarantine"),
        ("排查日期", "screened_on"),
        ("返回时间", "returned_on"),
        ("姓\u3000名", "name"),  # an ideographic space
    ],
)
def test_headers_are_matched_through_their_spellings(header, field):
    assert match_header(header) == field


@pytest.mark.parametrize(
    "header",
    [
        "同行人身份证号",  # someone else's ID number
        "紧急联系人电话",
        "户主姓名",
        "家庭住址及联系电话",  # two fields in one column
        "是否有智能手机",  # ends in 手机 but is a question
        "返回信息",  # a group title
        "籍贯",
        "",
    ],
)
def test_headers_that_could_mislead_are_not_matched(header):
    assert match_header(header) is None


def test_every_synonym_maps_to_its_own_field():
    for field, spellings in FIELD_SYNONYMS.items():
        for spelling in spellings:
            assert match_header(spelling) == field, spelling


def test_normalisation_removes_only_what_does_not_change_the_meaning():
    assert normalize_header(" *身份证号码： ") == "身份证号码"
    assert normalize_header("ＩＤ　号") == "id号"


def test_a_plain_header_on_the_first_row():
    match = find_header([["序号", "姓名", "身份证号", "联系电话"], [1, "张三", "x", "138"]])
    assert (match.header_row, match.header_rows) == (0, 1)
    assert match.mapping == {"serial": 0, "name": 1, "id_number": 2, "phone": 3}
    assert match.first_data_row == 1


def test_the_wulong_roster_header_is_found_under_title_and_filing_line(tmp_path):
    path = tmp_path / "wulong.xlsx"
    expected = builders.write_wulong_roster(path)
    rows = list(islice(read_table(path).rows, 15))
    match = find_header(rows)
    assert match.header_row == expected["header_row"]
    assert match.header_rows == 2
    assert match.mapping == builders.ROSTER_COLUMNS
    assert match.unknown == []
    assert match.conflicts == []
    assert match.preamble == [builders.TITLE, "填报单位：瓦房村 填报日期：2020年2月3日"]
    assert year_from_preamble(match.preamble) == 2020


def test_two_row_header_takes_the_lower_names_under_a_group_title():
    rows = [
        ["序号", "基本信息", None, None, "返回信息", None, "备注"],
        [None, "姓名", "性别", "身份证号", "从何地返回", "返回时间", None],
        [1, "张三", "男", "530113199001010115", "武汉", "2020.1.23", None],
    ]
    match = find_header(rows)
    assert (match.header_row, match.header_rows) == (1, 2)
    assert [column.header for column in match.columns] == [
        "序号",
        "姓名",
        "性别",
        "身份证号",
        "从何地返回",
        "返回时间",
        "备注",
    ]
    assert match.mapping["notes"] == 6


def test_a_sparse_first_data_row_is_not_taken_for_a_second_header_row():
    rows = [
        ["姓名", "身份证号", "联系电话", "从何地返回", "返回时间"],
        ["张三", None, None, None, None],
    ]
    match = find_header(rows)
    assert (match.header_row, match.header_rows) == (0, 1)


def test_the_row_naming_most_fields_wins():
    rows = [
        ["说明：姓名和身份证号必填"],
        ["姓名", "电话"],  # a small legend
        [],
        ["序号", "姓名", "性别", "身份证号", "联系电话", "现住址"],
    ]
    assert find_header(rows).header_row == 3


def test_a_header_mentioning_a_list_is_not_taken_for_a_title():
    rows = [["乌龙镇重点人员名单", None, "瓦房村"], ["姓名", "身份证号", "是否在重点人员名单内"]]
    match = find_header(rows)
    assert match.header_row == 1
    assert match.unknown == [Column(2, "是否在重点人员名单内", None)]


def test_unknown_headers_and_repeated_fields_are_reported():
    match = find_header([["姓名", "籍贯", "上午体温", "下午体温", "身份证号"]])
    assert match.unknown == [Column(1, "籍贯", None)]
    assert match.mapping["temperature"] == 2
    assert match.conflicts == [Column(3, "下午体温", "temperature")]


def test_a_header_without_name_or_id_number_is_refused():
    with pytest.raises(HeaderError) as caught:
        find_header([["标题"], ["联系电话", "现住址", "返回时间"], ["138", "瓦房村", "2.3"]])
    assert (caught.value.code, caught.value.params) == ("missing_key_column", {"row": 2})


def test_no_header_at_all_is_refused():
    with pytest.raises(HeaderError) as caught:
        find_header([["张三", "138"], ["李四", "139"]])
    assert (caught.value.code, caught.value.params) == ("no_header", {"scanned": 2})


def test_a_header_below_the_scanned_rows_is_not_found():
    rows = [[None]] * 20 + [["姓名", "身份证号"]]
    with pytest.raises(HeaderError):
        find_header(rows, max_scan=15)
    assert find_header(rows, max_scan=25).header_row == 20


def test_split_header_continues_with_the_data_rows_and_their_indexes(tmp_path):
    path = tmp_path / "wulong.xlsx"
    expected = builders.write_wulong_roster(path)
    match, data = split_header(read_table(path).rows)
    indexed = list(data)
    assert match.header_row == expected["header_row"]
    assert indexed[0][0] == expected["first_data_row"]
    assert indexed[0][1][1] == "张三"
    assert indexed[-1][0] == expected["footer_row"]


def test_split_header_reads_past_the_scanned_rows():
    rows = iter([["姓名", "身份证号"]] + [[f"人{i}", None] for i in range(40)])
    match, data = split_header(rows, max_scan=5)
    indexed = list(data)
    assert match.header_row == 0
    assert [index for index, _ in indexed] == list(range(1, 41))


def test_an_override_moves_a_field_to_another_column():
    match = find_header([["姓名", "身份证号", "证件号码", "籍贯"]])
    assert match.conflicts == [Column(2, "证件号码", "id_number")]
    fixed = apply_mapping_override(match, {"id_number": 2})
    assert fixed.mapping == {"name": 0, "id_number": 2}
    assert fixed.conflicts == []
    assert fixed.unknown == [Column(1, "身份证号", None), Column(3, "籍贯", None)]
    assert match.mapping["id_number"] == 1  # the original is unchanged


def test_an_override_can_ignore_a_field_and_claim_an_unknown_column():
    match = find_header([["姓名", "身份证号", "籍贯", "联系电话"]])
    fixed = apply_mapping_override(match, {"phone": None, "origin": 2})
    assert fixed.mapping == {"name": 0, "id_number": 1, "origin": 2}
    assert fixed.columns[2] == Column(2, "籍贯", "origin")
    assert fixed.columns[3] == Column(3, "联系电话", None)


def test_a_column_feeds_one_field_only():
    match = find_header([["姓名", "身份证号", "联系电话"]])
    fixed = apply_mapping_override(match, {"notes": 2})
    assert fixed.mapping == {"name": 0, "id_number": 1, "notes": 2}


def test_columns_without_a_header_keep_their_place_and_can_be_mapped():
    match = find_header([["姓名", None, "身份证号", "", "联系电话"]])
    assert [column.index for column in match.columns] == [0, 1, 2, 3, 4]
    assert match.columns[1] == Column(1, "", None)
    assert match.unknown == []
    fixed = apply_mapping_override(match, {"phone": 3})
    assert fixed.mapping["phone"] == 3
    assert fixed.columns[3] == Column(3, "", "phone")


def test_an_override_with_an_unknown_field_or_column_is_refused():
    match = find_header([["姓名", "身份证号"]])
    with pytest.raises(HeaderError) as caught:
        apply_mapping_override(match, {"blood_type": 0})
    assert caught.value.code == "unknown_field"
    with pytest.raises(HeaderError) as caught:
        apply_mapping_override(match, {"phone": 7})
    assert caught.value.code == "column_out_of_range"
    assert caught.value.params == {"column": "H", "last": "B"}


def test_year_from_preamble_reads_the_filing_date():
    assert year_from_preamble(["填报单位：瓦房村 填报日期：2020年2月3日"]) == 2020
    assert year_from_preamble(["填表日期:2021.1.5"]) == 2021
    assert year_from_preamble(["乌龙镇返乡人员排查登记表"]) is None
