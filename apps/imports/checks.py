"""Deployment checks of the import pipeline."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def shared_cache_with_workers(app_configs, **kwargs):
    """Imports on Celery workers publish progress and their heartbeat in the cache: with a
    per-process cache the web process sees neither, and shows running imports as
    interrupted."""
    if settings.CELERY_BROKER_URL and not settings.CACHE_URL:
        return [
            Warning(
                "CELERY_BROKER_URL is set but CACHE_URL is not: set CACHE_URL to a shared "
                "cache (Redis) so that pages see the workers' import progress and heartbeat.",
                id="jiuye.W001",
            )
        ]
    return []
