"""The Celery configuration that lets background work survive a lost worker or broker."""

from pathlib import Path

import yaml
from django.conf import settings

from portal.celery import app as celery_app

ROOT = Path(settings.BASE_DIR)


def _portal_tasks() -> dict:
    celery_app.loader.import_default_modules()
    return {name: task for name, task in celery_app.tasks.items() if not name.startswith("celery.")}


def test_every_task_is_acknowledged_late_and_put_back_when_its_worker_is_lost():
    tasks = _portal_tasks()
    assert "designations.tasks.render_certificate_batch" in tasks
    assert "designations.tasks.certificate_batch_sweep" in tasks
    for name, task in tasks.items():
        assert task.acks_late, name
        assert task.reject_on_worker_lost, name


def test_the_visibility_timeout_outlasts_the_longest_task():
    """A task still running is never handed to a second worker: Redis waits longer than any
    task may run before it gives an unacknowledged task out again."""
    timeout = celery_app.conf.broker_transport_options["visibility_timeout"]
    limits = {
        name: task.time_limit or celery_app.conf.task_time_limit
        for name, task in _portal_tasks().items()
    }
    assert all(limits.values())  # every task has a hard limit
    assert max(limits.values()) == settings.TASK_TIME_LIMIT_LONGEST
    assert limits["designations.tasks.render_certificate_batch"] == (
        settings.CERTIFICATE_BATCH_TIME_LIMIT
    )
    assert timeout > max(limits.values())
    assert celery_app.conf.worker_prefetch_multiplier == 1


def test_the_certificate_sweep_is_on_the_beat_schedule():
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "designations.tasks.certificate_batch_sweep" in schedule


def test_redis_in_the_compose_file_keeps_its_queue_on_a_volume():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    redis = compose["services"]["redis"]
    command = redis["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert command[command.index("--appendfsync") + 1] == "everysec"
    assert "redisdata:/data" in redis["volumes"]
    assert "redisdata" in compose["volumes"]
