"""The demo township's screening: a key area, returnees' trips and a campaign under way.

Dates are relative to the demo's day, so that a grid worker can record visits in the campaign
the moment the demo starts. Seed data: written in bulk, no audit entries.
"""

import random
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from fangxian.accounts.models import User
from fangxian.people.models import Household, Person, PersonMerge
from fangxian.regions import divisions
from fangxian.regions.models import Region
from fangxian.screening.models import Campaign, KeyArea, Trip, Visit, VisitPerson
from fangxian.screening.trips import key_area_rules, trip_classify, trip_places

# Where the demo's returnees came from, with weights: mostly within Yunnan and from the
# provinces where Yunnan's migrant workers go, a few from the key area.
ORIGINS = (
    ("湖北省武汉市", 3),
    ("湖北省孝感市", 1),
    ("广东省深圳市", 6),
    ("广东省东莞市", 4),
    ("浙江省温州市", 3),
    ("福建省泉州市", 2),
    ("四川省成都市", 2),
    ("云南省昆明市五华区", 8),
    ("云南省曲靖市", 3),
)
TRANSPORT = ((Trip.Transport.TRAIN, "G"), (Trip.Transport.BUS, ""), (Trip.Transport.CAR, "云A"))
CAMPAIGN_NAME = "返乡人员拉网式排查"


def demo_screening_clear(*, township: Region) -> None:
    """Remove what protects the township's people and households from being rebuilt."""
    under = township.path
    VisitPerson.objects.filter(visit__region__path__startswith=under).delete()
    Visit.objects.filter(region__path__startswith=under).delete()
    Campaign.objects.filter(name=CAMPAIGN_NAME, regions=township).delete()
    PersonMerge.objects.filter(
        Q(region__path__startswith=under) | Q(survivor__region__path__startswith=under)
    ).delete()
    Person.objects.filter(region__path__startswith=under, merged_into__isnull=False).update(
        merged_into=None
    )
    KeyArea.objects.filter(region=township).delete()


def demo_screening_build(*, township: Region, seed: int, today: date | None = None) -> dict:
    """A key area (湖北省, from 30 days ago), trips for about 3% of the adults, and a campaign
    over the township that started two days ago with about a third of 瓦房村's households seen."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    hq = User.objects.get(username="hq")
    KeyArea.objects.create(
        region=township,
        division_code="42",
        name="湖北省",
        label="湖北",
        starts_on=today - timedelta(days=30),
        created_by=hq,
    )
    adults = list(
        Person.objects.filter(
            region__path__startswith=township.path, birth_date__lte=today - timedelta(days=18 * 365)
        ).values_list("id", "region_id")
    )
    returnees = rng.sample(adults, k=max(1, len(adults) * 3 // 100))
    origins, weights = zip(*ORIGINS, strict=True)
    codes = {}
    for origin in origins:
        found = trip_places(origin_text=origin)["origin"]
        codes[origin] = found.code if found else ""
    regions = Region.objects.in_bulk({region_id for _, region_id in returnees})
    rules, tables = key_area_rules(), divisions.default_tables()
    trips = []
    for person_id, region_id in returnees:
        origin = rng.choices(origins, weights=weights)[0]
        transport, prefix = rng.choice(TRANSPORT)
        arrived = today - timedelta(days=rng.randint(0, 13))
        number = f"{prefix}{rng.randint(1000, 9999)}" if prefix else ""
        trip = Trip(
            person_id=person_id,
            region=regions[region_id],
            origin_text=origin,
            origin_code=codes[origin],
            arrived_on=arrived,
            departed_on=arrived - timedelta(days=rng.randint(0, 1)),
            transport=transport,
            transport_number=number,
            source=Trip.Source.IMPORT,
            recorded_by=hq,
        )
        trip_classify(trip, rules, today=today, tables=tables)
        trips.append(trip)
    Trip.objects.bulk_create(trips, batch_size=2000)

    campaign = Campaign.objects.create(
        name=CAMPAIGN_NAME,
        starts_on=today - timedelta(days=2),
        ends_on=today + timedelta(days=12),
        created_by=hq,
    )
    campaign.regions.add(township)
    visits = _demo_visits(campaign=campaign, township=township, rng=rng, today=today)
    return {"trips": len(trips), "visits": visits}


def _demo_visits(*, campaign: Campaign, township: Region, rng: random.Random, today: date) -> int:
    village = Region.objects.get(parent=township, short_name="瓦房村")
    worker = User.objects.get(username="grid")
    households = list(
        Household.objects.filter(region__path__startswith=village.path).order_by("id")
    )
    seen = [h for h in households if rng.random() < 0.35]
    at = timezone.now() - timedelta(days=1)
    visits = Visit.objects.bulk_create(
        [
            Visit(
                campaign=campaign,
                household=h,
                region_id=h.region_id,
                outcome=Visit.Outcome.SEEN,
                visited_at=at,
                visited_by=worker,
            )
            for h in seen
        ]
    )
    members = Person.objects.filter(household__in=seen).values_list("id", "household_id")
    by_household = {visit.household_id: visit for visit in visits}
    VisitPerson.objects.bulk_create(
        [
            VisitPerson(
                visit=by_household[household_id],
                person_id=person_id,
                presence=VisitPerson.Presence.HOME,
            )
            for person_id, household_id in members
        ],
        batch_size=2000,
    )
    return len(visits)
