from django.apps import AppConfig


class FairsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.fairs"
    verbose_name = "招聘会"
