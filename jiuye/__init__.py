"""Jiuye (就业): a smart public employment service platform."""

from .celery import app as celery_app

__all__ = ["celery_app"]
