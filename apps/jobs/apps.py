from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "apps.jobs"
    verbose_name = "岗位"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (the feed's tombstones)
