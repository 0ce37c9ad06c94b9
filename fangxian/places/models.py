"""Place codes (场所码, "扫码入出"): places that put up a QR code, and the scans made there.

A `Scan` is an append-only event, like a checkpoint's passage: a correction is a new scan whose
`corrects` points at the old one, and lists, figures and the exposure search (tracing) read only
scans that no other scan corrects. The table grows to tens of millions of rows, so every query
the product makes of it is an index range: per place by time (who was there around then), per
person and per phone by time (where was this person), per region and day (figures).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangxian.core.masking import mask_phone


class Place(models.Model):
    """A place that shows a QR code at its door: a shop, a pharmacy, a market, rented housing …"""

    class Kind(models.TextChoices):
        SUPERMARKET = "supermarket", _("Supermarket or shop")  # 超市/商店
        PHARMACY = "pharmacy", _("Pharmacy")  # 药店
        MARKET = "market", _("Market")  # 农贸市场
        CLINIC = "clinic", _("Clinic")  # 诊所/卫生室
        RESTAURANT = "restaurant", _("Restaurant")  # 餐馆
        RENTED_HOUSING = "rented_housing", _("Rented housing")  # 出租房
        OFFICE = "office", _("Office")  # 机关/办公场所
        BANK = "bank", _("Bank")  # 银行网点
        TRANSPORT = "transport", _("Station or stop")  # 车站
        OTHER = "other", _("Other")

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=120, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    # The QR code holds /p/<token>/ only: random, unguessable, replaced when a poster is withdrawn.
    token = models.CharField(max_length=32, unique=True)
    token_issued_at = models.DateTimeField(_("code issued at"))
    is_open = models.BooleanField(_("open"), default=True)  # False: 暂停营业
    closed_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        indexes = [models.Index(fields=["region", "name"], name="place_region_name_idx")]

    def __str__(self) -> str:
        return self.name


class Scan(models.Model):
    """One scan of a place's code: someone entering or leaving, by personal code or phone."""

    class Direction(models.TextChoices):
        IN = "in", _("Entry")
        OUT = "out", _("Exit")

    class Source(models.TextChoices):
        PAGE = "page", _("Scan page")
        DEVICE = "device", _("Device")
        STAFF = "staff", _("Registered by staff")

    id = models.BigAutoField(primary_key=True)
    # Sent by the page or the device: a retried request finds the scan it already made.
    client_id = models.UUIDField(_("client id"), default=uuid.uuid4, editable=False)
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The place's region (for scope and roll-ups)."),
    )
    # Who: a person of the ledger (through their personal code, or their phone when it is the
    # ledger's) and/or the phone number typed on the scan page.
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    occurred_at = models.DateTimeField(_("time"))
    day = models.DateField(_("day"))  # local day of occurred_at, for GROUP BY
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    # A correction may withdraw a scan altogether (made by mistake, someone else's phone …).
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        constraints = [
            models.UniqueConstraint(fields=["client_id"], name="scan_client_id_unique"),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(phone=""),
                name="scan_has_someone",
            ),
        ]
        indexes = [
            models.Index(fields=["place", "occurred_at"], name="scan_place_time_idx"),
            models.Index(
                fields=["person", "occurred_at"],
                name="scan_person_time_idx",
                condition=models.Q(person__isnull=False),
            ),
            models.Index(
                fields=["phone", "occurred_at"],
                name="scan_phone_time_idx",
                condition=~models.Q(phone=""),
            ),
            models.Index(fields=["region", "day"], name="scan_region_day_idx"),
            models.Index(
                fields=["corrects"],
                name="scan_corrects_idx",
                condition=models.Q(corrects__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place_id} {self.direction} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
