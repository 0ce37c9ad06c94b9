"""Orders (隔离令), their events, batches and approvals, sites and rooms, teams and appeals."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

OPEN_STATUSES = ("pending", "active")


def new_door_token() -> str:
    """A random token for the door notice's QR code (提醒公示牌): no personal data in it."""
    return secrets.token_urlsafe(16)


class OrderBatch(models.Model):
    """Orders placed together from one list (批量隔离): nothing in it starts before a second
    person of HQ, from another unit than the one who placed it, approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=20)  # QuarantineOrder.Source
    source_unit = models.CharField(_("unit that sent the list"), max_length=100, blank=True)
    basis = models.TextField(_("what it rests on"))
    size = models.PositiveIntegerField(_("number of people"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("placed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("batch of orders")
        verbose_name_plural = _("batches of orders")
        indexes = [models.Index(fields=["region", "status"], name="orderbatch_region_status_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.size})"


class Site(models.Model):
    """A centralised quarantine site (集中隔离点)."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("quarantine site")
        verbose_name_plural = _("quarantine sites")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    """A room at a site; `beds` people may share it (a family)."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="rooms"
    )
    number = models.CharField(_("room number"), max_length=20)
    beds = models.PositiveSmallIntegerField(_("beds"), default=1)

    scope_region_field = "site__region"

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["site", "number"]
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="room_number_unique"),
            models.CheckConstraint(condition=models.Q(beds__gte=1), name="room_beds_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.number}"


class QuarantineOrder(models.Model):
    """An order placing a person under quarantine (隔离令), with its life cycle:
    pending → active (in quarantine) → released, or → transferred to hospital, or cancelled."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("In quarantine")
        RELEASED = "released", _("Released")
        TRANSFERRED = "transferred", _("Transferred to hospital")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Decided by staff")
        HEALTH_LIST = "health_list", _("List from the health authority")
        OUTSIDE_LIST = "outside_list", _("List from another unit")

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="quarantine_orders",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The person's region when the order was placed (for scope)."),
    )
    kind = models.ForeignKey(
        "quarantine.QuarantineKind",
        verbose_name=_("kind"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.ForeignKey(
        "quarantine.OrderReason",
        verbose_name=_("reason"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    basis = models.TextField(_("what it rests on"))
    trip = models.ForeignKey(
        "screening.Trip",
        verbose_name=_("trip"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_unit = models.CharField(_("unit that sent the list"), max_length=100, blank=True)
    batch = models.ForeignKey(
        OrderBatch,
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    starts_on = models.DateField(_("starts on"))
    planned_end_on = models.DateField(_("planned end"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    needs_approval = models.BooleanField(_("needs a second approval"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    activated_at = models.DateTimeField(_("in quarantine since"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    released_by_doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("release signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hospital = models.CharField(_("hospital"), max_length=100, blank=True)
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    door_token = models.CharField(
        _("door notice token"), max_length=32, unique=True, default=new_door_token, editable=False
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("placed at"))

    class Meta:
        verbose_name = _("quarantine order")
        verbose_name_plural = _("quarantine orders")
        constraints = [
            # One open order per person: a partial unique index, on SQLite and PostgreSQL alike.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="quarantineorder_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end_on__gt=models.F("starts_on")),
                name="quarantineorder_period_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="released") | models.Q(released_by_doctor__isnull=False),
                name="quarantineorder_release_signed",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="qorder_region_status_idx"),
            models.Index(fields=["status", "planned_end_on"], name="qorder_status_end_idx"),
            models.Index(fields=["person", "status"], name="qorder_person_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_on:%Y-%m-%d}–{self.planned_end_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class OrderEvent(models.Model):
    """One change of an order: who, when, why, from which status to which (never deleted)."""

    class Action(models.TextChoices):
        PLACED = "placed", _("Placed")
        APPROVED = "approved", _("Approved")
        ACTIVATED = "activated", _("Quarantine started")
        PERIOD_CHANGED = "period_changed", _("Period changed")
        ROOM_ASSIGNED = "room_assigned", _("Room assigned")
        RELEASED = "released", _("Released")
        TRANSFERRED = "transferred", _("Transferred to hospital")
        CANCELLED = "cancelled", _("Cancelled")
        TOKEN_RENEWED = "token_renewed", _("Door notice code replaced")

    order = models.ForeignKey(
        QuarantineOrder, verbose_name=_("order"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=12, choices=QuarantineOrder.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=QuarantineOrder.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("why"))
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    scope_region_field = "order__region"

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.action}"


class TeamMember(models.Model):
    """One of the people answering for an order (四包一 / 结对包保). Replaced members are kept,
    with `ended_at`."""

    order = models.ForeignKey(
        QuarantineOrder, verbose_name=_("order"), on_delete=models.PROTECT, related_name="team"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    team_role = models.ForeignKey(
        "quarantine.TeamRole",
        verbose_name=_("team role"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="quarantine_teams",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "team_role"],
                condition=models.Q(ended_at__isnull=True),
                name="teammember_one_per_role",
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_at"], name="teammember_user_idx")]

    def __str__(self) -> str:
        return f"{self.team_role}: {self.user}"


class SupervisionAlert(models.Model):
    """A bulk change, raised to the supervision role (督导) when it happens."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        OrderBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="alerts"
    )
    message = models.CharField(_("message"), max_length=300)
    raised_at = models.DateTimeField(_("raised at"))
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seen by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision alert")
        verbose_name_plural = _("supervision alerts")

    def __str__(self) -> str:
        return self.message


class Appeal(models.Model):
    """The person's appeal against an order (申诉), handled on record and never deleted."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    order = models.ForeignKey(
        QuarantineOrder, verbose_name=_("order"), on_delete=models.PROTECT, related_name="appeals"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("what the person says"))
    lodged_at = models.DateTimeField(_("lodged at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"{self.order_id} {self.lodged_at:%Y-%m-%d}"
