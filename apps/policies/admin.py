"""Where a bureau keeps the facts the rules read beyond the registry (an employer's yearly
figures, apprentices, certified communities) and the fund's budgets. Applications,
reviews and payments are read-only here: they change through the workflow only."""

from django.contrib import admin

from apps.accounts.admin import AuditedAdmin, ReadOnlyAdmin

from .models import (
    Apprenticeship,
    CommunityCertification,
    EmployerYear,
    FundBudget,
    Payment,
    PaymentBatch,
    Review,
    SubsidyApplication,
    Sweep,
)


@admin.register(EmployerYear)
class EmployerYearAdmin(AuditedAdmin):
    list_display = ("employer", "year", "insured_employees", "headcount_start", "headcount_end")
    list_filter = ("year", "stopped_by_epidemic")
    raw_id_fields = ("employer",)


@admin.register(Apprenticeship)
class ApprenticeshipAdmin(AuditedAdmin):
    list_display = ("employer", "person", "level", "start", "end")
    raw_id_fields = ("employer", "person")


@admin.register(CommunityCertification)
class CommunityCertificationAdmin(AuditedAdmin):
    list_display = ("community", "year", "certified_on", "certified_by")
    list_filter = ("year",)
    raw_id_fields = ("community", "certified_by")


@admin.register(FundBudget)
class FundBudgetAdmin(AuditedAdmin):
    list_display = ("year", "region", "policy", "amount")
    list_filter = ("year",)
    raw_id_fields = ("region",)


@admin.register(Sweep)
class SweepAdmin(ReadOnlyAdmin):
    list_display = ("pk", "region_prefix", "year", "trial", "status", "seconds", "created_at")


@admin.register(SubsidyApplication)
class SubsidyApplicationAdmin(ReadOnlyAdmin):
    list_display = ("pk", "policy", "subject_key", "year", "amount", "status", "channel")
    list_filter = ("status", "policy")


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("application", "level", "approve", "reviewer", "at")


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ("pk", "region_prefix", "total", "status", "paid_on", "reference")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("application", "policy", "region_code", "amount", "paid_on")
