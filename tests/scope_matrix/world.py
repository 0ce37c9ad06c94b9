"""The matrix's world: 乌龙镇 with 瓦房村 and 碑棋社区, and a second township (汤丹镇) of the same
county, each place with a household, a person, a staff member and an object of every kind a
URL names; one persona per role over 瓦房村."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from fangxian.accounts.roles import (
    EnterpriseRole,
    Role,
)
from fangxian.audit.models import AuditEntry
from fangxian.audit.services import audit_record
from fangxian.checkpoints.models import Notice, Shift, ShiftMember
from fangxian.core.masking import mask_id_number
from fangxian.enterprises.models import (
    DailyReport,
    Enterprise,
    ResumptionApplication,
    Worker,
)
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.people.models import Person, PersonMerge
from fangxian.reports.models import Indicator, ReportingUnit, UnitKind
from fangxian.reports.services import instruction_issue, report_submit
from fangxian.screening.campaigns import visit_record
from fangxian.screening.models import Campaign, KeyArea, SelfReport, Trip
from tests import factories

# --- the world ------------------------------------------------------------------------------


@dataclass
class Place:
    key: str
    region_code: str
    person_id: int
    household_id: int
    user_id: int
    assignment_id: int
    import_job_id: int
    merge_id: int
    campaign_id: int
    key_area_id: int
    person_name: str
    id_number: str
    phone: str
    initials: str
    tail: str
    secrets: list[str] = field(default_factory=list)  # never shown outside the scope
    self_report_id: int = 0
    visit_id: int = 0
    enterprise_id: int = 0
    worker_id: int = 0
    daily_report_id: int = 0
    checkpoint_id: int = 0
    shift_id: int = 0
    passage_id: int = 0
    place_id: int = 0
    notice_id: int = 0
    order_id: int = 0
    team_member_id: int = 0
    team_role_id: int = 0
    batch_id: int = 0
    supervision_alert_id: int = 0
    appeal_id: int = 0
    site_id: int = 0
    alert_id: int = 0
    errand_id: int = 0
    reporting_unit_id: int = 0
    unit_report_id: int = 0
    instruction_id: int = 0
    receipt_id: int = 0
    search_id: int = 0
    contact_id: int = 0


def _place(key, region, *, sequence, person_name, head_name, staff_name, phone) -> Place:
    household = factories.make_household(region=region, head_name=head_name, phone=phone[::-1])
    person = factories.make_person(
        household=household,
        name=person_name,
        id_number=factories.valid_id_number(sequence=sequence),
        phone=phone,
    )
    staff = factories.make_user(
        role=Role.GRID_WORKER, region=region, username=f"staff_{key}", full_name=staff_name
    )
    audit_record(actor=staff, action=AuditEntry.Action.LOGIN)
    audit_record(actor=staff, action=AuditEntry.Action.VIEW_FULL, obj=person)
    audit_record(
        actor=staff,
        action=AuditEntry.Action.UPDATE,
        obj=person,
        changes={"id_number": [mask_id_number(person.id_number)] * 2},
    )
    audit_record(actor=staff, action=AuditEntry.Action.UPDATE, obj=staff)  # no region
    campaign = _campaign(region.parent, staff)
    checkpoint = _checkpoint(region, staff, person)
    quarantine = _quarantine(region, staff, person, key=key, sequence=sequence)
    quarantine |= _team_work(region, staff, order_id=quarantine["order_id"])
    enterprise = _enterprise(key, region.parent, staff, person)
    return Place(
        key=key,
        region_code=region.code,
        person_id=person.pk,
        household_id=household.pk,
        user_id=staff.pk,
        assignment_id=staff.role_assignments.get().pk,
        import_job_id=_import_job(region, staff, person).pk,
        merge_id=_merge(person, staff).pk,
        campaign_id=campaign.pk,
        visit_id=visit_record(
            actor=staff,
            campaign=campaign,
            household=household,
            outcome="seen",
            people=[{"person": person}],
        ).pk,
        key_area_id=_returnee(region, person).pk,
        self_report_id=_self_report(region, person).pk,
        **checkpoint,
        **_place_code(region.parent, staff, person),
        **quarantine,
        **_reporting(key, region, staff),
        enterprise_id=enterprise.pk,
        worker_id=enterprise.workers.get().pk,
        daily_report_id=enterprise.daily_reports.get().pk,
        person_name=person_name,
        id_number=person.id_number,
        phone=phone,
        initials=person.name_initials,
        tail=person.id_number[-4:],
        secrets=[
            person_name,
            head_name,
            staff_name,
            person.id_number,
            phone,
            household.phone,
            enterprise.name,
            enterprise.contact_phone,
            *quarantine_secrets(key),
        ],
    )


def _enterprise(key, village, staff, person) -> Enterprise:
    """An enterprise in the place's village: the place's person on its roster, today's report,
    and a submitted application to reopen with its plan document."""
    enterprise = factories.make_enterprise(
        region=village,
        name=f"{key}机械厂",
        contact_name=f"{key}联络员",
        contact_phone=f"1350000{sum(map(ord, key)) % 10000:04d}",
    )
    Worker.objects.create(enterprise=enterprise, person=person, department="车间")
    DailyReport.objects.create(
        enterprise=enterprise,
        day=timezone.localdate(),
        workers_on_site=5,
        returned_today=1,
        still_away=0,
        abnormal_temperatures=0,
        in_isolation=0,
        masks_in_stock=100,
        disinfectant_in_stock=3,
        submitted_by=staff,
        submitted_at=timezone.now(),
    )
    application = ResumptionApplication(
        enterprise=enterprise, status=ResumptionApplication.Status.SUBMITTED
    )
    application.plan_document.save("plan.pdf", ContentFile(b"plan of the enterprise"), save=False)
    application.save()
    return enterprise


def _reporting(key, region, staff) -> dict[str, int]:
    """A reporting unit at the place's grid (its staff a member) with today's report, and an
    instruction to it from HQ of the place."""
    unit = ReportingUnit.objects.create(
        kind=UnitKind.VILLAGE, name=f"{key}作战单元", region=region, reports_from=date(2020, 1, 1)
    )
    unit.members.add(staff)
    values = {i.pk: 1 for i in Indicator.objects.filter(kind=Indicator.Kind.REPORTED)}
    sent = report_submit(actor=staff, unit=unit, day=timezone.localdate(), values=values)
    hq = factories.make_user(role=Role.HQ, region=region, username=f"hq_{key}")
    instruction = instruction_issue(
        actor=hq,
        region=region,
        title=f"{key}消杀",
        body="全面消杀",
        due_on=timezone.localdate() + timedelta(days=1),
        units=[unit],
    )
    return {
        "reporting_unit_id": unit.pk,
        "unit_report_id": sent.report.pk,
        "instruction_id": instruction.pk,
        "receipt_id": instruction.receipts.get().pk,
    }


def _merge(person, staff) -> PersonMerge:
    """A merge of a second record (no ID number) into the place's person."""
    # Born on another day than the places' people, so a counter-drawn sequence cannot collide
    # with their fixed numbers however many people earlier tests made; the number is wiped below.
    number = factories.valid_id_number(birth=date(1970, 1, 1))
    twin = factories.make_person(household=person.household, name=person.name, id_number=number)
    Person.objects.filter(pk=twin.pk).update(id_number="", id_tail="", merged_into=person)
    return PersonMerge.objects.create(
        survivor=person,
        merged=twin,
        region=person.region,
        moved={},
        reason="同一人",
        merged_by=staff,
    )


def _returnee(region, person) -> KeyArea:
    """A trip of the place's person, and a key area on the place's own list."""
    Trip.objects.create(
        person=person,
        region=region,
        origin_text="湖北武汉",
        origin_code="4201",
        arrived_on=timezone.localdate(),
        source=Trip.Source.MANUAL,
        category=Trip.Category.KEY_AREA,
        category_reason="湖北返乡人员",
    )
    return KeyArea.objects.create(
        region=region,
        division_code="42",
        name="湖北省",
        label="湖北",
        starts_on=timezone.localdate(),
    )


def _self_report(region, person) -> SelfReport:
    """A pending self-report of the place's person, sent from the public form."""
    return SelfReport.objects.create(
        region=region,
        name=person.name,
        id_number=person.id_number,
        phone=person.phone,
        address=f"{region.short_name}1号",
        origin_text="湖北武汉",
        arrived_on=timezone.localdate(),
    )


def _checkpoint(region, staff, person) -> dict[str, int]:
    """A checkpoint of the place's village with a shift (the place's staff on it), a passage of
    the place's person, and a notice about them for the place's grid."""
    checkpoint = factories.make_checkpoint(
        region=region.parent, name=f"{region.parent.short_name}卡点"
    )
    now = timezone.now()
    shift = Shift.objects.create(
        checkpoint=checkpoint, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=7)
    )
    ShiftMember.objects.create(shift=shift, user=staff, duty=ShiftMember.Duty.CADRE)
    passage = factories.register_passage(
        checkpoint=checkpoint,
        actor=staff,
        plate="云A12345",
        people=[
            {
                "name": person.name,
                "person": person,
                "document_number": person.id_number,
                "phone": person.phone,
            }
        ],
    ).passage
    notice = Notice.objects.create(
        region=region, passage=passage, text=f"{person.name}从湖北武汉来"
    )
    return {
        "checkpoint_id": checkpoint.pk,
        "shift_id": shift.pk,
        "passage_id": passage.pk,
        "notice_id": notice.pk,
    }


def _place_code(village, staff, person) -> dict[str, int]:
    """A place of the place's village and a scan there of the place's person (personal code
    and phone)."""
    import uuid

    from fangxian.places.services import place_create, scan_record

    place = place_create(
        actor=staff, region=village, name=f"{village.short_name}超市", kind="supermarket"
    )
    scan_record(
        place=place, client_id=uuid.uuid4(), person=person, phone=person.phone, source="page"
    )
    return {"place_id": place.pk}


def quarantine_secrets(key: str) -> list[str]:
    """Names the quarantine objects of a place add: the person of its list placed in bulk."""
    return [f"{key}批量"]


def _quarantine(region, staff, person, *, key: str, sequence: int) -> dict[str, int]:
    """An active order of the place's person with a team member (the place's staff) and an
    appeal; a list placed in bulk naming a second person of the place, pending, with its
    supervision alert; a site with a room. Written directly: the
    services' rules are tested in quarantine/tests."""
    from fangxian.quarantine.models import (
        Appeal,
        OrderBatch,
        QuarantineOrder,
        Room,
        Site,
        SupervisionAlert,
        TeamMember,
        TeamRole,
    )

    now = timezone.now()
    today = timezone.localdate()
    terms = {
        "region": region,
        "kind": factories.quarantine_kind(),
        "reason": factories.order_reason(),
        "basis": "疾控中心密接名单",
        "starts_on": today,
        "planned_end_on": today + timedelta(days=14),
        "placed_by": staff,
        "placed_at": now,
    }
    order = QuarantineOrder.objects.create(
        person=person, source="manual", status="active", activated_at=now, **terms
    )
    team_role = TeamRole.objects.order_by("position", "id").first()
    member = TeamMember.objects.create(
        order=order,
        region=region,
        team_role=team_role,
        user=staff,
        assigned_by=staff,
        assigned_at=now,
    )
    appeal = Appeal.objects.create(
        order=order, region=region, text="不是密接", lodged_at=now, recorded_by=staff
    )
    listed = factories.make_person(
        region=region,
        name=f"{key}批量",
        id_number=factories.valid_id_number(birth=date(1971, 1, 1), sequence=sequence),
    )
    batch = OrderBatch.objects.create(
        region=region,
        source="health_list",
        source_unit="疾控中心",
        basis="密接名单",
        size=1,
        placed_by=staff,
        placed_at=now,
    )
    QuarantineOrder.objects.create(
        person=listed,
        source="health_list",
        source_unit="疾控中心",
        batch=batch,
        needs_approval=True,
        **terms,
    )
    alert = SupervisionAlert.objects.create(
        region=region, batch=batch, message="1人批量隔离", raised_at=now
    )
    site = Site.objects.create(region=region, name=f"{region.parent.short_name}隔离点")
    Room.objects.create(site=site, number="101")
    return {
        "order_id": order.pk,
        "team_member_id": member.pk,
        "team_role_id": team_role.pk,
        "batch_id": batch.pk,
        "supervision_alert_id": alert.pk,
        "appeal_id": appeal.pk,
        "site_id": site.pk,
    }


def _team_work(region, staff, *, order_id: int) -> dict[str, int]:
    """The team's work on the place's order: a check at 38.5 °C by the place's staff with its
    fever alert, and an open errand. Written directly (quarantine/tests test the services)."""
    from fangxian.quarantine.models import CheckSlot, Errand, ErrandItem, FeverAlert, HealthCheck

    now = timezone.now()
    check = HealthCheck.objects.create(
        order_id=order_id,
        region=region,
        due_on=timezone.localdate(),
        slot=CheckSlot.objects.order_by("time").first(),
        measured_at=now,
        temperature="38.5",
        recorded_by=staff,
    )
    alert = FeverAlert.objects.create(
        order_id=order_id, region=region, check_record=check, reason="38.5 °C", raised_at=now
    )
    errand = Errand.objects.create(
        order_id=order_id, region=region, requested_at=now, recorded_by=staff
    )
    ErrandItem.objects.create(errand=errand, name="大米", quantity=10, unit="斤")
    return {"alert_id": alert.pk, "errand_id": errand.pk}


def _tracing(place: Place, tracer) -> tuple[int, int]:
    """An exposure search by the tracer persona whose one contact is the place's person (in the
    place's region, so only wafang's is within the persona's scope). Written directly."""
    from fangxian.tracing.models import Contact, Search

    person = Person.objects.select_related("region").get(pk=place.person_id)
    now = timezone.now()
    search = Search.objects.create(
        region=person.region,
        created_by=tracer,
        created_at=now,
        purpose="确诊病例密接排查",
        phone="13600000000",
        since=now - timedelta(days=14),
        until=now,
        window_minutes=120,
        ring1_count=1,
    )
    contact = Contact.objects.create(
        search=search,
        ring=1,
        person=person,
        via=Contact.Via.PLACE,
        where="超市",
        overlap_from=now,
        overlap_until=now,
    )
    return search.pk, contact.pk


def _campaign(village, staff) -> Campaign:
    """A screening campaign over the place's village, under way."""
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name=f"{village.short_name}排查",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=6),
        created_by=staff,
    )
    campaign.regions.set([village])
    return campaign


def _import_job(region, staff, person) -> ImportJob:
    """A checked import whose one row was rejected, holding the person's data as typed."""
    job = ImportJob.objects.create(
        target=ImportJob.Target.PEOPLE,
        region=region,
        created_by=staff,
        file="imports/r.xlsx",
        original_name="r.xlsx",
        status=ImportJob.Status.CHECKED,
        headers=["姓名", "身份证号码"],
        mapping={"name": 0, "id_number": 1},
        counts={"error": 1},
    )
    ImportRow.objects.create(
        job=job,
        row_number=4,
        action=ImportRow.Action.ERROR,
        cells=[person.name, person.id_number],
        values={"name": person.name},
        errors=[{"column": "身份证号码", "message": "已在台账中"}],
    )
    return job


def build_world(settings, tmp_path) -> dict:
    """The three places with their objects, and one persona per role (plus HQ over the
    township and an enterprise contact)."""
    settings.MEDIA_ROOT = tmp_path / "media"  # the enterprises' plan documents
    town = factories.make_township()
    tangdan = factories.make_region(path="530113102", short_name="汤丹镇", parent=town["county"])
    tangdan_village = factories.make_region(
        path="530113102201", short_name="汤丹村", parent=tangdan
    )
    tangdan_grid = factories.make_region(
        path="53011310220101", short_name="第一网格", parent=tangdan_village
    )
    places = {
        "wafang": _place(
            "wafang",
            town["wafang_1"],
            sequence=311,
            person_name="张三",
            head_name="张大户",
            staff_name="瓦房网格员",
            phone="13800000311",
        ),
        "beiqi": _place(
            "beiqi",
            town["beiqi_1"],
            sequence=412,
            person_name="李四",
            head_name="李大户",
            staff_name="碑棋网格员",
            phone="13900000412",
        ),
        "tangdan": _place(
            "tangdan",
            tangdan_grid,
            sequence=513,
            person_name="王二麻",
            head_name="王大户",
            staff_name="汤丹网格员",
            phone="13700000513",
        ),
    }
    personas = {
        role: factories.make_user(
            role=role,
            region=town["wafang_1"] if role == Role.GRID_WORKER else town["wafang"],
            username=f"persona_{role}",
            full_name=f"角色{role}",
        )
        for role in Role.values
    }
    # Every persona is a member of wafang's reporting unit: those without submit_reports still
    # get 404 there, by capability.
    ReportingUnit.objects.get(pk=places["wafang"].reporting_unit_id).members.add(*personas.values())
    personas["hq_town"] = factories.make_user(
        role=Role.HQ, region=town["town"], username="persona_hq_town", full_name="镇指挥部"
    )
    # The enterprise contact holds no region role: only wafang's enterprise, by membership.
    personas[EnterpriseRole.ENTERPRISE_CONTACT] = factories.make_enterprise_contact(
        enterprise=Enterprise.objects.get(pk=places["wafang"].enterprise_id),
        username="persona_enterprise_contact",
        full_name="企业联络员",
    )
    for place in places.values():
        place.search_id, place.contact_id = _tracing(place, personas[Role.TRACER])
    return {"places": places, "personas": personas}
