from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from fangxian.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "unit", "is_party_member", "is_active", "last_login"]
    list_filter = ["is_active", "is_party_member", "is_staff"]
    search_fields = ["username", "full_name", "phone"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Fangxian"), {"fields": ["full_name", "phone", "unit", "is_party_member"]}),
    ]
    inlines = [RoleAssignmentInline]
