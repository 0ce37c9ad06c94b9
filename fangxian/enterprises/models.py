"""Enterprises back to work (企业复工复产): the registry, enterprise accounts, resumption
applications (一企一策), worker rosters (返岗人员花名册, 一人一档) and daily online reports.

Every row reaches its region through its enterprise (`scope_region_field`), and the enterprise's
region is its village or community: region scope applies as everywhere, and the enterprise's own
contact reaches it through an `EnterpriseMembership` (see scope.py).
"""

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangxian.accounts.roles import EnterpriseRole
from fangxian.core.masking import mask_phone
from fangxian.enterprises.validators import validate_plan_size, validate_uscc


class Enterprise(models.Model):
    """A registered enterprise, shop, farm or breeding operation in a village or community."""

    class Industry(models.TextChoices):
        INDUSTRY = "industry", _("Industry and manufacturing")  # 工业
        COMMERCE = "commerce", _("Trade and shops")  # 商贸
        CATERING = "catering", _("Catering")  # 餐饮
        CONSTRUCTION = "construction", _("Construction")  # 建筑
        FARMING = "farming", _("Farming and breeding")  # 种养殖
        LOGISTICS = "logistics", _("Transport and logistics")  # 物流
        SERVICES = "services", _("Service trades")  # 服务业
        OTHER = "other", _("Other")  # 其他

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("enterprise name"), max_length=100)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_uscc],
        help_text=_("18 characters; the last one is a check character."),
    )
    address = models.CharField(_("address"), max_length=200)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)
    workers_count = models.PositiveIntegerField(_("number of workers"), default=0)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    # 防疫负责人: the person answering for epidemic prevention inside the enterprise.
    prevention_lead_name = models.CharField(_("person in charge of prevention"), max_length=50)
    prevention_lead_phone = models.CharField(_("phone of the person in charge"), max_length=20)
    # 驻厂监督员: a township user holding supervise_enterprises at the enterprise's region.
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on-site supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_enterprises",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=~models.Q(uscc=""), name="enterprise_uscc_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "id"], name="enterprise_region_idx"),
            models.Index(fields=["industry", "region"], name="enterprise_industry_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise-detail", kwargs={"enterprise_id": self.pk})

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def prevention_lead_phone_masked(self) -> str:
        return mask_phone(self.prevention_lead_phone)


class EnterpriseMembership(models.Model):
    """A user's role over ONE enterprise (the enterprise contact, 企业联络员): their whole scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="enterprise_memberships",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"),
        max_length=30,
        choices=EnterpriseRole.choices,
        default=EnterpriseRole.ENTERPRISE_CONTACT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = _("enterprise account")
        verbose_name_plural = _("enterprise accounts")
        constraints = [
            models.UniqueConstraint(fields=["user", "enterprise"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.enterprise}"


PLAN_EXTENSIONS = ["pdf", "doc", "docx", "jpg", "jpeg"]


class ResumptionApplication(models.Model):
    """An enterprise's application to reopen (复工复产申请) with its prevention plan: one per
    enterprise (一企一策). Life cycle: draft → submitted → changes requested → resubmitted →
    approved (with conditions) → reopened; every step is an ApplicationEvent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        APPROVED = "approved", _("Approved")
        REOPENED = "reopened", _("Reopened")

    enterprise = models.OneToOneField(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="application",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The checklist the townships used.
    planned_workers = models.PositiveIntegerField(_("workers planned back"), default=0)
    thermometers = models.PositiveIntegerField(_("thermometers"), default=0)
    masks_in_stock = models.PositiveIntegerField(_("masks in stock"), default=0)
    disinfectant_in_stock = models.DecimalField(
        _("disinfectant in stock (kg or L)"),
        max_digits=8,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    observation_room = models.BooleanField(_("observation room set up"), default=False)
    staggered_shifts = models.BooleanField(_("staggered shifts"), default=False)
    small_teams = models.BooleanField(_("work in small teams"), default=False)
    canteen_arrangement = models.CharField(
        _("canteen arrangement"),
        max_length=200,
        blank=True,
        help_text=_("E.g. staggered meals, one per table, boxed meals."),
    )
    person_in_charge = models.CharField(_("person in charge"), max_length=50, blank=True)
    person_in_charge_phone = models.CharField(
        _("phone of the person in charge"), max_length=20, blank=True
    )
    notes = models.TextField(_("other measures"), blank=True)
    plan_document = models.FileField(
        _("prevention plan document"),
        upload_to="enterprises/plans/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(PLAN_EXTENSIONS), validate_plan_size],
        help_text=_("PDF, Word or JPG, at most 10 MB."),
    )
    conditions = models.TextField(_("conditions of approval"), blank=True)
    reopened_on = models.DateField(_("reopened on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = _("resumption application")
        verbose_name_plural = _("resumption applications")
        indexes = [models.Index(fields=["status"], name="application_status_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_status_display()}"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)


class ApplicationEvent(models.Model):
    """One step of an application's life: who, when, from which status to which, and why."""

    application = models.ForeignKey(
        ResumptionApplication, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(
        _("to"), max_length=20, choices=ResumptionApplication.Status.choices
    )
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


class Worker(models.Model):
    """One returning worker on an enterprise's roster (一人一档), linked to the people ledger."""

    class Health(models.TextChoices):
        WELL = "well", _("Well")
        FEVER = "fever", _("Fever")
        SYMPTOMS = "symptoms", _("Other symptoms")

    class Transport(models.TextChoices):
        TRAIN = "train", _("Train")
        PLANE = "plane", _("Plane")
        BUS = "bus", _("Coach or bus")
        CAR = "car", _("Private car")
        COMPANY = "company", _("Company transport")
        LOCAL = "local", _("Local, did not travel")
        OTHER = "other", _("Other")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="workers"
    )
    # The database's foreign key refuses to delete a person on a roster (DO_NOTHING leaves it
    # to the constraint): Django's PROTECT would add a query to every deletion of people, such
    # as the demo's rebuild, for a rule the database already holds.
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.DO_NOTHING, related_name="+"
    )
    department = models.CharField(_("department"), max_length=50, blank=True)
    post = models.CharField(_("post"), max_length=50, blank=True)
    # Where they spent the holiday (所赴城市), as typed; a trip records it resolved and classified.
    whereabouts = models.CharField(_("where they spent the holiday"), max_length=100, blank=True)
    planned_return_on = models.DateField(_("planned return"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    transport = models.CharField(
        _("transport"), max_length=10, choices=Transport.choices, blank=True
    )
    via_text = models.CharField(_("places passed through"), max_length=200, blank=True)
    passed_key_area = models.BooleanField(_("passed through a key area"), default=False)
    met_key_area_people = models.BooleanField(_("met people from key areas"), default=False)
    contact_notes = models.CharField(_("about these contacts"), max_length=200, blank=True)
    health = models.CharField(
        _("health now"), max_length=10, choices=Health.choices, default=Health.WELL
    )
    family_returning = models.CharField(_("family returning with them"), max_length=200, blank=True)
    reported_to_village = models.BooleanField(_("reported to their village"), default=False)
    trip = models.ForeignKey(
        "screening.Trip",
        verbose_name=_("trip"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = _("returning worker")
        verbose_name_plural = _("returning workers")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "person"], name="worker_unique"),
        ]
        indexes = [models.Index(fields=["enterprise", "id"], name="worker_enterprise_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.enterprise}"


class WorkerPlacement(models.Model):
    """A request from the enterprise page to place a worker under quarantine or health
    monitoring in one step. Handed to the handler the quarantine app registers (hooks.py);
    kept as a request for its staff when no handler is registered or the handler declines."""

    class Kind(models.TextChoices):
        QUARANTINE = "quarantine", _("Home quarantine")  # 居家隔离
        MONITORING = "monitoring", _("Health monitoring")  # 居家健康监测

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested, waiting for the quarantine team")
        PLACED = "placed", _("Placed")

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="placements")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    reference = models.CharField(_("order"), max_length=60, blank=True)  # e.g. quarantine order
    message = models.CharField(_("message"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    scope_region_field = "worker__enterprise__region"

    class Meta:
        verbose_name = _("placement request")
        verbose_name_plural = _("placement requests")

    def __str__(self) -> str:
        return f"{self.worker_id} · {self.kind} · {self.status}"


class ReportingRules(models.Model):
    """A township's rules for the daily report, edited by its HQ: the daily deadline."""

    region = models.OneToOneField(
        "regions.Region", verbose_name=_("township"), on_delete=models.CASCADE, related_name="+"
    )
    deadline = models.TimeField(_("daily deadline"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reporting rules")
        verbose_name_plural = _("reporting rules")

    def __str__(self) -> str:
        return f"{self.region} · {self.deadline}"


class DailyReport(models.Model):
    """An enterprise's daily online report (每日线上上报), one per enterprise and day. Submitting
    again the same day changes it; the figures it had are kept as a DailyReportRevision."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Not yet confirmed")
        CONFIRMED = "confirmed", _("Confirmed")
        COMMENTED = "commented", _("Commented")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="daily_reports",
    )
    day = models.DateField(_("day"))
    workers_on_site = models.PositiveIntegerField(_("workers on site"))
    returned_today = models.PositiveIntegerField(_("returned today"))
    still_away = models.PositiveIntegerField(_("still away"))
    abnormal_temperatures = models.PositiveIntegerField(_("abnormal temperatures"))
    in_isolation = models.PositiveIntegerField(_("in isolation"))
    masks_in_stock = models.PositiveIntegerField(_("masks in stock"))
    disinfectant_in_stock = models.DecimalField(
        _("disinfectant in stock (kg or L)"),
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )
    notes = models.TextField(_("anything to report"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    late = models.BooleanField(_("late"), default=False)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    review = models.CharField(
        _("supervisor"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    review_comment = models.CharField(_("supervisor's comment"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    scope_region_field = "enterprise__region"
    FIGURES = (
        "workers_on_site",
        "returned_today",
        "still_away",
        "abnormal_temperatures",
        "in_isolation",
        "masks_in_stock",
        "disinfectant_in_stock",
        "notes",
    )

    class Meta:
        verbose_name = _("enterprise daily report")
        verbose_name_plural = _("enterprise daily reports")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "day"], name="daily_report_unique"),
        ]
        indexes = [models.Index(fields=["day", "enterprise"], name="daily_report_day_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.day}"


class DailyReportRevision(models.Model):
    """The figures a daily report had before it was submitted again."""

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveSmallIntegerField(_("revision"))
    figures = models.JSONField(_("figures"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("earlier version of a daily report")
        verbose_name_plural = _("earlier versions of daily reports")
        ordering = ["-revision"]

    def __str__(self) -> str:
        return f"{self.report_id} r{self.revision}"
