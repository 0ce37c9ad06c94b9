"""Daily reports (日报) and instructions (指令).

Indicators are rows HQ edits: computed ones name a registered computation (`computed.py`),
reported ones are typed by the units. A unit's `DailyReport` holds the current value of each
indicator (`ReportValue`); every submission and correction appends a `ReportRevision`, so the
history is kept while figures read one row per unit, day and indicator.
"""

from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    COMBAT_UNIT = "combat_unit", _("Combat unit")  # 作战单元
    VILLAGE = "village", _("Village or community")
    CHECKPOINT = "checkpoint", _("Checkpoint")  # 卡点
    ENTERPRISE = "enterprise", _("Enterprise")
    OTHER = "other", _("Other unit")


class Indicator(models.Model):
    """One figure the township tracks every day (人员排查数, 张贴标语 …)."""

    class Kind(models.TextChoices):
        COMPUTED = "computed", _("Computed from the records")
        REPORTED = "reported", _("Reported by the units")

    class Semantics(models.TextChoices):
        # 新增: the figure of the day; a range adds days up, 累计 is the sum up to the day.
        NEW = "new", _("New that day (added up over days)")
        # 现有: a standing figure at the end of the day (people under quarantine); not added up.
        LEVEL = "level", _("Standing at the end of the day")

    name = models.CharField(_("name"), max_length=60)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    unit = models.CharField(_("unit of measure"), max_length=10)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    computation = models.CharField(
        _("computation"),
        max_length=60,
        blank=True,
        help_text=_("For a computed indicator: which figure of the records it is."),
    )
    unit_kinds = models.JSONField(
        _("reported by"),
        default=list,
        blank=True,
        help_text=_("The kinds of unit whose daily form shows it."),
    )
    semantics = models.CharField(
        _("meaning of a day's value"), max_length=10, choices=Semantics.choices
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="computed") & ~models.Q(computation=""))
                | (models.Q(kind="reported") & models.Q(computation="")),
                name="indicator_computation_iff_computed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"

    @property
    def is_computed(self) -> bool:
        return self.kind == self.Kind.COMPUTED

    @property
    def unit_kind_labels(self) -> list[str]:
        return [str(UnitKind(kind).label) for kind in self.unit_kinds if kind in UnitKind.values]


class ReportingUnit(models.Model):
    """A unit that reports every day: a combat unit (作战单元), a village, a checkpoint …"""

    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Computed figures count the records of this region; scope follows it."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        blank=True,
        related_name="reporting_units",
        help_text=_("The people who fill the unit's daily form."),
    )
    reports_from = models.DateField(_("reports from"), default=timezone.localdate)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporting unit")
        verbose_name_plural = _("reporting units")
        ordering = ["region__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region", "name"], name="reportingunit_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def default_deadline() -> time:
    return ReportDeadline.DEFAULT


class ReportDeadline(models.Model):
    """The daily deadline of a township (or of a village that sets its own): 16:00 by default."""

    DEFAULT = time(16, 0)

    region = models.OneToOneField(
        "regions.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    deadline = models.TimeField(_("daily deadline"), default=default_deadline)

    class Meta:
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")

    def __str__(self) -> str:
        return f"{self.region} {self.deadline:%H:%M}"


class DailyReport(models.Model):
    """One unit's report for one day: at most one, whatever how often it is sent."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CORRECTED = "corrected", _("Corrected")

    scope_region_field = "unit__region"

    unit = models.ForeignKey(
        ReportingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reports"
    )
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    # 16:00 is the township's deadline; later reports count, flagged late (timeliness).
    on_time = models.BooleanField(_("on time"))
    corrected_at = models.DateTimeField(_("last corrected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-day", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="dailyreport_one_per_unit_day"),
        ]
        indexes = [models.Index(fields=["day", "unit"], name="dailyreport_day_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit} {self.day:%Y-%m-%d}"


class ReportValue(models.Model):
    """The current value of one indicator in a report (a computed one as snapshotted)."""

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("report value")
        verbose_name_plural = _("report values")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="reportvalue_one_per_indicator"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "report"], name="reportvalue_indicator_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id}={self.value}"


class ReportRevision(models.Model):
    """A submission or correction of a report, as it was sent (append-only history)."""

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    values = models.JSONField(_("values"))  # {indicator code: "12.00"}
    reason = models.TextField(_("reason for the correction"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        ordering = ["report_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reportrevision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report} #{self.number}"


class Reminder(models.Model):
    """A reminder recorded for a unit whose report of the day was missing (no SMS is sent)."""

    unit = models.ForeignKey(ReportingUnit, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(_("reminded at"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="reminder_one_per_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.day:%Y-%m-%d}"


class ReportWording(models.Model):
    """The wording of the 日报: Django-template texts HQ edits. The row without a region is the
    default; a township's own row, when there is one, wins."""

    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Paragraphs separated by blank lines; {{ … }} inserts a figure.")
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("daily report wording")
        verbose_name_plural = _("daily report wordings")

    def __str__(self) -> str:
        return str(self.region or _("Default"))


class Instruction(models.Model):
    """An instruction or next-day task (指令) HQ sends to some or all of its units."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("issued for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("instruction"))
    due_on = models.DateField(_("due on"))
    all_units = models.BooleanField(_("to all units"), default=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["region", "due_on"], name="instruction_region_due_idx")]

    def __str__(self) -> str:
        return self.title


class InstructionReceipt(models.Model):
    """One unit's answer to an instruction: acknowledged, reported back, done."""

    scope_region_field = "unit__region"

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="receipts")
    unit = models.ForeignKey(ReportingUnit, on_delete=models.PROTECT, related_name="receipts")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_back = models.TextField(_("report back"), blank=True)
    reported_back_at = models.DateTimeField(_("reported back at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("instruction receipt")
        verbose_name_plural = _("instruction receipts")
        constraints = [
            models.UniqueConstraint(fields=["instruction", "unit"], name="receipt_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.instruction} → {self.unit}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None


class FigureDay(models.Model):
    """The roll-up of the computed figures (RapidPro's count tables): per computation key, day
    and record region (the village's path, or the township's for records kept there), the value
    its `count()` gives. Kept current by `rollup.figures_refresh` (a loop beside the server,
    every minute for today and yesterday; nightly and on demand for older days), so the
    dashboard and the range aggregation add up a few thousand rows instead of millions of
    events. Rows whose value is 0 are not stored."""

    key = models.CharField(max_length=60)
    day = models.DateField()
    path = models.CharField(max_length=20)
    value = models.BigIntegerField()

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(fields=["key", "day", "path"], name="figureday_unique"),
        ]
        indexes = [models.Index(fields=["day", "path"], name="figureday_day_path_idx")]

    def __str__(self) -> str:
        return f"{self.key} {self.day:%Y-%m-%d} {self.path}={self.value}"


class FigureRefresh(models.Model):
    """When the roll-up of a region (`path`; "" for everything) was last brought up to date:
    the figures are as of `as_of`, the moment counting began. The row of "" also serialises
    the writers (locked while a refresh writes)."""

    path = models.CharField(max_length=20, unique=True, blank=True)
    as_of = models.DateTimeField(null=True)
    first = models.DateField(null=True)
    last = models.DateField(null=True)
    seconds = models.FloatField(default=0)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("refresh of the daily figures")
        verbose_name_plural = _("refreshes of the daily figures")

    def __str__(self) -> str:
        return f"{self.path or '*'} {self.as_of}"
