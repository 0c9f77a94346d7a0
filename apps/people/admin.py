from django.contrib import admin

from apps.accounts.admin import AuditedAdmin

from .models import Person


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ("name", "community", "labour_status")
    list_filter = ("labour_status",)
    search_fields = ("=id_number", "name")
    raw_id_fields = ("community", "household", "import_job")
    filter_horizontal = ("wish_occupations",)
