from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.indicators"
    verbose_name = "就业指标与规划目标"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from . import cells

        for model in cells.sources():
            uid = f"indicator-cells-{model._meta.label}"
            pre_save.connect(cells.remember, sender=model, dispatch_uid=uid + "-pre")
            post_save.connect(cells.changed, sender=model, dispatch_uid=uid + "-post")
            post_delete.connect(cells.changed, sender=model, dispatch_uid=uid + "-del")
