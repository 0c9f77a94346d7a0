from django.contrib import admin

from apps.accounts.admin import AuditedAdmin

from .models import Region, ServiceStation


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "generated", "coordinate_source")
    list_filter = ("level", "generated")
    search_fields = ("=code", "name")
    raw_id_fields = ("parent", "import_job")


@admin.register(ServiceStation)
class ServiceStationAdmin(AuditedAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "region",
        "certified_on",
        "subsidy_claimed",
        "generated",
    )
    list_filter = ("kind", "generated")
    raw_id_fields = ("region", "operator", "import_job")
