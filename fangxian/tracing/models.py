"""Exposure searches (流调): who was where a case (or a suspect) was, and when.

A `Search` records who searched, for whom (a person of the ledger or a phone number), why (the
purpose, required and audited), over which period and with which window. Its `Contact`s are the
people found, one row per place or vehicle and overlap, ring 1 at once and ring 2 (contacts of
the contacts) on request in the background. A search belongs to its tracer: nobody else opens it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangxian.core.masking import mask_id_number, mask_phone

DEFAULT_WINDOW_MINUTES = 120  # ±2 hours around each visit
DEFAULT_DAYS = 14  # the last 14 days
DEFAULT_RING2_CAP = 5000


class Search(models.Model):
    """One exposure search by a tracer."""

    class Ring2(models.TextChoices):
        NOT_ASKED = "", _("Not asked for")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        CAPPED = "capped", _("Stopped at the cap")
        FAILED = "failed", _("Failed")

    RING2_WORKING = (Ring2.QUEUED, Ring2.RUNNING)

    # The subject's region (a ledger person), else the tracer's first region: scope only. The
    # scans and passages searched are those in the tracer's scope when the search runs.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tracer"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("searched at"))
    purpose = models.CharField(_("purpose"), max_length=300)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("subject"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField(_("subject's phone"), max_length=20, blank=True)
    since = models.DateTimeField(_("period from"))
    until = models.DateTimeField(_("period until"))
    window_minutes = models.PositiveIntegerField(_("window (minutes)"))
    ring1_count = models.PositiveIntegerField(_("first ring"), default=0)
    ring2_status = models.CharField(
        _("second ring"), max_length=8, choices=Ring2.choices, blank=True, default=""
    )
    ring2_cap = models.PositiveIntegerField(_("cap"), default=DEFAULT_RING2_CAP)
    ring2_subjects = models.PositiveIntegerField(default=0)  # ring-1 people to search from
    ring2_done = models.PositiveIntegerField(default=0)  # of them, searched so far
    ring2_count = models.PositiveIntegerField(_("second ring"), default=0)
    ring2_finished_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey(
        "quarantine.OrderBatch",
        verbose_name=_("placed under monitoring"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("exposure search")
        verbose_name_plural = _("exposure searches")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(phone=""),
                name="search_has_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(until__gt=models.F("since")), name="search_period_valid"
            ),
        ]
        indexes = [models.Index(fields=["created_by", "id"], name="search_tracer_idx")]

    def __str__(self) -> str:
        return _("Exposure search No. %(id)s") % {"id": self.pk}

    @property
    def subject_label(self) -> str:
        """The subject as lists show it: name and masked ID number, or the masked phone."""
        if self.person is not None:
            return f"{self.person.name} {mask_id_number(self.person.id_number)}".strip()
        return mask_phone(self.phone)

    @property
    def ring2_working(self) -> bool:
        return self.ring2_status in self.RING2_WORKING

    @property
    def ring2_percent(self) -> int:
        return self.ring2_done * 100 // self.ring2_subjects if self.ring2_subjects else 0


class Contact(models.Model):
    """Someone found by a search: where and when they overlapped with the subject (ring 1), or
    with a ring-1 contact (ring 2, `through_*` names whom)."""

    class Via(models.TextChoices):
        PLACE = "place", _("Same place")
        VEHICLE = "vehicle", _("Same vehicle")

    scope_region_field = "search__region"

    search = models.ForeignKey(Search, on_delete=models.CASCADE, related_name="contacts")
    ring = models.PositiveSmallIntegerField(_("ring"))
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # As typed at a checkpoint, for someone not in the ledger.
    name = models.CharField(_("name"), max_length=50, blank=True)
    document_number = models.CharField(_("ID number"), max_length=40, blank=True)
    via = models.CharField(_("how"), max_length=8, choices=Via.choices)
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    passage = models.ForeignKey(
        "checkpoints.Passage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    where = models.CharField(_("where"), max_length=120)
    overlap_from = models.DateTimeField(_("overlap from"))
    overlap_until = models.DateTimeField(_("period until"))
    through_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("exposed through"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    through_phone = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["search", "ring", "id"], name="contact_search_ring_idx"),
            models.Index(fields=["search", "id"], name="contact_search_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} · {self.where}"

    @property
    def display_name(self) -> str:
        if self.person_id is not None and self.person is not None:
            return self.person.name
        return self.name

    @property
    def id_masked(self) -> str:
        number = self.person.id_number if self.person_id and self.person else self.document_number
        return mask_id_number(number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def through_masked(self) -> str:
        if self.through_person_id is not None and self.through_person is not None:
            return self.through_person.name
        return mask_phone(self.through_phone)
