"""Build the demo township 乌龙镇: its grids and villager groups, invented households and
residents, and one demo account per role. Everything is bulk and inside one transaction."""

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import reduce
from operator import or_

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.models import RoleAssignment, User
from fangxian.accounts.roles import EnterpriseRole, Role, WorkingGroup
from fangxian.core.db import refresh_statistics
from fangxian.demo import data
from fangxian.demo.enterprises import demo_enterprises_build, demo_enterprises_clear
from fangxian.demo.layout import grid_layout
from fangxian.demo.logins import DEMO_ACCOUNTS, DemoAccount
from fangxian.demo.operations import demo_operations_build
from fangxian.demo.places import DemoCase, demo_places_build, demo_places_clear
from fangxian.demo.population import PopulationGenerator
from fangxian.demo.quarantine import demo_quarantine_build, demo_quarantine_clear
from fangxian.demo.screening import demo_screening_build, demo_screening_clear
from fangxian.demo.traffic import demo_traffic_build, demo_traffic_clear
from fangxian.people import names
from fangxian.people.models import Household, Person
from fangxian.regions import codes
from fangxian.regions.models import Region
from fangxian.regions.services import region_bootstrap


def _demo_now(today: date):
    """The demo's present: now, or the end of `today` when the demo is built for another day."""
    now = timezone.now()
    return (
        now
        if timezone.localdate(now) == today
        else timezone.make_aware(datetime.combine(today, time(20, 0)))
    )


DEFAULT_PEOPLE = 25_000
DEFAULT_SEED = 2020
BATCH_SIZE = 2000


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    scopes: list[str]  # "网格员: 瓦房村第一网格", in the active language


@dataclass(frozen=True)
class DemoResult:
    township: Region
    villages: int
    grids: int
    groups: int
    households: int
    people: int
    logins: list[DemoLogin]
    case: DemoCase | None = None  # for the tracer's exposure search (流调)
    password: str = data.DEMO_PASSWORD
    url: str = data.DEMO_URL


@dataclass(frozen=True)
class GroupSlot:
    region: Region
    address: str  # "瓦房村黄包谷地组": the house number follows


# Tables the demo fills in bulk; their statistics are refreshed afterwards.
LOADED_TABLES = (
    "regions_region",
    "people_household",
    "people_person",
    "screening_trip",
    "screening_visit",
    "enterprises_worker",
    "enterprises_dailyreport",
    "places_scan",
    "checkpoints_passage",
    "checkpoints_passageperson",
)


def demo_build(
    *, people: int = DEFAULT_PEOPLE, seed: int = DEFAULT_SEED, today: date | None = None
) -> DemoResult:
    """Create or refresh the demo township. Idempotent: regions and demo users are upserted, the
    township's households and residents are deleted and drawn again from `seed` (the same seed
    and day give the same people). Regions are never deleted: audit entries protect them.

    Writes no audit entries: this is seed data, not anyone's action. About 30 queries whatever
    the size, plus the bulk inserts; 25,000 residents take under ten seconds on SQLite.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        township = region_bootstrap(code=data.TOWNSHIP_CODE).root
        demo_quarantine_clear(township=township)
        demo_screening_clear(township=township)
        demo_enterprises_clear(township=township)
        demo_places_clear(township=township)
        demo_traffic_clear(township=township)
        villages, grids, groups = demo_regions_build(township=township)
        households, residents = demo_population_build(
            township=township, groups=groups, people=people, seed=seed, today=today
        )
        logins = demo_accounts_build(township=township)
        demo_screening_build(township=township, seed=seed, today=today)
        demo_quarantine_build(township=township, now=_demo_now(today))
        demo_operations_build(township=township, now=_demo_now(today))
        demo_enterprises_build(township=township, seed=seed, now=_demo_now(today))
        case = demo_places_build(township=township, seed=seed, now=_demo_now(today))
        demo_traffic_build(township=township, seed=seed, now=_demo_now(today))
    refresh_statistics(*LOADED_TABLES)
    return DemoResult(
        township=township,
        villages=len(villages),
        grids=len(grids),
        groups=len(groups),
        households=households,
        people=residents,
        logins=logins,
        case=case,
    )


def demo_regions_build(
    *, township: Region
) -> tuple[dict[str, Region], list[Region], list[GroupSlot]]:
    """Upsert the 98 grids and their villager groups under the township's villages, with the
    codes of regions.services.region_create_local. One read and at most two writes per level."""
    villages = {
        region.short_name: region
        for region in Region.objects.filter(parent=township, level=Region.Level.VILLAGE)
    }
    layout = grid_layout()
    missing = sorted(set(layout) - set(villages))
    if missing:
        raise ImproperlyConfigured(
            _("The division tables lack these villages of the demo township: %(names)s.")
            % {"names": "、".join(missing)}
        )
    grid_rows, group_rows = [], []
    for village_name, plans in layout.items():
        village = villages[village_name]
        for plan in plans:
            grid_path = codes.local_child_path(village.path, plan.number)
            grid_rows.append((village, grid_path, plan.name))
            group_rows += [
                (grid_path, codes.local_child_path(grid_path, number), name, village_name)
                for number, name in enumerate(plan.groups, start=1)
            ]
    grids = _local_regions_upsert(
        [_local_region(parent, path, name) for parent, path, name in grid_rows]
    )
    groups = _local_regions_upsert(
        [_local_region(grids[grid_path], path, name) for grid_path, path, name, _v in group_rows]
    )
    slots = [
        GroupSlot(region=groups[path], address=f"{village_name}{name}")
        for _grid, path, name, village_name in group_rows
    ]
    return villages, list(grids.values()), slots


def _local_region(parent: Region, path: str, name: str) -> Region:
    level = parent.level + 1
    return Region(
        code=path,
        name=name,
        short_name=name,
        level=level,
        kind=str(Region.Level(level).label),
        parent=parent,
        path=path,
        vintage=parent.vintage,
        is_local=True,
    )


def _local_regions_upsert(wanted: list[Region]) -> dict[str, Region]:
    """Create the missing regions and correct the changed ones; returns all of them by path."""
    fields = ["code", "name", "short_name", "level", "kind", "parent", "vintage", "is_local"]
    compared = [f"{f}_id" if f == "parent" else f for f in fields]  # no query per parent
    existing = {r.path: r for r in Region.objects.filter(path__in=[w.path for w in wanted])}
    to_create, to_update = [], []
    for region in wanted:
        current = existing.get(region.path)
        if current is None:
            to_create.append(region)
        elif any(getattr(current, f) != getattr(region, f) for f in compared):
            region.pk = current.pk
            to_update.append(region)
    Region.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Region.objects.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    return {r.path: r for r in Region.objects.filter(path__in=[w.path for w in wanted])}


def demo_population_build(
    *, township: Region, groups: list[GroupSlot], people: int, seed: int, today: date
) -> tuple[int, int]:
    """Replace the township's households and residents by `people` invented ones.

    Deletes every household and person under the township first (demo data only: the
    command refuses to run in production). Returns (households, people) created.
    """
    under = township.path
    Person.objects.filter(
        Q(region__path__startswith=under) | Q(household__region__path__startswith=under)
    ).delete()
    Household.objects.filter(region__path__startswith=under).delete()
    # Numbers held by people elsewhere in the ledger must not be issued again.
    areas = [data.LOCAL_AREA_CODE, *data.OTHER_AREA_CODES]
    taken = set(
        Person.objects.filter(reduce(or_, (Q(id_number__startswith=a) for a in areas)))
        .filter(document_type=Person.DocumentType.RESIDENT_ID)
        .values_list("id_number", flat=True)
    )
    generator = PopulationGenerator(seed=seed, today=today, taken=taken)
    families = generator.families(people=people, groups=len(groups))

    households = []
    house_numbers = [0] * len(groups)
    for family in families:
        slot = groups[family.group]
        house_numbers[family.group] += 1
        head = family.members[0]
        households.append(
            Household(
                region=slot.region,
                address=f"{slot.address}{house_numbers[family.group]}号",
                head_name=head.name,
                phone=head.phone,
            )
        )
    Household.objects.bulk_create(households, batch_size=BATCH_SIZE)

    pinyin: dict[str, tuple[str, str]] = {}
    persons = []
    for family, household in zip(families, households, strict=True):
        for resident in family.members:
            if resident.name not in pinyin:
                pinyin[resident.name] = names.pinyin_keys(resident.name)
            number = resident.id_number
            persons.append(
                Person(
                    household=household,
                    region_id=household.region_id,
                    name=resident.name,
                    name_pinyin=pinyin[resident.name][0],
                    name_initials=pinyin[resident.name][1],
                    document_type=Person.DocumentType.RESIDENT_ID,
                    id_number=number,
                    id_tail=number[-4:],
                    # Read back from the number, as people.services.person_identity does.
                    birth_date=date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                    sex=Person.Sex.MALE if int(number[16]) % 2 else Person.Sex.FEMALE,
                    phone=resident.phone,
                    relation=resident.relation,
                )
            )
    Person.objects.bulk_create(persons, batch_size=BATCH_SIZE)
    return len(households), len(persons)


def demo_accounts_build(*, township: Region) -> list[DemoLogin]:
    """Upsert the demo users with the shared demo password and exactly their demo roles.

    The password is hashed once and the hash reused: PBKDF2 is slow by design.
    """
    validate_password(data.DEMO_PASSWORD)
    password = make_password(data.DEMO_PASSWORD)
    regions = _demo_role_regions(township)
    existing = {
        user.username: user
        for user in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
    }
    fields = [
        "full_name",
        "unit",
        "is_party_member",
        "is_staff",
        "is_superuser",
        "is_active",
        "home_region",
    ]
    users = []
    for account in DEMO_ACCOUNTS:
        user = existing.get(account.username) or User(username=account.username)
        user.full_name, user.unit = account.full_name, account.unit
        user.is_party_member = account.is_party_member
        user.is_staff = user.is_superuser = account.is_superuser
        user.is_active = True
        home = account.roles[0].region if account.roles else account.home
        user.home_region = regions[home] if home else township
        user.password = password
        users.append(user)
    User.objects.bulk_create([u for u in users if u.username not in existing])
    User.objects.bulk_update([u for u in users if u.username in existing], [*fields, "password"])
    by_username = {
        u.username: u for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
    }

    wanted = {
        (by_username[a.username].pk, r.role, regions[r.region].pk, r.working_group)
        for a in DEMO_ACCOUNTS
        for r in a.roles
    }
    current = RoleAssignment.objects.filter(user__in=by_username.values())
    have = {(ra.user_id, ra.role, ra.region_id, ra.working_group): ra.pk for ra in current}
    RoleAssignment.objects.filter(
        pk__in=[pk for key, pk in have.items() if key not in wanted]
    ).delete()
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user_id=user_id, role=role, region_id=region_id, working_group=group)
            for user_id, role, region_id, group in sorted(wanted - set(have))
        ]
    )
    return [_login(account, regions) for account in DEMO_ACCOUNTS]


def _demo_role_regions(township: Region) -> dict[str, Region]:
    """The regions that demo roles name, by key: county, township, village, village/grid."""
    villages = {
        r.short_name: r for r in Region.objects.filter(parent=township, level=Region.Level.VILLAGE)
    }
    paths = {"county": township.path[:6]}
    keys = {r.region for a in DEMO_ACCOUNTS for r in a.roles} | {a.home for a in DEMO_ACCOUNTS}
    for key in keys - {"county", "township", ""}:
        village_name, _sep, grid = key.partition("/")
        village = villages[village_name]
        paths[key] = codes.local_child_path(village.path, int(grid)) if grid else village.path
    by_path = {r.path: r for r in Region.objects.filter(path__in=paths.values())}
    return {"township": township} | {key: by_path[path] for key, path in paths.items()}


def _login(account: DemoAccount, regions: dict[str, Region]) -> DemoLogin:
    scopes = []
    for demo_role in account.roles:
        region = regions[demo_role.region]
        village_name, _sep, grid = demo_role.region.partition("/")
        place = f"{village_name}{region.short_name}" if grid else region.short_name
        role = Role(demo_role.role).label
        if demo_role.working_group:
            role = _("%(role)s (%(group)s)") % {
                "role": role,
                "group": WorkingGroup(demo_role.working_group).label,
            }
        scopes.append(_("%(role)s: %(region)s") % {"role": role, "region": place})
    if account.enterprise:
        scopes.append(
            _("%(role)s: %(enterprise)s")
            % {
                "role": EnterpriseRole.ENTERPRISE_CONTACT.label,
                "enterprise": account.enterprise,
            }
        )
    if account.is_superuser:
        scopes.append(_("Administrator, with the admin back office at /admin/"))
    return DemoLogin(username=account.username, full_name=account.full_name, scopes=scopes)
