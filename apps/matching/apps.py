from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "apps.matching"
    verbose_name = "人岗匹配"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from apps.jobs.models import Job
        from apps.people.models import Person

        from .index import bump_generation

        for model in (Job, Person):
            post_delete.connect(bump_generation, sender=model, dispatch_uid=f"matching-{model}")
