"""A deleted job leaves a tombstone for the open job feed (apps/jobs/feed.py). A
receiver, not a line in each deleting path: the admin, a cascade or a script alike."""

from __future__ import annotations

from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from .models import Job, RemovedJob


@receiver(post_delete, sender=Job, dispatch_uid="jobs-tombstone")
def leave_tombstone(sender, instance: Job, **kwargs) -> None:
    RemovedJob.objects.update_or_create(job_id=instance.pk, defaults={"removed_at": timezone.now()})
