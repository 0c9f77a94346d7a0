from django.contrib import admin

from apps.accounts.admin import AuditedAdmin

from .models import Job


@admin.register(Job)
class JobAdmin(AuditedAdmin):
    list_display = ("title", "employer", "kind", "headcount", "status", "valid_to")
    list_filter = ("kind", "status")
    search_fields = ("title", "employer__name")
    raw_id_fields = ("employer", "region", "import_job")
