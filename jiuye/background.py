"""Run long work (imports, batch pushes) after the current transaction commits: on Celery
when CELERY_BROKER_URL is set, else on a thread of this process so pages can show its
progress meanwhile; BACKGROUND_RUNNER=inline runs it right away (tests, commands)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction


def run_after_commit(task, function: Callable[[int], object], pk: int) -> None:
    """``task`` is the Celery task wrapping ``function``; both take the record's pk."""
    if settings.BACKGROUND_RUNNER == "inline":
        transaction.on_commit(lambda: function(pk))
    elif settings.CELERY_BROKER_URL:
        transaction.on_commit(lambda: task.delay(pk))
    else:

        def target() -> None:
            try:
                function(pk)
            finally:
                connection.close()

        transaction.on_commit(lambda: threading.Thread(target=target, daemon=True).start())
