"""Monitoring and care of a person in quarantine: health checks (健康监测), fever alerts, the
daily call (日回访), errands (代购) and care work."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HealthCheck(models.Model):
    """One measurement for an order, for one daily check time (`slot`) of one day (`due_on`).
    A check outside the times (a re-measurement) has no slot."""

    order = models.ForeignKey(
        "quarantine.QuarantineOrder",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="checks",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("day"))
    slot = models.ForeignKey(
        "quarantine.CheckSlot",
        verbose_name=_("check time"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    measured_at = models.DateTimeField(_("measured at"))
    temperature = models.DecimalField(_("temperature"), max_digits=3, decimal_places=1)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("health check")
        verbose_name_plural = _("health checks")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "due_on", "slot"],
                condition=models.Q(slot__isnull=False),
                name="healthcheck_one_per_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["order", "due_on", "slot"], name="healthcheck_order_slot_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.measured_at:%Y-%m-%d %H:%M} {self.temperature}"


class FeverAlert(models.Model):
    """Raised at once by a check at or above the fever threshold or with a listed symptom."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SEEN = "seen", _("Seen")
        VISITED = "visited", _("Visited")
        FEVER_CLINIC = "fever_clinic", _("Transferred to the fever clinic")
        CLOSED = "closed", _("Closed")

    UNRESOLVED = (Status.OPEN, Status.SEEN, Status.VISITED)

    order = models.ForeignKey(
        "quarantine.QuarantineOrder",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    check_record = models.OneToOneField(
        HealthCheck, verbose_name=_("health check"), on_delete=models.PROTECT, related_name="alert"
    )
    reason = models.CharField(_("why"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    raised_at = models.DateTimeField(_("raised at"))

    class Meta:
        verbose_name = _("fever alert")
        verbose_name_plural = _("fever alerts")
        indexes = [models.Index(fields=["region", "status"], name="feveralert_region_status_idx")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.reason}"


class FeverAlertEvent(models.Model):
    """One step in handling an alert, with who and when."""

    alert = models.ForeignKey(
        FeverAlert, verbose_name=_("alert"), on_delete=models.PROTECT, related_name="events"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=FeverAlert.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=FeverAlert.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("alert step")
        verbose_name_plural = _("alert steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.alert_id}: {self.from_status} → {self.to_status}"


class DailyCall(models.Model):
    """The daily call (日回访) to a person in quarantine."""

    order = models.ForeignKey(
        "quarantine.QuarantineOrder",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="calls",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    called_at = models.DateTimeField(_("called at"))
    reached = models.BooleanField(_("reached"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("daily call")
        verbose_name_plural = _("daily calls")
        indexes = [models.Index(fields=["order", "called_at"], name="dailycall_order_idx")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.called_at:%Y-%m-%d}"


class Errand(models.Model):
    """Shopping for a household in quarantine (代购): requested → assigned → bought → delivered
    → paid."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ASSIGNED = "assigned", _("Assigned")
        BOUGHT = "bought", _("Bought")
        DELIVERED = "delivered", _("Delivered")
        PAID = "paid", _("Paid")

    OPEN = (Status.REQUESTED, Status.ASSIGNED, Status.BOUGHT)

    order = models.ForeignKey(
        "quarantine.QuarantineOrder",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="errands",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    bought_at = models.DateTimeField(_("bought at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("errand")
        verbose_name_plural = _("errands")
        indexes = [models.Index(fields=["region", "status"], name="errand_region_status_idx")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.requested_at:%Y-%m-%d}"


class ErrandItem(models.Model):
    """One line of an errand: 大米 10 斤."""

    errand = models.ForeignKey(
        Errand, verbose_name=_("errand"), on_delete=models.CASCADE, related_name="items"
    )
    name = models.CharField(_("item"), max_length=50)
    quantity = models.DecimalField(_("quantity"), max_digits=7, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("errand item")
        verbose_name_plural = _("errand items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="erranditem_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.quantity}{self.unit}"


class CareRecord(models.Model):
    """Care work for a household in quarantine (关爱服务): livestock, repairs, emotional support."""

    class Kind(models.TextChoices):
        LIVESTOCK = "livestock", _("Feeding livestock")  # 牲畜喂养
        REPAIR = "repair", _("Water or power repair")  # 水电维护
        EMOTIONAL = "emotional", _("Emotional support")  # 情绪稳控
        OTHER = "other", _("Other")

    order = models.ForeignKey(
        "quarantine.QuarantineOrder",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="care",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    done_at = models.DateTimeField(_("done at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("care record")
        verbose_name_plural = _("care records")

    def __str__(self) -> str:
        return f"{self.order_id} {self.get_kind_display()}"
