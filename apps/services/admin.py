from django.contrib import admin

from apps.accounts.admin import AuditedAdmin

from .models import PromiseRule, ServiceRecord


@admin.register(PromiseRule)
class PromiseRuleAdmin(AuditedAdmin):
    """Where a region sets its promises; the model's clean() refuses unknown groups,
    statuses and service kinds, naming the field."""

    list_display = ("name", "code", "region_prefix", "group", "period", "active")
    list_filter = ("period", "active")
    search_fields = ("name", "code")


@admin.register(ServiceRecord)
class ServiceRecordAdmin(AuditedAdmin):
    list_display = ("person", "kind", "at", "by", "generated")
    list_filter = ("kind", "generated")
    raw_id_fields = ("person", "by", "job", "offer")
    date_hierarchy = "at"
