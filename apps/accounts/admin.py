"""Django admin for administrators. Every save or delete made here is written to the
append-only audit log, with the changed fields; the logs themselves are read-only."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.forms.models import model_to_dict

from .models import AccessEntry, AuditEntry, User
from .services import record_audit


class AuditedAdmin(admin.ModelAdmin):
    """Records who changed what through the admin, as every other write path does."""

    def save_model(self, request, obj, form, change):
        changes = {
            f: [_plain(form.initial.get(f)), _plain(form.cleaned_data.get(f))]
            for f in form.changed_data
        }
        super().save_model(request, obj, form, change)
        record_audit(
            actor=request.user,
            action="admin_change" if change else "admin_create",
            obj=obj,
            changes=changes,
        )

    def delete_model(self, request, obj):
        snapshot = {k: _plain(v) for k, v in model_to_dict(obj).items()}
        label, pk = obj._meta.label, str(obj.pk)
        super().delete_model(request, obj)
        record_audit(
            actor=request.user, action="admin_delete", model=label, object_id=pk, changes=snapshot
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


def _plain(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ("username", "role", "scope_region", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("岗位与范围", {"fields": ("role", "scope_region", "person", "employer")}),
    )
    raw_id_fields = ("scope_region", "person", "employer")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "model", "object_id")
    list_filter = ("action", "model")
    search_fields = ("object_id",)


@admin.register(AccessEntry)
class AccessEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "viewer", "person", "purpose", "ip")
    list_filter = ("purpose",)
    raw_id_fields = ("person",)
