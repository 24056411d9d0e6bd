"""Log-in, lockout by username, password rules, idle timeout, log-out, password change."""

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_page_is_chinese(client):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert '<html lang="zh-CN">' in body
    assert "示范司法局创建评定平台" in body
    assert 'autocomplete="username"' in body


def test_login_with_the_right_password_lands_on_home(client, cast, password):
    response = _login(client, cast.county_a_head.username, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(cast.county_a_head.pk)


def test_wrong_password_shows_a_chinese_message_and_keeps_the_username(client, cast):
    response = _login(client, cast.county_a_head.username, "wrong")
    body = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码错误" in body
    assert f'value="{cast.county_a_head.username}"' in body
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_username_from_any_address(client, cast, password):
    username = cast.county_a_head.username
    for attempt in range(5):
        _login(client, username, "wrong", ip=f"10.0.0.{attempt + 1}")
    # The right password from yet another address is refused while locked.
    response = _login(client, username, password, ip="10.9.9.9")
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # One record per address; the lockout counts them together.
    failures = AccessAttempt.objects.filter(username=username).aggregate(
        n=Sum("failures_since_start")
    )
    assert failures["n"] >= 5


def test_a_locked_username_does_not_lock_colleagues_behind_the_same_nat(client, cast, password):
    for _ in range(5):
        _login(client, cast.county_a_head.username, "wrong", ip="10.0.0.1")
    response = _login(client, cast.county_a_applicant.username, password, ip="10.0.0.1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.county_a_applicant.pk)


def test_lockout_lasts_thirty_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]


@pytest.mark.parametrize(
    ("candidate", "ok"),
    [
        ("Sifa@2026", True),
        ("sifaju2026!", True),
        ("SIFAJU2026", False),  # two classes
        ("sifajuzhang", False),  # one class
        ("Sf@26", False),  # too short
    ],
)
def test_password_rules(candidate, ok):
    if ok:
        validate_password(candidate)
    else:
        with pytest.raises(ValidationError):
            validate_password(candidate)


def _session_updates(queries) -> int:
    return sum(
        1 for q in queries if q["sql"].startswith("UPDATE") and '"django_session"' in q["sql"]
    )


def test_session_is_not_written_on_every_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_TOUCH_SECONDS == 60
    assert not getattr(settings, "SESSION_SAVE_EVERY_REQUEST", False)


def test_request_within_the_minute_writes_no_session(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel("2025-03-01 09:00:00+08:00", tick=False) as traveller:
        client.force_login(cast.county_a_head)
        with CaptureQueriesContext(connection) as first:
            assert client.get(reverse("home")).status_code == 200
        assert _session_updates(first.captured_queries) == 1
        traveller.shift(30)
        with CaptureQueriesContext(connection) as within:
            assert client.get(reverse("home")).status_code == 200
        assert _session_updates(within.captured_queries) == 0
        traveller.shift(31)
        with CaptureQueriesContext(connection) as after:
            assert client.get(reverse("home")).status_code == 200
        assert _session_updates(after.captured_queries) == 1


def test_idle_session_expires_after_thirty_minutes(client, cast):
    with time_machine.travel("2025-03-01 09:00:00+08:00", tick=False) as traveller:
        client.force_login(cast.county_a_head)
        assert client.get(reverse("home")).status_code == 200
        # Requests every 50 s for 20 minutes keep the session alive (renewed once a minute).
        for _ in range(24):
            traveller.shift(50)
            assert client.get(reverse("home")).status_code == 200
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(30 * 60 + 1)
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_logout_is_post_only(client, cast):
    client.force_login(cast.county_a_head)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_enforces_the_rules(client, cast, password):
    client.force_login(cast.county_a_head)
    weak = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert weak.status_code == 200
    assert "new_password2_error" in weak.content.decode()
    cast.county_a_head.refresh_from_db()
    assert cast.county_a_head.check_password(password)

    strong = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "Xin@Mima2026",
            "new_password2": "Xin@Mima2026",
        },
    )
    assert strong["Location"] == reverse("password_change_done")
    cast.county_a_head.refresh_from_db()
    assert cast.county_a_head.check_password("Xin@Mima2026")
