"""The operator's surface: health check, portal_stats, deploy settings, the compose file."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from standards.services import criteria_version_freeze

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
REDIS_URL_TEST = os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/15")


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # What tests/settings.py put into the environment is not production's.
        if key
        not in {
            "PRIVATE_STORAGE",
            "PRIVATE_STORAGE_REDIRECT",
            "PRIVATE_S3_ENDPOINT_URL",
            "PRIVATE_S3_BUCKET",
            "PRIVATE_S3_ACCESS_KEY",
            "PRIVATE_S3_SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_DEBUG",
            "SECRET_KEY",
            "REDIS_URL",
            "SECURE_SSL_REDIRECT",
            "CELERY_TASK_ALWAYS_EAGER",
            "ALLOWED_HOSTS",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="0",
        SECRET_KEY="a-production-like-secret-key-with-enough-length-and-variety-0123456789",
        ALLOWED_HOSTS="portal.example.gov.cn",
        SITE_URL="https://portal.example.gov.cn",
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal"),
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    env.update(extra)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_healthz_reports_the_database(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_the_broker_where_one_is_configured(client):
    with override_settings(REDIS_URL=REDIS_URL_TEST):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_is_503_when_the_broker_is_down(client):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "down"}


def test_healthz_is_503_when_the_database_is_down():
    # A separate process whose database URL points at a closed port.
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='portal.example.gov.cn').get('/healthz', secure=True);"
        "print(r.status_code, json.dumps(r.json()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_production_env(DATABASE_URL="postgres://postgres@127.0.0.1:1/portal", REDIS_URL=""),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {"status": "unavailable", "database": "down"}


def test_portal_stats_prints_the_documented_shape(cast):
    out = io.StringIO()
    call_command("portal_stats", stdout=out)
    stats = json.loads(out.getvalue())
    assert stats == {
        "bureaus": {"province": 1, "city": 13, "county": 121},
        "criteria_versions": [
            {
                "name": "2017年试行版",
                "sections": 7,
                "items": 59,
                "indicators": 35,
                "veto_items": 11,
                "frozen": False,
            }
        ],
        "users_by_role": {
            "audit_admin": 1,
            "campaign_office": 1,
            "city_head": 1,
            "city_reviewer": 2,
            "county_applicant": 3,
            "county_head": 2,
            "evaluator": 2,
            "system_admin": 1,
            "security_admin": 1,
        },
        "assignments": 0,
        "scores": {"items_rated": 0, "sections_signed": 0},
        "applications_by_state": {},
        "designations_by_state": {},
    }


def test_portal_stats_shows_a_frozen_version():
    from standards.models import CriteriaVersion

    criteria_version_freeze(version=CriteriaVersion.objects.get(name="2017年试行版"))
    out = io.StringIO()
    call_command("portal_stats", stdout=out)
    assert json.loads(out.getvalue())["criteria_versions"][0]["frozen"] is True


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_stops_the_start_with_a_clear_message():
    env = _production_env()
    del env["SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_bad_boolean_setting_is_refused():
    result = _manage("check", env=_production_env(SECURE_SSL_REDIRECT="maybe"))
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT must be 0 or 1" in result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("soon", "CERTIFICATE_BATCH_STALL_SECONDS must be a whole number"),
        ("0", "CERTIFICATE_BATCH_STALL_SECONDS and CERTIFICATE_BATCH_MAX_ATTEMPTS must be"),
    ],
)
def test_bad_certificate_batch_stall_limit_is_refused(value, message):
    result = _manage("check", env=_production_env(CERTIFICATE_BATCH_STALL_SECONDS=value))
    assert result.returncode != 0
    assert message in result.stderr


def test_compose_file_runs_one_image_with_one_settings_module():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {
        "postgres",
        "redis",
        "seaweedfs",
        "migrate",
        "web1",
        "web2",
        "worker",
        "beat",
        "nginx",
    }
    portal_services = [services[name] for name in ("migrate", "web1", "web2", "worker", "beat")]
    assert {s["image"] for s in portal_services} == {"model-bureau-portal:latest"}
    for service in portal_services:
        env = service["environment"]
        assert env["DJANGO_DEBUG"] == "0"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert "SECRET_KEY" in env
        assert "DJANGO_SETTINGS_MODULE" not in env  # one settings module: portal.settings
        # Every node and worker on the same bucket of the object store.
        assert env["PRIVATE_STORAGE"] == "s3"
        assert env["PRIVATE_S3_ENDPOINT_URL"] == "http://seaweedfs:8333"
        assert env["PRIVATE_STORAGE_ACCEL_PREFIX"] == "/protected-s3/"
        assert "volumes" not in service  # no file kept on a node
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name in ("web1", "web2"):
        assert services[name]["command"][:2] == ["gunicorn", "portal.wsgi:application"]
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert services["seaweedfs"]["command"][0] == "server"
    assert "-s3" in services["seaweedfs"]["command"]
    assert "-master.telemetry=false" in services["seaweedfs"]["command"]
    # Persistence: the database, the broker (append-only file) and the objects on volumes.
    assert services["postgres"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert "--appendonly" in services["redis"]["command"]
    assert services["redis"]["volumes"] == ["redisdata:/data"]
    assert services["seaweedfs"]["volumes"] == ["objects:/data"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "portal", "beat"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in services["beat"]["command"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    nginx_conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "internal;" in nginx_conf  # private files only through X-Accel-Redirect
    upstream = nginx_conf[nginx_conf.index("upstream portal") :].split("}", 1)[0]
    assert "server web1:8000" in upstream
    assert "server web2:8000" in upstream
    store = nginx_conf[nginx_conf.index("location /protected-s3/") :].split("}", 1)[0]
    assert "internal;" in store
    assert "proxy_pass http://seaweedfs:8333/;" in store
    assert "proxy_set_header Host seaweedfs:8333;" in store
    assert 'Content-Security-Policy "sandbox"' in store


def test_portal_stats_counts_applications_by_state(cast, complete_application, application_b):
    from applications.enums import Action
    from applications.workflow import application_transition

    application_transition(
        application=complete_application,
        action=Action.SUBMIT,
        by=cast.county_a_head,
        pledge=True,
        acknowledged=True,
    )
    out = io.StringIO()
    call_command("portal_stats", stdout=out)
    assert json.loads(out.getvalue())["applications_by_state"] == {"draft": 1, "submitted": 1}


def test_demo_data_loads_twice_without_duplicates():
    from applications.models import Application, Evidence
    from organizations.models import User

    call_command("load_demo", stdout=io.StringIO())
    counts = (User.objects.count(), Application.objects.count(), Evidence.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (User.objects.count(), Application.objects.count(), Evidence.objects.count()) == counts
    # The rectifying title of the paper register reached rectification through its round: the
    # round's report is an application (向阳区's, failed at the written review).
    assert counts[1] == 9
    states = dict(Application.objects.values_list("county__code", "state"))
    assert states == {
        "230102": "draft",
        "230202": "submitted",
        "230103": "forwarded",
        "230110": "written_passed",
        "230184": "designated",
        "230113": "designated",
        "230104": "designated",  # three years ago, now due for re-inspection
        "230112": "approved",
        "230402": "written_failed",
    }
    from designations.enums import PublicationKind
    from designations.models import Publication

    kinds = set(Publication.objects.filter(cycle__isnull=False).values_list("kind", flat=True))
    assert kinds == {PublicationKind.LIST, PublicationKind.SUPPLEMENT}
    from notices.models import HolidayCalendarYear, Objection, PublicNotice

    assert HolidayCalendarYear.objects.get(year=2027).is_demo
    # Every bureau named went through a window that has closed; 阿城区's is open.
    windows = {
        tuple(sorted(a.county.code for a in n.applications.all())): n
        for n in PublicNotice.objects.all()
    }
    assert set(windows) == {("230104",), ("230113", "230184"), ("230112",)}
    today = timezone.localdate()
    assert windows[("230104",)].closes_on < windows[("230113", "230184")].closes_on < today
    notice = windows[("230112",)]
    assert notice.starts_on == today <= notice.closes_on
    assert list(Objection.objects.values_list("notice", "outcome")) == [(notice.pk, "waiting")]
