from fangxian.imports.placing import Unit, name_forms, place

TOWN = Unit(1, "530113105", "乌龙镇", 4)
WAFANG = Unit(2, "530113105214", "瓦房村", 5)
BEIQI = Unit(3, "530113105001", "碑棋社区", 5)
WAFANG_GRID = Unit(4, "53011310521401", "第一网格", 6)
HUANGBAO = Unit(5, "5301131052140101", "黄包谷地组", 7)
BEIQI_GRID = Unit(6, "53011310500101", "第一网格", 6)
BEIQI_DACUN = Unit(7, "5301131050010101", "大村组", 7)
WAFANG_DACUN = Unit(8, "5301131052140102", "大村组", 7)
UNITS = [TOWN, WAFANG, BEIQI, WAFANG_GRID, HUANGBAO, BEIQI_GRID, BEIQI_DACUN, WAFANG_DACUN]


def test_name_forms_drop_the_suffix_but_keep_two_characters():
    assert name_forms("瓦房村") == ("瓦房村", "瓦房")
    assert name_forms("碑棋社区") == ("碑棋社区", "碑棋")
    assert name_forms("大村") == ("大村",)


def test_a_full_address_reaches_the_group():
    assert place(["乌龙镇瓦房村黄包谷地组12号"], UNITS, root=TOWN).unit == HUANGBAO


def test_the_village_without_its_suffix_is_found():
    assert place(["瓦房黄包谷地"], UNITS, root=TOWN).unit == HUANGBAO


def test_a_group_is_looked_for_only_inside_the_named_village():
    assert place(["碑棋社区大村组3号"], UNITS, root=TOWN).unit == BEIQI_DACUN


def test_an_address_naming_only_the_village_stays_at_the_village():
    assert place(["瓦房村"], UNITS, root=TOWN).unit == WAFANG


def test_nothing_recognised_leaves_the_row_at_the_root():
    assert place(["昆明市五华区"], UNITS, root=TOWN).unit == TOWN


def test_two_groups_of_one_name_in_the_village_are_ambiguous_not_guessed():
    second_grid = Unit(9, "53011310521402", "第二网格", 6)
    other_dacun = Unit(10, "5301131052140201", "大村组", 7)
    units = [*UNITS, second_grid, other_dacun]
    placement = place(["瓦房村大村组"], units, root=TOWN)
    assert placement.unit == WAFANG
    assert set(placement.ambiguous) == {WAFANG_DACUN, other_dacun}
