from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded roster: upload → check (preview) → commit, kept with its outcome.

    The checked rows are staged in ImportRow so that the preview, the commit and the download of
    rejected rows read the database in chunks instead of holding the whole file in memory.
    """

    class Target(models.TextChoices):
        PEOPLE = "people", _("People ledger")
        WORKERS = "workers", _("Enterprise worker roster")  # 返岗人员花名册 (worker_rows.py)
        ORDERS = "orders", _("Quarantine list")  # 隔离名单 from the county (order_rows.py)
        ENTERPRISES = "enterprises", _("Enterprise registry")  # 企业台账 (enterprise_rows.py)

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked, waiting for commit")
        COMMITTING = "committing", _("Saving")
        COMMITTED = "committed", _("Committed")
        FAILED = "failed", _("Could not be read")
        CANCELLED = "cancelled", _("Cancelled")

    target = models.CharField(_("import into"), max_length=20, choices=Target.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    # The enterprise whose roster a WORKERS import fills (the job's region is its village).
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The unit that sent an ORDERS list (县疾控中心): its orders name it and wait for approval.
    source_unit = models.CharField(_("unit that sent the list"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    year = models.PositiveSmallIntegerField(
        _("year of dates without a year"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    file_format = models.CharField(_("format"), max_length=10, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    sheet_name = models.CharField(_("sheet"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), null=True, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    headers = models.JSONField(_("headers"), default=list, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    problem = models.TextField(_("problem"), blank=True)
    progress = models.PositiveIntegerField(_("rows done"), default=0)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["region", "id"], name="importjob_region_idx")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.UPLOADED, self.Status.CHECKING, self.Status.COMMITTING)


class ImportRow(models.Model):
    """A checked row of an import, as the spreadsheet numbers it."""

    class Action(models.TextChoices):
        CREATE = "create", _("New")
        UPDATE = "update", _("Update")
        UNCHANGED = "unchanged", _("Already up to date")
        ERROR = "error", _("Error")
        DUPLICATE = "duplicate", _("Duplicate in the file")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    cells = models.JSONField(_("cells as read"), default=list)
    values = models.JSONField(_("checked values"), default=dict)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # [{"column", "message"}]
    person_id = models.BigIntegerField(_("person"), null=True, blank=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        indexes = [
            models.Index(fields=["job", "action", "row_number"], name="importrow_job_action_idx")
        ]
        constraints = [
            models.UniqueConstraint(fields=["job", "row_number"], name="importrow_job_row_unique")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_number}"
