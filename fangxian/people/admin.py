from django.contrib import admin

from fangxian.people.models import Household, Person


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["id", "head_name", "address", "region"]
    search_fields = ["head_name", "address"]
    raw_id_fields = ["region"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Back-office view: identifiers are shown masked; changes go through the app's audited forms."""

    list_display = ["id", "name", "id_number_masked", "phone_masked", "region"]
    search_fields = ["name", "name_initials", "id_tail"]
    exclude = ["id_number", "phone"]
    readonly_fields = ["id_number_masked", "phone_masked", "region", "household"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
