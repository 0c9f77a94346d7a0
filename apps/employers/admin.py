from django.contrib import admin

from apps.accounts.admin import AuditedAdmin

from .models import Employer


@admin.register(Employer)
class EmployerAdmin(AuditedAdmin):
    list_display = ("name", "credit_code", "industry", "is_key_enterprise", "blacklisted")
    list_filter = ("is_key_enterprise", "blacklisted", "size")
    search_fields = ("=credit_code", "name")
    raw_id_fields = ("region", "service_specialist", "founder", "import_job")
