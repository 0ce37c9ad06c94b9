from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A unit of the division tree: province down to village (NBS codes), then grid and group.

    `path` is the code trimmed to its level (53, 5301, 530113, 530113105, 530113105214, then two
    more digits for a grid and two for a villager group), so each unit's path extends its parent's
    and "everything under this unit" is one indexed prefix query: path LIKE '530113105%'.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        CITY = 2, _("City")
        COUNTY = 3, _("County")
        TOWNSHIP = 4, _("Township")
        VILLAGE = 5, _("Village or community")
        GRID = 6, _("Grid")
        GROUP = 7, _("Villager group")

    # Length of `path` at each level; a child's path is its parent's plus a fixed number of digits.
    PATH_LENGTH = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12, 6: 14, 7: 16}

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("official name"), max_length=100)
    short_name = models.CharField(_("name"), max_length=60)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=32, unique=True)
    vintage = models.PositiveSmallIntegerField(
        _("code vintage"), help_text=_("Year of the code edition this code comes from.")
    )
    is_local = models.BooleanField(
        _("local unit"), default=False, help_text=_("Created locally (grids, villager groups).")
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' in any collation.
            models.Index(
                fields=["path"], name="region_path_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["level", "path"], name="region_level_path_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=7), name="region_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("people:region-detail", kwargs={"code": self.code})

    @property
    def child_level(self) -> int | None:
        return self.level + 1 if self.level < self.Level.GROUP else None

    def contains(self, other: "Region") -> bool:
        return other.path.startswith(self.path)
