from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.policies"
    verbose_name = "政策与补贴"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the parameter files' check)
