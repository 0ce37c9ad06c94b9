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
    TRACER = "tracer", _("Contact tracer")  # 流调人员


class EnterpriseRole(models.TextChoices):
    """Roles held over ONE enterprise (enterprises.EnterpriseMembership), never over a region:
    they are not region roles, so no RoleAssignment can carry them."""

    ENTERPRISE_CONTACT = "enterprise_contact", _("Enterprise contact")  # 企业联络员


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
    # Quarantine (隔离管控): see orders and boards; place, change and end orders, teams and sites;
    # approve bulk orders and lists from other units (HQ only, a second person); record checks,
    # calls and alerts; sign releases (doctors only); run errands and care; see bulk-change
    # alerts (supervision).
    VIEW_QUARANTINE = "view_quarantine"
    MANAGE_QUARANTINE = "manage_quarantine"
    APPROVE_QUARANTINE = "approve_quarantine"
    RECORD_HEALTH_CHECKS = "record_health_checks"
    SIGN_RELEASE = "sign_release"
    HANDLE_ERRANDS = "handle_errands"
    SUPERVISE_QUARANTINE = "supervise_quarantine"
    # Checkpoints (卡点): set them up, their rota and figures (HQ); register passages at them
    # (checkpoint staff and the medics, police and cadres who work shifts there).
    MANAGE_CHECKPOINTS = "manage_checkpoints"
    REGISTER_PASSAGES = "register_passages"
    # Enterprises back to work (企业复工复产): see enterprises, rosters (masked), reports and
    # charts; register and edit them and their accounts; approve resumption (HQ only); confirm
    # daily reports (驻厂监督员 and HQ); keep an enterprise's roster, reports and application
    # (its own contact, through a membership; HQ).
    VIEW_ENTERPRISES = "view_enterprises"
    MANAGE_ENTERPRISES = "manage_enterprises"
    APPROVE_RESUMPTION = "approve_resumption"
    SUPERVISE_ENTERPRISES = "supervise_enterprises"
    KEEP_ENTERPRISE_RECORDS = "keep_enterprise_records"
    # Daily reports (日报) and instructions (指令): HQ sets indicators, deadline and wording,
    # reads completeness and figures and issues instructions; units' members send their daily
    # report and answer instructions (membership of the unit is checked too).
    MANAGE_REPORTS = "manage_reports"
    SUBMIT_REPORTS = "submit_reports"
    # Place codes (场所码): register places, print their posters, close them, read their scans'
    # figures (HQ and villages).
    MANAGE_PLACES = "manage_places"
    # Exposure search (流调): who was where a case was. Only the tracing role holds it, not even
    # HQ (an HQ member who traces gets the tracer role as well); every search is logged.
    TRACE_EXPOSURE = "trace_exposure"

    ALL = (
        VIEW_PEOPLE,
        EDIT_PEOPLE,
        VIEW_FULL_PII,
        MANAGE_USERS,
        VIEW_AUDIT_LOG,
        EXPORT_FULL_PII,
        MANAGE_CAMPAIGNS,
        MANAGE_KEY_AREAS,
        VIEW_QUARANTINE,
        MANAGE_QUARANTINE,
        APPROVE_QUARANTINE,
        RECORD_HEALTH_CHECKS,
        SIGN_RELEASE,
        HANDLE_ERRANDS,
        SUPERVISE_QUARANTINE,
        MANAGE_CHECKPOINTS,
        REGISTER_PASSAGES,
        VIEW_ENTERPRISES,
        MANAGE_ENTERPRISES,
        APPROVE_RESUMPTION,
        SUPERVISE_ENTERPRISES,
        KEEP_ENTERPRISE_RECORDS,
        MANAGE_REPORTS,
        SUBMIT_REPORTS,
        MANAGE_PLACES,
        TRACE_EXPOSURE,
    )


# Least privilege: checkpoint staff look people up (masked); volunteers and factory supervisors
# get the ledger only through the later capabilities that need it (errands, enterprises).
# Quarantine teams (四包一): cadres, doctors and police record checks; only doctors sign releases
# (HQ does not: a release rests on a doctor's word); volunteers run errands and nothing else.
_LEDGER_EDITORS = {Capability.VIEW_PEOPLE, Capability.EDIT_PEOPLE, Capability.VIEW_FULL_PII}
_TEAM = {Capability.VIEW_QUARANTINE, Capability.RECORD_HEALTH_CHECKS, Capability.HANDLE_ERRANDS}
_SHIFT = {Capability.REGISTER_PASSAGES}  # a checkpoint shift: a medic, a police officer, a cadre

_ENTERPRISES = {Capability.VIEW_ENTERPRISES, Capability.MANAGE_ENTERPRISES}
_REPORTING = {Capability.SUBMIT_REPORTS}  # a combat unit's or village's daily report (日报)

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.HQ: frozenset(Capability.ALL) - {Capability.SIGN_RELEASE, Capability.TRACE_EXPOSURE},
    Role.VILLAGE_LEADER: frozenset(
        _LEDGER_EDITORS
        | _TEAM
        | _REPORTING
        | {Capability.MANAGE_QUARANTINE, Capability.VIEW_ENTERPRISES, Capability.MANAGE_PLACES}
    ),
    Role.VILLAGE_CADRE: frozenset(
        _LEDGER_EDITORS
        | _TEAM
        | _SHIFT
        | _ENTERPRISES
        | _REPORTING
        | {Capability.MANAGE_QUARANTINE, Capability.MANAGE_PLACES}
    ),
    Role.GRID_WORKER: frozenset(_LEDGER_EDITORS | _TEAM | _REPORTING),
    Role.MEDIC: frozenset(
        {Capability.VIEW_PEOPLE, Capability.VIEW_FULL_PII, Capability.SIGN_RELEASE} | _TEAM | _SHIFT
    ),
    Role.POLICE: frozenset({Capability.VIEW_PEOPLE, Capability.VIEW_FULL_PII} | _TEAM | _SHIFT),
    Role.CHECKPOINT_STAFF: frozenset({Capability.VIEW_PEOPLE} | _SHIFT | _REPORTING),
    Role.INSPECTOR: frozenset(
        {
            Capability.VIEW_PEOPLE,
            Capability.VIEW_AUDIT_LOG,
            Capability.VIEW_QUARANTINE,
            Capability.SUPERVISE_QUARANTINE,
            Capability.VIEW_ENTERPRISES,
        }
    ),
    Role.FACTORY_SUPERVISOR: frozenset(
        {Capability.VIEW_ENTERPRISES, Capability.SUPERVISE_ENTERPRISES}
    ),
    Role.VOLUNTEER: frozenset({Capability.HANDLE_ERRANDS}),
    # A contact tracer (流调, usually from the county CDC or the township clinic) reads the ledger
    # in full to reach the people a search finds, and sees quarantine to know who is already
    # under it; placing them under monitoring goes to HQ's second-person approval.
    Role.TRACER: frozenset(
        {
            Capability.VIEW_PEOPLE,
            Capability.VIEW_FULL_PII,
            Capability.VIEW_QUARANTINE,
            Capability.TRACE_EXPOSURE,
        }
    ),
}

# What a role held over ONE enterprise (enterprises.EnterpriseMembership) allows there: its own
# enterprise, roster, reports and resumption application, and nothing of the ledger.
ENTERPRISE_ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    EnterpriseRole.ENTERPRISE_CONTACT: frozenset(
        {Capability.VIEW_ENTERPRISES, Capability.KEEP_ENTERPRISE_RECORDS}
    ),
}
