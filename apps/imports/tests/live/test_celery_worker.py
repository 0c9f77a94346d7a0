"""With CELERY_BROKER_URL set, an upload is queued on Redis and a Celery worker runs the
import. Runs with the other live tests (``pytest -m live``): the worker reads committed
data from its own connection."""

import time

import pytest
import redis
from django.test import override_settings

from apps.imports.models import ImportJob
from apps.imports.tests.conftest import csv_bytes
from apps.imports.tests.test_people_import import person_row
from apps.people.models import Person

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
BROKER = "redis://127.0.0.1:6379/15"


@pytest.fixture
def worker():
    from celery.contrib.testing.worker import start_worker

    from jiuye.celery import app

    redis.Redis.from_url(BROKER).flushdb()
    keys = ("broker_url", "task_always_eager", "result_backend")
    saved = {key: getattr(app.conf, key) for key in keys}
    app.conf.update(broker_url=BROKER, task_always_eager=False, result_backend=None)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.update(saved)


def test_an_upload_is_imported_by_a_worker_over_redis(live_city, client, staff, worker):
    from django.core.files.base import ContentFile

    user = staff("county_staff", "341282")
    client.force_login(user)
    rows = [person_row(i) for i in range(30)] + [person_row(99, 姓名="")]
    with override_settings(CELERY_BROKER_URL=BROKER, BACKGROUND_RUNNER="background"):
        response = client.post(
            "/imports/", {"kind": "people", "file": ContentFile(csv_bytes(rows), name="p.csv")}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get(created_by=user)
    deadline = time.monotonic() + 30
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE_WITH_ERRORS, job.message
    assert (job.created_count, job.rejected_count) == (30, 1)
    assert Person.objects.count() == 30
