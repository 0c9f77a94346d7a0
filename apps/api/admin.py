"""Issuing and revoking API keys in the admin: the key is shown once, on the page after
it is issued (only its digest is kept); revoking is an action, and a key is never
edited or deleted (its record says who held it and when it was last used)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages

from .models import ApiToken
from .tokens import SCOPES, TokenError, issue, revoke, scope_refusal


class IssueForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label="权限范围",
        choices=[(s, f"{s} {zh}") for s, (zh, _, _) in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiToken
        fields = ("name", "holder", "scopes", "rate_per_minute", "expires_at")

    def clean(self):
        data = super().clean()
        holder, scopes = data.get("holder"), data.get("scopes")
        if holder and not holder.is_active:
            self.add_error("holder", "该账号已停用")
        if holder and scopes:
            refusal = scope_refusal(holder, scopes)
            if refusal:
                self.add_error("scopes", refusal)
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "holder", "prefix", "last_used_at", "revoked_at", "scope_list")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "holder__username")
    autocomplete_fields = ("holder",)  # by username, not a number
    actions = ["revoke_keys"]
    form = IssueForm

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return [f.name for f in ApiToken._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None  # a key is read, revoked or replaced: never edited

    @admin.display(description="权限范围")
    def scope_list(self, obj: ApiToken) -> str:
        return " ".join(obj.scopes)

    def save_model(self, request, obj, form, change):
        if change:
            return  # keys are not edited: revoke and issue another
        try:
            token, secret = issue(
                holder=form.cleaned_data["holder"],
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                by=request.user,
                rate_per_minute=form.cleaned_data["rate_per_minute"],
                expires_at=form.cleaned_data.get("expires_at"),
            )
        except TokenError as exc:
            messages.error(request, str(exc))
            return
        obj.pk = token.pk
        messages.warning(
            request,
            f"接口令牌(只显示这一次,请立即交给持有单位妥善保管):{secret}",
        )

    @admin.action(description="吊销所选令牌")
    def revoke_keys(self, request, queryset):
        for token in queryset:
            revoke(token, by=request.user)
        messages.success(request, f"已吊销{queryset.count()}个令牌")
