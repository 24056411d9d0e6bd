"""The second factor: log-in in two steps, enrolment with recovery codes, wrong codes towards
the lockout, the gate before every page, the administration pages; and the password rules that
come with it (provisional, expired, not reused)."""

import io
from datetime import timedelta
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.enums import AuditAction
from audit.models import AuditEntry
from core.actors import SystemActor
from organizations.enums import Role
from organizations.models import Division, User
from organizations.services import membership_grant, password_set
from tests.factories import UserFactory, otp_code, otp_device_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Xin@Mima2026"


def _password(client, user, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": user.username, "password": password}, REMOTE_ADDR=ip
    )


def _code(client, token, ip="10.0.0.1"):
    return client.post(reverse("otp_verify"), {"token": token}, REMOTE_ADDR=ip)


def _failures(username: str) -> int:
    total = AccessAttempt.objects.filter(username=username).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


def test_a_user_with_a_device_is_asked_for_the_code_after_the_password(client, cast, password):
    device = otp_device_for(cast.office)
    response = _password(client, cast.office, password)
    assert response["Location"] == reverse("otp_verify")
    assert "_auth_user_id" not in client.session
    assert not AuditEntry.objects.filter(action=AuditAction.AUTH_LOGIN).exists()
    response = _code(client, otp_code(device))
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(cast.office.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert AuditEntry.objects.filter(action=AuditAction.AUTH_LOGIN, actor=cast.office).exists()
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_logs_nobody_in_and_counts_as_a_failure(client, cast, password):
    otp_device_for(cast.office)
    _password(client, cast.office, password)
    response = _code(client, "000000")
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _failures("office") == 1
    failed = AuditEntry.objects.get(action=AuditAction.OTP_FAIL)
    assert (failed.actor, failed.outcome) == (cast.office, "refused")


def test_wrong_codes_and_wrong_passwords_lock_the_username_together(client, cast, password):
    device = otp_device_for(cast.office)
    for attempt in range(2):
        _password(client, cast.office, "wrong", ip=f"10.0.1.{attempt}")
    _password(client, cast.office, password)
    for _attempt in range(2):
        assert _code(client, "000000").status_code == 200
    # The fifth failure, a code: locked.
    response = _code(client, "111111")
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _failures("office") >= 5
    assert AuditEntry.objects.filter(action=AuditAction.AUTH_LOCK, actor_name="office").exists()
    # The right password and the right code are now refused too.
    response = _password(client, cast.office, password, ip="10.9.9.9")
    assert response.status_code == 429
    assert _code(client, otp_code(device)).status_code in (302, 429)
    assert "_auth_user_id" not in client.session


def test_a_right_password_does_not_reset_the_count_of_wrong_codes(client, cast, password):
    """The failures are reset by a complete log-in only, so the password cannot be used to
    buy more guesses at the code."""
    otp_device_for(cast.office)
    for _round in range(2):
        _password(client, cast.office, password)
        _code(client, "000000")
        _code(client, "000001")
    assert _failures("office") == 4


def test_a_required_role_without_a_device_enrols_before_anything_else(client, password):
    user = UserFactory(username="new_evaluator")
    membership_grant(
        user=user,
        role=Role.EVALUATOR,
        division=Division.objects.get(code="lawyer"),
        by=SystemActor.LOADER,
    )
    response = _password(client, user, password)
    assert response["Location"] == reverse("otp_enrol")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("otp_enrol"))
    body = page.content.decode()
    assert "<svg" in body
    assert "http" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert page.context["secret"] in body
    wrong = client.post(reverse("otp_enrol"), {"token": "000000"})
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post(reverse("otp_enrol"), {"token": f"{code:06d}"})
    assert response["Location"] == reverse("otp_recovery_codes")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    codes = client.get(reverse("otp_recovery_codes")).context["codes"]
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    # Shown once.
    assert client.get(reverse("otp_recovery_codes"))["Location"] == reverse("otp_status")
    assert AuditEntry.objects.filter(action=AuditAction.OTP_ENROLL, actor=user).count() == 1
    # Enrolled: a second enrolment is refused (a reset is the security administrator's).
    assert client.get(reverse("otp_enrol"))["Location"] == reverse("otp_status")
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_recovery_code_works_once(client, cast, password):
    otp_device_for(cast.office)
    device = StaticDevice.objects.create(user=cast.office, name="recovery codes")
    device.token_set.create(token="abcd2345")
    device.token_set.create(token="efgh6789")
    _password(client, cast.office, password)
    assert _code(client, "abcd 2345")["Location"] == reverse("home")
    used = AuditEntry.objects.get(action=AuditAction.OTP_RECOVERY_USE)
    assert used.details == {"left": 1}
    client.post(reverse("logout"))
    _password(client, cast.office, password)
    assert _code(client, "abcd2345").status_code == 200
    assert "_auth_user_id" not in client.session


def test_county_users_are_offered_the_second_factor(client, cast, password):
    # No device: the password is enough.
    response = _password(client, cast.county_a_head, password)
    assert response["Location"] == reverse("home")
    assert client.get(reverse("otp_status")).status_code == 200
    assert client.get(reverse("otp_enrol")).status_code == 200
    # Once enrolled, the code is asked for as for anyone.
    device = TOTPDevice.objects.get(user=cast.county_a_head)
    device.confirmed = True
    device.save()
    client.post(reverse("logout"))
    assert _password(client, cast.county_a_head, password)["Location"] == reverse("otp_verify")


def test_an_unverified_session_of_a_required_role_reaches_no_page(client, cast):
    client.force_login(cast.office, otp=False)
    response = client.get(reverse("applications:cycle_list"))
    assert response["Location"].startswith(reverse("otp_verify"))
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("otp_verify"))
    assert client.get(reverse("home"), headers={"HX-Request": "true"}).status_code == 401
    assert client.get(reverse("public_list")).status_code == 200
    # Without a device, the enrolment.
    TOTPDevice.objects.filter(user=cast.office).delete()
    assert client.get(reverse("home"))["Location"].startswith(reverse("otp_enrol"))


def test_the_admin_pages_require_a_verified_session(client, cast):
    client.force_login(cast.sysadmin)
    assert client.get(reverse("admin:index")).status_code == 200
    session = client.session
    del session[DEVICE_ID_SESSION_KEY]
    session.save()
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("otp_verify"))
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(pk=cast.sysadmin.pk)
    request.user.is_verified = lambda: False
    assert not admin.site.has_permission(request)


def test_the_admin_login_page_is_the_portals(client):
    response = client.get(reverse("admin:login"))
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("followed", "carried"),
    [("/admin/organizations/", "/admin/organizations/"), ("https://evil.example/", "/admin/")],
)
def test_the_admin_login_carries_a_next_of_this_host_only(client, followed, carried):
    response = client.get(reverse("admin:login"), {"next": followed})
    assert response["Location"] == f"{reverse('login')}?next={quote(carried, safe='/')}"


def test_the_roles_that_require_a_second_factor_are_a_setting(settings, monkeypatch):
    from portal.settings import _otp_required_roles

    assert {
        "campaign_office",
        "evaluator",
        "city_head",
        "system_admin",
        "security_admin",
        "audit_admin",
    } == settings.OTP_REQUIRED_ROLES
    monkeypatch.setenv("OTP_REQUIRED_ROLES", "campaign_office, county_head")
    assert _otp_required_roles() == {"campaign_office", "county_head"}
    monkeypatch.setenv("OTP_REQUIRED_ROLES", "campaign_office,boss")
    with pytest.raises(ImproperlyConfigured, match="boss"):
        _otp_required_roles()


def test_demo_codes_are_refused_outside_debug_mode():
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("demo_otp_code", "office", stdout=io.StringIO())


def test_demo_codes_in_debug_mode(settings, cast):
    settings.DEVELOPMENT = True
    from portal.demo import demo_second_factors_load

    assert demo_second_factors_load() == 0  # the cast's office is enrolled already
    out = io.StringIO()
    call_command("demo_otp_code", "office", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6
    assert code.isdigit()
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_otp_code", "a_head", stdout=io.StringIO())


# Passwords


def test_a_provisional_password_is_changed_before_anything_else(client, cast, password):
    user = cast.county_a_head
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client.force_login(user)
    response = client.get(reverse("applications:list"))
    assert response["Location"].startswith(reverse("password_change"))
    page = client.get(reverse("password_change")).content.decode()
    assert "临时密码" in page
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("applications:list")).status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.PASSWORD_CHANGE)
    assert (entry.actor, entry.object_id) == (user, str(user.pk))


def test_an_expired_password_is_changed_before_anything_else(client, cast, settings):
    user = cast.county_a_head
    age = timedelta(days=settings.PASSWORD_EXPIRY_DAYS)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - age)
    client.force_login(user)
    assert client.get(reverse("home"))["Location"].startswith(reverse("password_change"))
    assert "已过期" in client.get(reverse("password_change")).content.decode()
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - age + timedelta(days=1)
    )
    assert client.get(reverse("home")).status_code == 200


def test_the_last_five_passwords_are_not_used_again(client, cast, password):
    user = User.objects.get(pk=cast.county_a_head.pk)
    history = [password] + [f"Mima@{n}2026x" for n in range(4)]
    for new in history[1:]:
        password_set(user=user, password=new, by=user)
    client.force_login(user)
    current = history[-1]
    for old in history:
        response = client.post(
            reverse("password_change"),
            {"old_password": current, "new_password1": old, "new_password2": old},
        )
        assert response.status_code == 200, old
        assert "最近" in response.content.decode()
    assert User.objects.get(pk=user.pk).check_password(current)
    # The sixth password back is allowed again.
    password_set(user=user, password="Liu@Mima2026", by=user)
    user = User.objects.get(pk=user.pk)
    from django.contrib.auth.password_validation import validate_password

    validate_password(password, user)


@pytest.mark.parametrize(
    ("carried", "lands"),
    [("/applications/", "/applications/"), ("https://evil.example/", "/")],
)
def test_the_code_step_goes_where_the_log_in_was_headed_on_this_host_only(
    client, cast, password, carried, lands
):
    device = otp_device_for(cast.office)
    _password(client, cast.office, password)
    response = client.post(
        reverse("otp_verify"), {"token": otp_code(device), "next": carried}, REMOTE_ADDR="10.0.0.1"
    )
    assert response["Location"] == lands
    assert client.session["_auth_user_id"] == str(cast.office.pk)


@pytest.mark.parametrize(
    ("followed", "lands"),
    [
        ("/applications/", "/applications/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_a_verified_user_follows_a_next_link_on_this_host_only(
    client, cast, password, followed, lands
):
    _verified(client, cast.office, password)
    response = client.get(reverse("otp_verify"), {"next": followed})
    assert response["Location"] == lands


def test_the_code_page_carries_the_followed_next_on_this_host_only(client, cast, password):
    otp_device_for(cast.office)
    _password(client, cast.office, password)
    page = client.get(reverse("otp_verify"), {"next": "https://evil.example/"}).content.decode()
    assert 'name="next" value="/"' in page
    page = client.get(reverse("otp_verify"), {"next": "/progress/"}).content.decode()
    assert 'name="next" value="/progress/"' in page


def test_a_next_address_too_long_answers_400_and_logs_nobody_in(client, cast, password):
    otp_device_for(cast.office)
    _password(client, cast.office, password)
    response = client.get(reverse("otp_verify"), {"next": "/" + "a" * 2000})
    assert response.status_code == 400
    assert "下一步要打开的地址过长。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def _renew(client, token):
    return client.post(reverse("otp_recovery_renew"), {"token": token})


def _recovery_tokens(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def _verified(client, user, password):
    """``user`` logged in past the second factor, with ten recovery codes from the enrolment."""
    device = otp_device_for(user)
    recovery = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    for n in range(10):
        recovery.token_set.create(token=f"old{n:05d}")
    _password(client, user, password)
    _code(client, otp_code(device))
    return device


def test_new_recovery_codes_replace_the_old_on_a_code_of_the_app(client, cast, password):
    device = _verified(client, cast.office, password)
    page = client.get(reverse("otp_status")).content.decode()
    assert reverse("otp_recovery_renew") in page
    response = _renew(client, otp_code(device))
    assert response["Location"] == reverse("otp_recovery_codes")
    shown = client.get(reverse("otp_recovery_codes"))
    codes = set(shown.context["codes"])
    assert len(codes) == 10
    assert _recovery_tokens(cast.office) == codes
    assert not codes & {f"old{n:05d}" for n in range(10)}
    entry = AuditEntry.objects.get(action=AuditAction.OTP_RECOVERY_RENEW)
    assert (entry.actor, entry.details) == (cast.office, {"left_before": 10})
    # Shown once: the page leads back to the status afterwards.
    assert client.get(reverse("otp_recovery_codes"))["Location"] == reverse("otp_status")
    client.post(reverse("logout"))
    _password(client, cast.office, password)
    assert _code(client, "old00000").status_code == 200  # an old code no longer works
    assert _code(client, sorted(codes)[0])["Location"] == reverse("home")


def test_a_wrong_code_or_a_recovery_code_renews_nothing_and_counts_as_a_failure(
    client, cast, password
):
    _verified(client, cast.office, password)
    before = _recovery_tokens(cast.office)
    for token in ("000000", "old00001", ""):
        response = _renew(client, token)
        assert response.status_code == 400
        assert 'aria-invalid="true"' in response.content.decode()
    assert _recovery_tokens(cast.office) == before
    assert not AuditEntry.objects.filter(action=AuditAction.OTP_RECOVERY_RENEW).exists()
    assert AuditEntry.objects.filter(action=AuditAction.OTP_FAIL, actor=cast.office).count() == 2
    assert _failures(cast.office.username) == 2


def test_without_a_second_factor_there_is_nothing_to_renew(client, cast):
    client.force_login(cast.county_a_applicant)
    response = _renew(client, "123456")
    assert response["Location"] == reverse("otp_status")
    assert not StaticToken.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="otp.").exists()
    assert client.get(reverse("otp_recovery_renew")).status_code == 405


def test_the_status_page_warns_when_few_codes_are_left(client, cast, password):
    _verified(client, cast.office, password)
    StaticToken.objects.filter(device__user=cast.office).exclude(token="old00000").delete()
    page = client.get(reverse("otp_status")).content.decode()
    assert "恢复码所剩不多" in page or "Few recovery codes" in page
