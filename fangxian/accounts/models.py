from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangxian.accounts.roles import ROLE_CAPABILITIES, Role, WorkingGroup


class User(AbstractUser):
    """A person who works in Fangxian. What they may see comes from their role assignments."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    unit = models.CharField(_("work unit"), max_length=100, blank=True)
    is_party_member = models.BooleanField(_("party member"), default=False)  # 党员
    # Where the account belongs (the region of its first role): keeps it reachable for the HQ
    # there even when it holds no role at the moment.
    home_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("home region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def _assignments(self) -> list["RoleAssignment"]:
        # Cached for the life of this object (one request): scope is asked for many times.
        if not hasattr(self, "_assignment_cache"):
            self._assignment_cache = list(self.role_assignments.select_related("region"))
        return self._assignment_cache

    def region_paths_for(self, capability: str) -> list[str] | None:
        """Paths of the regions where a role grants `capability`; None means everywhere."""
        if self.is_superuser:
            return None
        return [
            a.region.path for a in self._assignments() if capability in ROLE_CAPABILITIES[a.role]
        ]

    def has_capability(self, capability: str) -> bool:
        paths = self.region_paths_for(capability)
        return paths is None or bool(paths)

    def can_at(self, capability: str, region) -> bool:
        paths = self.region_paths_for(capability)
        return paths is None or any(region.path.startswith(path) for path in paths)

    @property
    def role_labels(self) -> list[str]:
        return [f"{a.region} · {a.get_role_display()}" for a in self._assignments()]


class RoleAssignment(models.Model):
    """A role held over a region and everything under it. A user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    working_group = models.CharField(
        _("working group"), max_length=30, choices=WorkingGroup.choices, blank=True
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    scope_region_field = "region"

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region"], name="role_assignment_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(working_group="") | models.Q(role="hq"),
                name="role_assignment_working_group_only_hq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.region} · {self.get_role_display()}"
