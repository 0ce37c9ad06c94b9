"""The roles townships worked with, and what each may do. Pure data, no queries."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HQ = "hq", _("HQ (command)")  # 指挥部
    VILLAGE_LEADER = "village_leader", _("Leader responsible for villages")  # 包村领导
    VILLAGE_CADRE = "village_cadre", _("Village or community cadre")  # 村(社区)干部
    GRID_WORKER = "grid_worker", _("Grid worker")  # 网格员
    CHECKPOINT_STAFF = "checkpoint_staff", _("Checkpoint staff")  # 卡点值守人员
    MEDIC = "medic", _("Doctor or nurse")  # 医护人员
    POLICE = "police", _("Police officer")  # 民警
    FACTORY_SUPERVISOR = "factory_supervisor", _("On-site factory supervisor")  # 驻厂监督员
    INSPECTOR = "inspector", _("Inspector")  # 督导人员
    VOLUNTEER = "volunteer", _("Volunteer")  # 志愿者


class WorkingGroup(models.TextChoices):
    """HQ working groups (工作专班), as 长山镇 listed its thirteen."""

    COORDINATION = "coordination", _("General coordination")  # 综合协调
    MEDICAL = "medical", _("Medical treatment")  # 医疗救治
    EXPERTS = "experts", _("Prevention experts")  # 防控专家
    PUBLICITY = "publicity", _("Publicity and public opinion")  # 宣传舆情
    LOGISTICS = "logistics", _("Logistics and emergency supplies")  # 后勤保障
    FOLLOW_UP = "follow_up", _("Social follow-up")  # 社会随访
    REPORTING = "reporting", _("Information reporting")  # 信息上报
    MARKETS = "markets", _("Market management")  # 市场交易管理
    PUBLIC_PLACES = "public_places", _("Public places")  # 公共场所管理
    FARMING = "farming", _("Farming and animal disease control")  # 农业生产及畜禽防疫
    ENTERPRISES = "enterprises", _("Industrial enterprises")  # 工业企业
    TRAFFIC = "traffic", _("Joint traffic control")  # 交通联防
    INSPECTION = "inspection", _("Supervision and inspection")  # 督导督查


class Capability:
    VIEW_PEOPLE = "view_people"  # see the ledger, masked
    EDIT_PEOPLE = "edit_people"  # add and change households and people
    VIEW_FULL_PII = "view_full_pii"  # open a record with full ID number and phone (audited)
    MANAGE_USERS = "manage_users"  # create users and assign roles inside one's scope
    VIEW_AUDIT_LOG = "view_audit_log"  # read the operation and login logs
    # Export the list with full ID numbers and phones (audited); everyone else exports masked.
    EXPORT_FULL_PII = "export_full_pii"
    # Open door-to-door screening campaigns (拉网式排查); recording visits needs EDIT_PEOPLE.
    MANAGE_CAMPAIGNS = "manage_campaigns"
    # Keep the list of key areas (重点地区) that classifies returnees: HQ only.
    MANAGE_KEY_AREAS = "manage_key_areas"

    ALL = (
        VIEW_PEOPLE,
        EDIT_PEOPLE,
        VIEW_FULL_PII,
        MANAGE_USERS,
        VIEW_AUDIT_LOG,
        EXPORT_FULL_PII,
        MANAGE_CAMPAIGNS,
        MANAGE_KEY_AREAS,
    )


# Least privilege: checkpoint staff look people up (masked); volunteers and factory supervisors
# get the ledger only through the later capabilities that need it (errands, enterprises).
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.HQ: frozenset(Capability.ALL),
    Role.VILLAGE_LEADER: frozenset(
        {Capability.VIEW_PEOPLE, Capability.EDIT_PEOPLE, Capability.VIEW_FULL_PII}
    ),
    Role.VILLAGE_CADRE: frozenset(
        {Capability.VIEW_PEOPLE, Capability.EDIT_PEOPLE, Capability.VIEW_FULL_PII}
    ),
    Role.GRID_WORKER: frozenset(
        {Capability.VIEW_PEOPLE, Capability.EDIT_PEOPLE, Capability.VIEW_FULL_PII}
    ),
    Role.MEDIC: frozenset({Capability.VIEW_PEOPLE, Capability.VIEW_FULL_PII}),
    Role.POLICE: frozenset({Capability.VIEW_PEOPLE, Capability.VIEW_FULL_PII}),
    Role.CHECKPOINT_STAFF: frozenset({Capability.VIEW_PEOPLE}),
    Role.INSPECTOR: frozenset({Capability.VIEW_PEOPLE, Capability.VIEW_AUDIT_LOG}),
    Role.FACTORY_SUPERVISOR: frozenset(),
    Role.VOLUNTEER: frozenset(),
}
