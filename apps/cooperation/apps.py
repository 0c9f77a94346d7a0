from django.apps import AppConfig


class CooperationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.cooperation"
    verbose_name = "劳务协作与劳务品牌"
