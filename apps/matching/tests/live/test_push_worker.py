"""A push queued on Redis runs on a real Celery worker with its prefork pool, whose
processes are daemonic: the push's ranking processes must still fork there. Runs with
the other live tests (``pytest -m live``, SQLite in a file the worker opens too)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from apps.matching.models import Offer, Push
from apps.matching.push import create_push
from apps.matching.tests.test_push import job, migrant

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
BROKER = "redis://127.0.0.1:6379/14"
ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture
def prefork_worker(tmp_path):
    from django.db import connection

    from jiuye.celery import app

    if connection.vendor != "sqlite" or not Path(connection.settings_dict["NAME"]).is_file():
        pytest.skip("the worker process needs the test database in a file")
    redis.Redis.from_url(BROKER).flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "MATCHING_PUSH_PROCESSES": "2",
        "MATCHING_PUSH_CHUNK": "2",  # several chunks, so the ranking forks
    }
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "jiuye", "worker", "--pool=prefork"]
            + ["--concurrency=1", "--without-gossip", "--without-mingle", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    saved = {key: getattr(app.conf, key) for key in ("task_always_eager", "result_backend")}
    app.conf.update(task_always_eager=False, result_backend=None)
    try:
        yield log
    finally:
        app.conf.update(saved)
        worker.terminate()
        worker.wait(timeout=20)


def test_a_push_ranks_in_forked_processes_on_a_prefork_worker(live_city, staff, prefork_worker):
    from apps.matching.tasks import run_push_task

    for i in range(6):
        migrant(i)
        job(f"焊工{i}", km=1 + i, headcount=2)
    clerk = staff("township_staff", "341282001")
    push = create_push(user=clerk, region_prefix="341282001", group="migrant_worker")
    from jiuye.celery import app

    with app.connection_for_write(BROKER) as connection:  # not a pool another test opened
        run_push_task.apply_async((push.pk,), connection=connection)
    deadline = time.monotonic() + 60
    while push.status in (Push.Status.PENDING, Push.Status.RUNNING) and time.monotonic() < deadline:
        time.sleep(0.3)
        push.refresh_from_db()
    assert push.status == Push.Status.DONE, (push.message, prefork_worker.read_text()[-3000:])
    assert push.people == 6 and Offer.objects.filter(push=push).count() == 18
