"""Door-to-door screening (拉网式排查) and returnees' travel (返乡人员).

Campaigns and visits prove coverage household by household; trips record where people came back
from, and key areas (重点地区) turn trips into categories that re-classify when the list changes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangxian.people.models import Person


class KeyArea(models.Model):
    """A region that counts as a key area for a period, e.g. 湖北省 from 2020-01-10 (editable by HQ)."""

    division_code = models.CharField(
        _("division code"),
        max_length=6,
        help_text=_("2 digits for a province, 4 for a city, 6 for a county (GB/T 2260)."),
    )
    name = models.CharField(_("name"), max_length=60)
    label = models.CharField(
        _("category name"),
        max_length=30,
        help_text=_("How people from here are called, e.g. 湖北 (湖北返乡人员, 经停湖北)."),
    )
    starts_on = models.DateField(_("counts from"))
    ends_on = models.DateField(_("counts until"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    # Whose list this is (a township's HQ, or a county's): it classifies the trips recorded under
    # this region only, and it is seen and changed within the region scope like everything else.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("applies in"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The township or county whose returnees this key area classifies."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("key area")
        verbose_name_plural = _("key areas")
        ordering = ["division_code", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="keyarea_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Trip(models.Model):
    """One journey of a person back into the township."""

    class Transport(models.TextChoices):
        TRAIN = "train", _("Train")
        PLANE = "plane", _("Plane")
        BUS = "bus", _("Coach or bus")
        CAR = "car", _("Private car")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        VISIT = "visit", _("Door-to-door visit")
        IMPORT = "import", _("Imported list")
        SELF_REPORT = "self_report", _("Self-report")
        MANUAL = "manual", _("Entered by staff")

    class Category(models.TextChoices):
        """From the most to the least pressing; a person takes their most pressing trip's."""

        KEY_AREA = "key_area", _("Returned from a key area")  # e.g. 湖北返乡人员
        VIA_KEY_AREA = "via_key_area", _("Passed through a key area")  # 经停湖北
        OUT_OF_PROVINCE = "out_of_province", _("Came from another province")  # 省外入滇人员
        OTHER = "other", _("Other returnee")  # 其他返乡

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="trips")
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The person's region when the trip was recorded (for scope)."),
    )
    origin_code = models.CharField(_("from (division code)"), max_length=6, blank=True)
    origin_text = models.CharField(_("from"), max_length=100)
    via_codes = models.JSONField(_("through (division codes)"), default=list, blank=True)
    via_text = models.CharField(_("through"), max_length=200, blank=True)
    departed_on = models.DateField(_("left on"), null=True, blank=True)
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    transport = models.CharField(
        _("transport"), max_length=10, choices=Transport.choices, blank=True
    )
    transport_number = models.CharField(_("train, flight or plate"), max_length=40, blank=True)
    companions = models.CharField(_("travelled with"), max_length=200, blank=True)
    source = models.CharField(_("recorded from"), max_length=12, choices=Source.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    category_reason = models.CharField(_("why"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        indexes = [
            models.Index(fields=["region", "arrived_on"], name="trip_region_arrived_idx"),
            models.Index(fields=["person", "arrived_on"], name="trip_person_idx"),
            models.Index(fields=["category", "region"], name="trip_category_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.origin_text} → {self.arrived_on or ''}"


class Campaign(models.Model):
    """A door-to-door screening round (拉网式排查) over some regions, for a period."""

    name = models.CharField(_("name"), max_length=100)
    regions = models.ManyToManyField("regions.Region", verbose_name=_("regions"), related_name="+")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("screening campaign")
        verbose_name_plural = _("screening campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_period_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Visit(models.Model):
    """A grid worker's visit to one household during a campaign."""

    class Outcome(models.TextChoices):
        SEEN = "seen", _("Visited")
        NOBODY_HOME = "nobody_home", _("Nobody at home: visit again")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="visits")
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    visited_at = models.DateTimeField(_("visited at"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            models.Index(fields=["campaign", "household"], name="visit_campaign_household_idx"),
            models.Index(fields=["campaign", "region"], name="visit_campaign_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_at:%Y-%m-%d}"


class VisitPerson(models.Model):
    """What the visit found about one member of the household."""

    class Presence(models.TextChoices):
        HOME = "home", _("At home")
        AWAY = "away", _("Away")
        RETURNED = "returned", _("Back from elsewhere")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    presence = models.CharField(_("presence"), max_length=10, choices=Presence.choices)
    away_at = models.CharField(_("where (if away)"), max_length=100, blank=True)
    fever = models.BooleanField(_("fever"), default=False)
    temperature = models.DecimalField(
        _("temperature"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    trip = models.ForeignKey(
        Trip, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("person at a visit")
        verbose_name_plural = _("people at visits")
        constraints = [
            models.UniqueConstraint(fields=["visit", "person"], name="visitperson_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.presence}"


class SelfReport(models.Model):
    """A returnee's report of themselves and their trip, sent from the public form (自主申报).

    It waits, pending, for a grid worker of the place it was placed in; verifying it attaches it
    to the person with the same ID number or registers a new one, and records the trip. The
    client's address is kept only as a salted hash, for the rate limit.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village, grid or group"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the address was placed; whose grid workers verify the report."),
    )
    name = models.CharField(_("name"), max_length=50)
    # The choices of the people ledger, so a verified report matches (document type, number).
    document_type = models.CharField(
        _("document type"),
        max_length=20,
        choices=Person.DocumentType.choices,
        default=Person.DocumentType.RESIDENT_ID,
    )
    id_number = models.CharField(_("ID number"), max_length=40)
    phone = models.CharField(_("phone"), max_length=20)
    address = models.CharField(_("address"), max_length=200)
    origin_text = models.CharField(_("from"), max_length=100)
    departed_on = models.DateField(_("left on"), null=True, blank=True)
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    transport = models.CharField(
        _("transport"), max_length=10, choices=Trip.Transport.choices, blank=True
    )
    transport_number = models.CharField(_("train, flight or plate"), max_length=40, blank=True)
    companions = models.CharField(_("travelled with"), max_length=200, blank=True)
    fever = models.BooleanField(_("fever or other symptoms"), default=False)
    symptoms = models.CharField(_("symptoms"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reject_reason = models.CharField(_("reason for rejection"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trip = models.ForeignKey(
        Trip, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("self-report")
        verbose_name_plural = _("self-reports")
        indexes = [
            models.Index(fields=["region", "status"], name="selfreport_region_status_idx"),
            models.Index(fields=["client_hash", "created_at"], name="selfreport_client_idx"),
            models.Index(fields=["created_at"], name="selfreport_created_idx"),
        ]

    def __str__(self) -> str:
        # Not the name: audit entries keep this text, and unverified reports are deleted after
        # the period the public form promises (self_reports.RETENTION_DAYS).
        return _("Self-report %(id)s") % {"id": self.pk}
