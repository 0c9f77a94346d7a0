from django.contrib import admin

from apps.accounts.admin import AuditedAdmin

from .models import Industry, Occupation


@admin.register(Occupation)
class OccupationAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "verified")
    list_filter = ("level", "verified")
    search_fields = ("code", "name")


@admin.register(Industry)
class IndustryAdmin(AuditedAdmin):
    list_display = ("code", "name", "section")
    search_fields = ("code", "name")
