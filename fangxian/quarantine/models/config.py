"""What HQ edits without code (in the admin): kinds of quarantine and their default periods, the
reasons an order may give, the team every order needs, the check times, the symptoms that raise
an alert, and the fever threshold. The defaults come from a data migration (0002)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangxian.accounts.roles import Role


class QuarantineKind(models.Model):
    """A kind of quarantine (隔离类型): 居家隔离, 集中隔离, 居家健康监测, with its default period."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40)
    default_days = models.PositiveSmallIntegerField(
        _("default period in days"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("A new order ends this many days after it starts, unless changed."),
    )
    needs_room = models.BooleanField(
        _("needs a room at a site"),
        default=False,
        help_text=_("Centralised quarantine: the person is given a room at a site."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("quarantine kind")
        verbose_name_plural = _("quarantine kinds")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class OrderReason(models.Model):
    """Why a person is placed under quarantine (隔离原因): 密切接触者, 重点地区返回人员 …"""

    name = models.CharField(_("name"), max_length=60, unique=True)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("order reason")
        verbose_name_plural = _("order reasons")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class TeamRole(models.Model):
    """A place in an order's team (四包一: 镇干部, 村干部, 医生, 民警). `account_role`, when set, is
    the account role the member must hold over the order's region (a doctor must be a medic)."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    account_role = models.CharField(
        _("account role required"), max_length=30, choices=Role.choices, blank=True
    )
    required = models.BooleanField(
        _("required"), default=True, help_text=_("An order without this member has no full team.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("team role")
        verbose_name_plural = _("team roles")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class CheckSlot(models.Model):
    """A daily health-check time (监测时段), e.g. 08:00 and 14:00."""

    name = models.CharField(_("name"), max_length=20, unique=True)
    time = models.TimeField(_("due at"), unique=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("check time")
        verbose_name_plural = _("check times")
        ordering = ["time"]

    def __str__(self) -> str:
        return f"{self.name} {self.time:%H:%M}"


class Symptom(models.Model):
    """A symptom on the monitoring form (发热, 干咳, 乏力 …); a listed one raises an alert."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    raises_alert = models.BooleanField(_("raises an alert"), default=True)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("symptom")
        verbose_name_plural = _("symptoms")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class QuarantineRules(models.Model):
    """The single row of numbers HQ may change (监测规则): fever threshold and grace time."""

    fever_threshold = models.DecimalField(
        _("fever from (°C)"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("37.3"),
        validators=[MinValueValidator(Decimal("36.0")), MaxValueValidator(Decimal("40.0"))],
    )
    check_grace_minutes = models.PositiveSmallIntegerField(
        _("grace after a check time (minutes)"),
        default=60,
        validators=[MaxValueValidator(360)],
        help_text=_("A check not recorded this long after its time makes the person overdue."),
    )

    class Meta:
        verbose_name = _("monitoring rules")
        verbose_name_plural = _("monitoring rules")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="quarantinerules_single_row"),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "QuarantineRules":
        """The row (created with the defaults if the data migration's row was removed)."""
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules
