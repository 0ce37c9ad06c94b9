"""Demo accounts: one per role at the scopes a township works with. Pure data.

Names are invented; units are the township's real bodies. Regions are named by a key that
services resolves: "county", "township", a village's short name, or "<village>/<grid number>".
"""

from dataclasses import dataclass

from fangxian.accounts.roles import Role, WorkingGroup


@dataclass(frozen=True)
class DemoRole:
    role: str
    region: str  # region key, see the module docstring
    working_group: str = ""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    unit: str
    roles: tuple[DemoRole, ...] = ()
    is_party_member: bool = False
    is_superuser: bool = False  # also staff: the Django admin back office
    # An enterprise's own contact (企业联络员) holds no region role: a membership of the demo
    # enterprise of this name (demo/enterprises.py), and a home region (a region key).
    enterprise: str = ""
    home: str = ""


TOWN = "乌龙镇人民政府"

DEMO_ACCOUNTS = (
    DemoAccount(
        "hq",
        "李建华",
        TOWN,
        (DemoRole(Role.HQ, "township", WorkingGroup.COORDINATION),),
        is_party_member=True,
    ),
    DemoAccount(
        "hq_medical",
        "杨晓梅",
        "乌龙镇卫生院",
        (DemoRole(Role.HQ, "township", WorkingGroup.MEDICAL),),
        is_party_member=True,
    ),
    DemoAccount(
        "county",
        "赵明远",
        "东川区疫情防控指挥部",
        (DemoRole(Role.HQ, "county"),),
        is_party_member=True,
    ),
    DemoAccount(
        "leader",
        "周国强",
        TOWN,
        (DemoRole(Role.VILLAGE_LEADER, "瓦房村"), DemoRole(Role.VILLAGE_LEADER, "土城村")),
        is_party_member=True,
    ),
    DemoAccount(
        "cadre",
        "阮文华",
        "瓦房村委会",
        (DemoRole(Role.VILLAGE_CADRE, "瓦房村"),),
        is_party_member=True,
    ),
    DemoAccount("grid", "马丽芬", "瓦房村委会", (DemoRole(Role.GRID_WORKER, "瓦房村/1"),)),
    DemoAccount(
        "grid_beiqi", "张涛", "碑棋社区居委会", (DemoRole(Role.GRID_WORKER, "碑棋社区/1"),)
    ),
    DemoAccount("checkpoint", "虎成林", "瓦房村委会", (DemoRole(Role.CHECKPOINT_STAFF, "瓦房村"),)),
    DemoAccount("doctor", "刘佳", "乌龙镇卫生院", (DemoRole(Role.MEDIC, "township"),)),
    DemoAccount("police", "陈刚", "东川区公安分局乌龙派出所", (DemoRole(Role.POLICE, "township"),)),
    DemoAccount("supervisor", "黄志勇", TOWN, (DemoRole(Role.FACTORY_SUPERVISOR, "township"),)),
    DemoAccount("enterprise", "阮红梅", "东川瓦房砖厂", enterprise="东川瓦房砖厂", home="瓦房村"),
    DemoAccount("tracer", "孙燕", "东川区疾病预防控制中心", (DemoRole(Role.TRACER, "township"),)),
    DemoAccount(
        "inspector",
        "何敏",
        "乌龙镇纪律检查委员会",
        (DemoRole(Role.INSPECTOR, "township"),),
        is_party_member=True,
    ),
    DemoAccount(
        "volunteer",
        "朱小雨",
        "瓦房村党员志愿服务队",
        (DemoRole(Role.VOLUNTEER, "瓦房村"),),
        is_party_member=True,
    ),
    DemoAccount("admin", "系统管理员", TOWN, is_superuser=True),
)
