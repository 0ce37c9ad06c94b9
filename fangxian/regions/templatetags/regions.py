from django import template

from fangxian.regions.models import Region

register = template.Library()


@register.filter
def region_label(region: Region | None) -> str:
    """瓦房村 · 第一网格 · 落水洞组: the units from the village down. Reads only parents that the
    query already selected (select_related("region__parent__parent")), so it costs no query."""
    if region is None:
        return ""
    names = [region.short_name]
    current = region
    while current.level > Region.Level.VILLAGE and "parent" in current._state.fields_cache:
        current = current.parent
        if current is None:
            break
        names.append(current.short_name)
    return " · ".join(reversed(names))
