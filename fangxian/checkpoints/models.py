"""Checkpoints (卡点): where they are, who is on duty, and the passages they register.

Passages are append-only events: a correction is a new passage that `corrects` the old one, and
lists and figures read only the latest version of each (no passage corrects it). At a checkpoint
that registers only the exceptions, an ordinary passage leaves no personal data at all: it adds
one to a `PassageCount` of its day, direction and kind.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangxian.core.masking import mask_id_number, mask_phone

FEVER_THRESHOLD = 37.3  # 37.3 °C or more is a fever (the townships' rule: to the fever clinic)


class Checkpoint(models.Model):
    """A checkpoint on a road into a county, township or village."""

    class Level(models.TextChoices):
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")
        VILLAGE = "village", _("Village")

    class Kind(models.TextChoices):
        INSPECTION_STATION = "station", _("Inspection station")  # 检查站
        CHECKPOINT = "checkpoint", _("Checkpoint")  # 卡点
        TURN_BACK_POINT = "turn_back", _("Turn-back point")  # 劝返点

    class Mode(models.TextChoices):
        FULL = "full", _("Every passage in full")
        EXCEPTIONS = "exceptions", _("Only exceptions in full; the rest counted")

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("belongs to"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The village or township whose checkpoint this is."),
    )
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    location = models.CharField(_("location"), max_length=120)
    staffed_by = models.CharField(_("staffed by"), max_length=100, blank=True)
    mode = models.CharField(
        _("registration"), max_length=12, choices=Mode.choices, default=Mode.EXCEPTIONS
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="checkpoint_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("checkpoints:passage-create", kwargs={"checkpoint_id": self.pk})


class Shift(models.Model):
    """One duty shift (班次) at a checkpoint; its people are ShiftMembers."""

    scope_region_field = "checkpoint__region"

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_period_valid"
            ),
        ]
        indexes = [models.Index(fields=["checkpoint", "starts_at"], name="shift_checkpoint_idx")]

    def __str__(self) -> str:
        return f"{self.checkpoint} {self.starts_at:%m-%d %H:%M}"


class ShiftMember(models.Model):
    class Duty(models.TextChoices):
        MEDIC = "medic", _("Medic")  # 医务
        POLICE = "police", _("Police")  # 公安
        CADRE = "cadre", _("Cadre")  # 干部
        VOLUNTEER = "volunteer", _("Volunteer")  # 志愿者
        OTHER = "other", _("Other")

    scope_region_field = "shift__checkpoint__region"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person on duty"), on_delete=models.PROTECT
    )
    duty = models.CharField(_("duty"), max_length=10, choices=Duty.choices)

    class Meta:
        verbose_name = _("person on a shift")
        verbose_name_plural = _("people on shifts")
        constraints = [
            models.UniqueConstraint(fields=["shift", "user"], name="shiftmember_unique"),
        ]
        indexes = [models.Index(fields=["user", "shift"], name="shiftmember_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_duty_display()}"


class Direction(models.TextChoices):
    IN = "in", _("In")
    OUT = "out", _("Out")


class Passage(models.Model):
    """A vehicle or a person on foot passing a checkpoint, registered in full."""

    class Decision(models.TextChoices):
        RELEASED = "released", _("Let through")  # 放行
        TURNED_BACK = "turned_back", _("Turned back")  # 劝返
        HANDED_OVER = "handed_over", _("Handed over for quarantine")  # 移交隔离

    class PlateKind(models.TextChoices):
        NONE = "", _("On foot")
        ORDINARY = "ordinary", _("Ordinary plate")
        NEW_ENERGY = "new_energy", _("New-energy plate")
        SPECIAL = "special", _("Special plate")
        OTHER = "other", _("Other plate")

    # Sent by the device or the form: a retried request finds the passage it already made.
    client_id = models.UUIDField(_("client id"), default=uuid.uuid4, editable=False)
    checkpoint = models.ForeignKey(
        Checkpoint, verbose_name=_("checkpoint"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The checkpoint's region (for scope and roll-ups)."),
    )
    occurred_at = models.DateTimeField(_("time"))
    day = models.DateField(_("day"))  # local day of occurred_at, for GROUP BY
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    plate = models.CharField(_("plate"), max_length=20, blank=True)
    plate_kind = models.CharField(
        _("plate kind"), max_length=10, choices=PlateKind.choices, blank=True
    )
    origin_text = models.CharField(_("from"), max_length=100, blank=True)
    origin_code = models.CharField(_("from (division code)"), max_length=6, blank=True)
    destination_text = models.CharField(_("to"), max_length=100, blank=True)
    destination_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("destination village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(_("reason for travel"), max_length=100, blank=True)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    decision_reason = models.CharField(_("reason for the decision"), max_length=200, blank=True)
    key_area = models.BooleanField(_("from a key area"), default=False)
    key_area_reason = models.CharField(_("key area"), max_length=200, blank=True)
    people_count = models.PositiveSmallIntegerField(_("people"), default=0)
    fever_count = models.PositiveSmallIntegerField(_("fevers"), default=0)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        constraints = [
            models.UniqueConstraint(fields=["client_id"], name="passage_client_id_unique"),
            models.CheckConstraint(
                condition=~models.Q(decision="handed_over")
                | models.Q(destination_region__isnull=False),
                name="passage_handover_has_destination",
            ),
        ]
        indexes = [
            models.Index(fields=["checkpoint", "occurred_at"], name="passage_checkpoint_time_idx"),
            models.Index(fields=["plate", "occurred_at"], name="passage_plate_time_idx"),
            models.Index(fields=["region", "day"], name="passage_region_day_idx"),
            models.Index(fields=["occurred_at"], name="passage_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} {self.plate or '-'} {self.occurred_at:%Y-%m-%d %H:%M}"


class PassagePerson(models.Model):
    """One person in a registered passage: a person of the ledger, or a stranger as typed."""

    class CodeColour(models.TextChoices):
        NONE = "", _("Not shown")
        GREEN = "green", _("Green")
        YELLOW = "yellow", _("Yellow")
        RED = "red", _("Red")

    scope_region_field = "passage__region"

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)
    document_number = models.CharField(_("ID number"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    temperature = models.DecimalField(
        _("temperature"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    fever = models.BooleanField(_("fever"), default=False)
    code_colour = models.CharField(
        _("health code"), max_length=6, choices=CodeColour.choices, blank=True
    )
    code_verified = models.BooleanField(_("verified by scanning"), default=False)
    occurred_at = models.DateTimeField()  # the passage's, so "this person's passages" is indexed

    class Meta:
        verbose_name = _("person in a passage")
        verbose_name_plural = _("people in passages")
        indexes = [
            models.Index(fields=["person", "occurred_at"], name="passageperson_person_idx"),
            models.Index(
                fields=["document_number", "occurred_at"], name="passageperson_document_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def document_masked(self) -> str:
        return mask_id_number(self.document_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class PassageCount(models.Model):
    """Passages counted but not registered (exceptions mode): one row per checkpoint, day,
    direction and kind, incremented in the database."""

    class Kind(models.TextChoices):
        VEHICLE = "vehicle", _("Vehicle")
        ON_FOOT = "on_foot", _("On foot")

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    passages = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("counted passages")
        verbose_name_plural = _("counted passages")
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "day", "direction", "kind"], name="passagecount_unique"
            ),
        ]
        indexes = [models.Index(fields=["region", "day"], name="passagecount_region_day_idx")]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} {self.day} {self.direction} {self.kind}: {self.passages}"


class CountedPassage(models.Model):
    """The client id of a counted-only passage and nothing else: a retried request is not
    counted twice. Purged with the passages."""

    client_id = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return str(self.client_id)


class Notice(models.Model):
    """A notice to the grid workers of a place: someone from a key area arrives there."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("for"), on_delete=models.PROTECT, related_name="+"
    )
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="notices")
    text = models.CharField(_("notice"), max_length=300)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["region", "read_at"], name="notice_region_read_idx")]

    def __str__(self) -> str:
        return self.text


class PersonalCode(models.Model):
    """A person's code (个人码): a random token behind a URL, nothing else in the QR code."""

    scope_region_field = "person__region"

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal code")
        verbose_name_plural = _("personal codes")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(revoked_at__isnull=True),
                name="personalcode_one_active",
            ),
        ]

    def __str__(self) -> str:
        return _("Personal code %(id)s") % {"id": self.pk}
