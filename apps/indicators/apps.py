from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.indicators"
    verbose_name = "就业指标与规划目标"
