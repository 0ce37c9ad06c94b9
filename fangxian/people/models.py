from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangxian.core.masking import mask_id_number, mask_phone
from fangxian.people.idnumber import age_on


class Household(models.Model):
    """A household (户) living in a grid or villager group."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("grid or group"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("household number"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200)
    head_name = models.CharField(_("head of household"), max_length=50, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["region", "id"], name="household_region_idx")]

    def __str__(self) -> str:
        return f"{self.head_name or self.address}"

    def get_absolute_url(self) -> str:
        return reverse("people:household-detail", kwargs={"household_id": self.pk})

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Person(models.Model):
    """A resident in the ledger. Birth date and sex come from the ID number, never typed twice."""

    class DocumentType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("Resident ID card")  # 居民身份证
        # 港澳台居民居住证: 18 characters in the resident-ID format, area 810000/820000/830000.
        HKMT_RESIDENCE = "hkmt_residence", _("Hong Kong/Macau/Taiwan residence permit")
        HK_MACAU_PERMIT = (
            "hk_macau_permit",
            _("Hong Kong/Macau travel permit"),
        )  # 港澳居民来往内地通行证
        TAIWAN_PERMIT = "taiwan_permit", _("Taiwan travel permit")  # 台湾居民来往大陆通行证
        PASSPORT = "passport", _("Passport")  # 护照
        FOREIGN_PR = "foreign_pr", _("Foreign permanent residence ID")  # 外国人永久居留身份证
        OTHER = "other", _("Other document")

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class Relation(models.TextChoices):
        HEAD = "head", _("Head of household")  # 户主
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        GRANDPARENT = "grandparent", _("Grandparent")
        SIBLING = "sibling", _("Sibling")
        OTHER = "other", _("Other")

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("grid or group"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=50)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=120, blank=True, editable=False)
    name_initials = models.CharField(
        _("pinyin initials"), max_length=20, blank=True, editable=False
    )
    document_type = models.CharField(
        _("document type"),
        max_length=20,
        choices=DocumentType.choices,
        default=DocumentType.RESIDENT_ID,
    )
    id_number = models.CharField(_("ID number"), max_length=40, blank=True)
    # The last four characters in their own indexed column, so that "search by the
    # last digits" is an index lookup, not a scan of every number.
    id_tail = models.CharField(_("last digits of ID"), max_length=4, blank=True, editable=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    relation = models.CharField(
        _("relation to head"), max_length=20, choices=Relation.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    # Set when this record was merged into another one (the survivor): kept for the history and
    # for undo, and left out of every list.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        # No index of its own: "IS NULL" matches nearly every row, and SQLite's planner would
        # pick such an index over the partial region index below (measured: 2.5x slower counts).
        db_index=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "id_number"],
                condition=~models.Q(id_number=""),
                name="person_document_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "id"], name="person_region_idx"),
            # Lists and counts read only records that were not merged away: a partial index
            # keeps those reads index-only.
            models.Index(
                fields=["region", "id"],
                name="person_live_region_idx",
                condition=models.Q(merged_into__isnull=True),
            ),
            models.Index(fields=["name_initials"], name="person_initials_idx"),
            models.Index(fields=["name_pinyin"], name="person_pinyin_idx"),
            models.Index(fields=["name"], name="person_name_idx"),
            models.Index(fields=["id_tail"], name="person_id_tail_idx"),
            models.Index(fields=["phone"], name="person_phone_idx"),
            # Few records are merged away, but deleting a person makes the database look for
            # records merged into it (the foreign key): without this, one scan of the table per
            # deleted person (the demo's rebuild took 35 s instead of 7).
            models.Index(
                fields=["merged_into"],
                name="person_merged_into_idx",
                condition=models.Q(merged_into__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:person-detail", kwargs={"person_id": self.pk})

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    def age(self, today: date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        return age_on(self.birth_date, today or timezone.localdate())


class PersonMerge(models.Model):
    """Two records of one person made one: what moved where, so that nothing is lost and the
    merge can be undone."""

    survivor = models.ForeignKey(
        Person, verbose_name=_("kept record"), on_delete=models.PROTECT, related_name="+"
    )
    merged = models.ForeignKey(
        Person, verbose_name=_("merged record"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    moved = models.JSONField(_("moved records"), default=dict)  # {"screening.Trip": [ids], …}
    reason = models.CharField(_("reason"), max_length=200)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        verbose_name = _("merge of records")
        verbose_name_plural = _("merges of records")

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"
