"""Deadline reminders and the summary; notifications; Celery with a real worker and broker."""

import io
import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from applications.enums import ApplicationState
from applications.models import ApplicationEvent
from core.actors import SystemActor
from organizations.models import Notification, Reminder
from portal.celery import app as celery_app
from review.jobs import deadline_jobs

from .helpers import submitted

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
REDIS_URL_TEST = os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/15")


def _deadline(cycle, day: date) -> None:
    cycle.city_deadline = day
    cycle.save(update_fields=["city_deadline"])


def test_reminders_go_out_once_however_often_the_job_runs(
    cast, complete_application, application_b, django_capture_on_commit_callbacks
):
    submitted(complete_application, cast)  # at the city: the city is reminded
    cycle = complete_application.cycle
    _deadline(cycle, date(2026, 7, 31))
    morning = datetime(2026, 7, 24, 8, 0, tzinfo=SHANGHAI)  # 7 days before
    with time_machine.travel(morning, tick=False), django_capture_on_commit_callbacks(execute=True):
        first = deadline_jobs()
        second = deadline_jobs()
    assert first == {
        "city": 2,
        "county": 2,
    }  # reviewer and head of 哈尔滨; applicant and head of 龙沙区
    assert second == {}
    assert Reminder.objects.count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email
        for u in (
            cast.city_a_reviewer,
            cast.city_a_head,
            cast.county_b_applicant,
            cast.county_b_head,
        )
    )
    assert "7" in Notification.objects.get(user=cast.city_a_head).subject


def test_no_reminder_on_other_days(cast, complete_application):
    submitted(complete_application, cast)
    _deadline(complete_application.cycle, date(2026, 7, 31))
    with time_machine.travel(datetime(2026, 7, 26, 8, 0, tzinfo=SHANGHAI), tick=False):
        assert deadline_jobs() == {}
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("days", [14, 3, 1])
def test_reminders_14_3_and_1_days_before(cast, complete_application, days):
    submitted(complete_application, cast)
    _deadline(complete_application.cycle, date(2026, 7, 31))
    day = datetime(2026, 7, 31, 9, 0, tzinfo=SHANGHAI) - timedelta(days=days)
    with time_machine.travel(day, tick=False):
        assert deadline_jobs() == {"city": 2}


def test_summary_to_the_office_after_the_deadline(
    cast, complete_application, django_capture_on_commit_callbacks
):
    submitted(complete_application, cast)
    _deadline(complete_application.cycle, date(2026, 7, 31))
    after = datetime(2026, 8, 1, 0, 0, 30, tzinfo=SHANGHAI)
    with time_machine.travel(after, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert deadline_jobs() == {"summary": 1}
        assert deadline_jobs() == {}
    message = Notification.objects.get(user=cast.office)
    assert "哈尔滨市" in message.body
    assert "1" in message.body
    assert len(mail.outbox) == 1


def test_inbox_shows_unread_and_marks_read(
    client, cast, complete_application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted(complete_application, cast)
    client.force_login(cast.city_a_reviewer)
    page = client.get(reverse("home")).content.decode()
    assert '<span class="badge text-bg-light"' in page
    inbox = client.get(reverse("inbox")).content.decode()
    assert "哈尔滨市道里区司法局" in inbox
    assert client.get(reverse("inbox_read")).status_code == 405
    client.post(reverse("inbox_read"))
    assert not Notification.objects.filter(user=cast.city_a_reviewer, read_at__isnull=True).exists()


def test_a_transition_succeeds_when_the_broker_is_down(
    client, cast, complete_application, django_capture_on_commit_callbacks
):
    original = dict(celery_app.conf)
    celery_app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    try:
        client.force_login(cast.county_a_head)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("applications:submit", args=[complete_application.pk]),
                {"pledge": "on", "acknowledged": "on"},
            )
        elapsed = time.monotonic() - started
    finally:
        celery_app.conf.update(
            task_always_eager=original["task_always_eager"], broker_url=original["broker_url"]
        )
    assert response.status_code == 302
    assert elapsed < 15
    complete_application.refresh_from_db()
    assert complete_application.state == ApplicationState.SUBMITTED
    event = ApplicationEvent.objects.get(application=complete_application, action="submit")
    assert event.notified_at is None
    assert mail.outbox == []
    # The sweep (run_due_jobs, or beat) picks the work up later.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_due_jobs", stdout=io.StringIO())
    event.refresh_from_db()
    assert event.notified_at is not None
    assert [m.to for m in mail.outbox] == [[cast.city_a_reviewer.email]]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_a_reminder_through_redis(cast, tmp_path):
    from applications.services import application_create, cycle_create, cycle_open
    from organizations.models import Bureau
    from portal.demo import application_fill_example
    from review.tasks import deadline_jobs as deadline_task
    from standards.models import CriteriaVersion

    client = redis.Redis.from_url(REDIS_URL_TEST)
    client.flushdb()
    now = datetime.now(SHANGHAI)
    deadline = now.date() + timedelta(days=7)
    cycle = cycle_open(
        cycle=cycle_create(
            year=2098,
            criteria_version=CriteriaVersion.objects.get(name="2017年试行版"),
            city_deadline=deadline,
            parameters={"legal_aid_provincial_average": "120"},
            by=SystemActor.LOADER,
        ),
        by=SystemActor.LOADER,
    )
    application = application_create(
        cycle=cycle, county=Bureau.objects.get(code="230102"), by=cast.county_a_head
    )
    application_fill_example(application, by=cast.county_a_head)
    submitted(application, cast)

    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL_TEST,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo",
         "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    original = dict(celery_app.conf)
    try:
        celery_app.conf.update(task_always_eager=False, broker_url=REDIS_URL_TEST)
        with celery_app.connection_for_write(REDIS_URL_TEST) as conn:
            deadline_task.apply_async(connection=conn)
            deadline_task.apply_async(connection=conn)  # a duplicate delivery sends nothing more
        recipients = {cast.city_a_reviewer.pk, cast.city_a_head.pk}
        assert _wait(
            lambda: set(Reminder.objects.values_list("recipient", flat=True)) == recipients
        )
        assert _wait(lambda: len(_mails(mail_dir)) == 2)
        time.sleep(1)
        assert len(_mails(mail_dir)) == 2
        assert Reminder.objects.count() == 2
    finally:
        celery_app.conf.update(
            task_always_eager=original["task_always_eager"], broker_url=original["broker_url"]
        )
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert "Traceback" not in output, output


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _mails(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.log")) if folder.exists() else []


def _wait(condition, seconds: float = 60) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.3)
    return False
