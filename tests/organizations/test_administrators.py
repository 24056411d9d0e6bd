"""三员分立: the system, security and audit administrators, none almighty.

The probe's escalation (the system administrator ticks 超级用户 on his own account) is
reproduced and refused; role grants are the security administrator's; nobody holds two of the
three roles (service and database) or grants a privileged role to themselves.
"""

import io
from html import escape

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.enums import AuditAction
from audit.models import AuditEntry
from organizations.enums import Role
from organizations.models import Bureau, Division, Membership, User
from organizations.services import membership_grant, membership_revoke
from tests.factories import otp_device_for
from tests.states import stock

pytestmark = pytest.mark.django_db


def test_the_system_administrator_cannot_make_himself_superuser(client, cast):
    """The probe: sysadmin opens his own account, ticks 超级用户 and saves."""
    sysadmin = cast.sysadmin
    client.force_login(sysadmin)
    url = reverse("admin:organizations_user_change", args=[sysadmin.pk])
    page = client.get(url).content.decode()
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{field}"' not in page
    before = stock()
    membership = sysadmin.memberships.get()
    response = client.post(
        url,
        {
            "username": sysadmin.username,
            "full_name": sysadmin.full_name,
            "phone": "",
            "email": sysadmin.email,
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [Group.objects.get(name="system_admins").pk],
            "user_permissions": [Permission.objects.get(codename="add_membership").pk],
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": str(membership.pk),
            "memberships-0-user": str(sysadmin.pk),
        },
    )
    assert response.status_code == 302
    after = stock()
    # Nothing changed but the trail, which says the form changed nothing.
    assert {key for key in before if after[key] != before[key]} == {"audit"}
    [entry] = AuditEntry.objects.filter(pk__in=set(after["audit"]) - set(before["audit"]))
    assert (entry.action, entry.details["change"]) == (AuditAction.ADMIN_CHANGE, "没有字段被修改。")
    assert not User.objects.get(pk=sysadmin.pk).is_superuser
    assert not AuditEntry.objects.filter(action=AuditAction.ACCOUNT_CHANGE).exists()


def test_the_escalation_is_refused_on_another_account_too(client, cast):
    client.force_login(cast.sysadmin)
    before = stock()
    response = client.post(
        reverse("admin:organizations_user_change", args=[cast.nobody.pk]),
        {
            "username": cast.nobody.username,
            "full_name": "新名字",
            "email": cast.nobody.email,
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    after = stock()
    # The name alone changed, and the trail says so; no flag, group, permission or role.
    assert {key for key in before if after[key] != before[key]} == {"users", "audit"}
    [(old, new)] = [(b, a) for b, a in zip(before["users"], after["users"], strict=True) if b != a]
    assert (old[0], old[2], new[2]) == (cast.nobody.pk, cast.nobody.full_name, "新名字")
    assert old[:2] + old[3:] == new[:2] + new[3:]
    changed = AuditEntry.objects.get(action=AuditAction.ACCOUNT_CHANGE)
    assert changed.details == {"fields": ["full_name"]}
    assert changed.actor == cast.sysadmin


def test_the_password_page_of_the_user_admin_is_closed(client, cast):
    for who in (cast.sysadmin, cast.secadmin):
        client.force_login(who)
        url = reverse("admin:auth_user_password_change", args=[cast.nobody.pk])
        assert client.get(url).status_code == 403
    assert User.objects.get(pk=cast.nobody.pk).password == cast.nobody.password


def test_the_system_administrator_opens_an_account_with_a_provisional_password(client, cast):
    client.force_login(cast.sysadmin)
    response = client.post(
        reverse("admin:organizations_user_add"),
        {
            "username": "xinren",
            "full_name": "新人（测试）",
            "password1": "Chu@shi2026",
            "password2": "Chu@shi2026",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="xinren")
    assert user.must_change_password
    assert user.check_password("Chu@shi2026")
    assert not user.is_superuser
    assert not user.is_staff
    entry = AuditEntry.objects.get(action=AuditAction.ACCOUNT_CREATE)
    assert (entry.actor, entry.object_id) == (cast.sysadmin, str(user.pk))


def test_deactivating_an_account_is_recorded(client, cast):
    client.force_login(cast.sysadmin)
    client.post(
        reverse("admin:organizations_user_change", args=[cast.nobody.pk]),
        {
            "username": cast.nobody.username,
            "full_name": cast.nobody.full_name,
            "email": cast.nobody.email,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert not User.objects.get(pk=cast.nobody.pk).is_active
    entry = AuditEntry.objects.get(action=AuditAction.ACCOUNT_DEACTIVATE)
    assert (entry.actor, entry.object_id) == (cast.sysadmin, str(cast.nobody.pk))


def test_staff_groups_split_the_administration(cast):
    sysadmin = User.objects.get(pk=cast.sysadmin.pk)
    secadmin = User.objects.get(pk=cast.secadmin.pk)
    auditor = User.objects.get(pk=cast.auditadmin.pk)
    assert sysadmin.has_perm("organizations.change_user")
    assert sysadmin.has_perm("organizations.change_bureau")
    assert not sysadmin.has_perm("organizations.add_membership")
    assert not sysadmin.has_perm("organizations.reset_credentials")
    assert secadmin.has_perm("organizations.add_membership")
    assert secadmin.has_perm("organizations.reset_credentials")
    assert not secadmin.has_perm("organizations.change_user")
    assert not auditor.is_staff
    assert not auditor.get_all_permissions()


def test_an_account_holds_one_administrator_role_at_most(cast):
    for role in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        with pytest.raises(ValidationError, match="系统管理员"):
            membership_grant(user=cast.sysadmin, role=role, by=cast.secadmin)
    assert set(cast.sysadmin.memberships.values_list("role", flat=True)) == {Role.SYSTEM_ADMIN}


def test_the_database_refuses_a_second_administrator_role(cast):
    with pytest.raises(IntegrityError, match="membership_one_admin_role"), transaction.atomic():
        Membership.objects.create(user=cast.sysadmin, role=Role.AUDIT_ADMIN)
    assert cast.sysadmin.memberships.count() == 1


def test_nobody_grants_a_privileged_role_to_themselves(cast):
    before = Membership.objects.count()
    with pytest.raises(ValidationError, match="自己"):
        membership_grant(
            user=cast.secadmin,
            role=Role.CAMPAIGN_OFFICE,
            bureau=Bureau.objects.get(code="230000"),
            by=cast.secadmin,
        )
    assert Membership.objects.count() == before
    assert not AuditEntry.objects.filter(
        action=AuditAction.MEMBERSHIP_GRANT, actor=cast.secadmin
    ).exists()


def test_only_the_security_administrator_grants_and_revokes(cast):
    division = Division.objects.get(code="notary")
    for who in (cast.sysadmin, cast.office, cast.auditadmin):
        with pytest.raises(PermissionDenied):
            membership_grant(user=cast.nobody, role=Role.EVALUATOR, division=division, by=who)
    assert not cast.nobody.memberships.exists()
    membership = cast.county_a_head.memberships.get()
    with pytest.raises(PermissionDenied):
        membership_revoke(membership=membership, by=cast.sysadmin)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_grants_and_revocations_are_recorded(cast):
    membership = membership_grant(
        user=cast.nobody,
        role=Role.COUNTY_HEAD,
        bureau=Bureau.objects.get(code="230102"),
        by=cast.secadmin,
    )
    granted = AuditEntry.objects.get(action=AuditAction.MEMBERSHIP_GRANT, actor=cast.secadmin)
    assert granted.details == {"user": "nobody", "role": "county_head", "bureau": "230102"}
    assert (granted.object_type, granted.object_id) == (
        "organizations.membership",
        str(membership.pk),
    )
    # A second grant of the same role is no new act: nothing more is recorded.
    membership_grant(
        user=cast.nobody,
        role=Role.COUNTY_HEAD,
        bureau=Bureau.objects.get(code="230102"),
        by=cast.secadmin,
    )
    assert (
        AuditEntry.objects.filter(action=AuditAction.MEMBERSHIP_GRANT, actor=cast.secadmin).count()
        == 1
    )
    membership_pk = membership.pk
    membership_revoke(membership=membership, by=cast.secadmin)
    revoked = AuditEntry.objects.get(action=AuditAction.MEMBERSHIP_REVOKE)
    assert revoked.details == granted.details
    # On the membership as it was (gone now), whose description names the user.
    assert (revoked.actor, revoked.object_type, revoked.object_id) == (
        cast.secadmin,
        "organizations.membership",
        str(membership_pk),
    )
    assert str(cast.nobody) in revoked.object_repr
    assert not cast.nobody.memberships.exists()


def test_the_membership_pages_are_the_security_administrators(client, cast):
    division = Division.objects.get(code="notary")
    client.force_login(cast.sysadmin)
    assert client.get(reverse("admin:organizations_membership_add")).status_code == 403
    client.force_login(cast.secadmin)
    assert client.get(reverse("admin:organizations_membership_add")).status_code == 200
    response = client.post(
        reverse("admin:organizations_membership_add"),
        {"user": cast.nobody.pk, "role": Role.EVALUATOR, "division": division.pk},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=cast.nobody)
    assert (membership.role, membership.division) == (Role.EVALUATOR, division)
    entry = AuditEntry.objects.get(action=AuditAction.MEMBERSHIP_GRANT, actor=cast.secadmin)
    assert entry.details["role"] == "evaluator"


def test_the_membership_form_refuses_a_self_grant(client, cast):
    client.force_login(cast.secadmin)
    response = client.post(
        reverse("admin:organizations_membership_add"),
        {
            "user": cast.secadmin.pk,
            "role": Role.CAMPAIGN_OFFICE,
            "bureau": Bureau.objects.get(code="230000").pk,
        },
    )
    assert response.status_code == 200
    assert "自己" in response.content.decode()
    assert set(cast.secadmin.memberships.values_list("role", flat=True)) == {Role.SECURITY_ADMIN}


def test_the_security_administrator_resets_a_password(client, cast):
    client.force_login(cast.secadmin)
    response = client.post(
        reverse("admin:organizations_user_changelist"),
        {"action": "reset_password", "_selected_action": [cast.county_a_head.pk]},
    )
    assert response.status_code == 200
    user = User.objects.get(pk=cast.county_a_head.pk)
    [(_user, provisional)] = response.context["issued"]
    assert escape(provisional) in response.content.decode()
    assert user.check_password(provisional)
    assert user.must_change_password
    assert user.password_history.count() == 1
    entry = AuditEntry.objects.get(action=AuditAction.PASSWORD_RESET)
    assert (entry.actor, entry.object_id) == (cast.secadmin, str(user.pk))
    assert provisional not in str(entry.details)


def test_the_system_administrator_has_no_reset_actions(client, cast):
    client.force_login(cast.sysadmin)
    before = User.objects.get(pk=cast.county_a_head.pk).password
    device = otp_device_for(cast.office)
    for action in ("reset_password", "reset_second_factor"):
        client.post(
            reverse("admin:organizations_user_changelist"),
            {"action": action, "_selected_action": [cast.county_a_head.pk, cast.office.pk]},
        )
    assert User.objects.get(pk=cast.county_a_head.pk).password == before
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AuditEntry.objects.filter(
        action__in=[AuditAction.PASSWORD_RESET, AuditAction.OTP_RESET]
    ).exists()


def test_the_security_administrator_resets_a_lost_second_factor(client, cast):
    device = otp_device_for(cast.office)
    StaticDevice.objects.create(user=cast.office, name="recovery codes")
    client.force_login(cast.secadmin)
    client.post(
        reverse("admin:organizations_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [cast.office.pk, cast.secadmin.pk]},
    )
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not StaticDevice.objects.filter(user=cast.office).exists()
    # Not their own: the security administrator's device stays.
    assert TOTPDevice.objects.filter(user=cast.secadmin).exists()
    entry = AuditEntry.objects.get(action=AuditAction.OTP_RESET)
    assert (entry.actor, entry.object_id, entry.details) == (
        cast.secadmin,
        str(cast.office.pk),
        {"devices": 2},
    )


def test_createsuperuser_is_recorded(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Chao@ji2026")
    call_command(
        "createsuperuser",
        "--noinput",
        "--username",
        "root_on_server",
        "--email",
        "root@test.invalid",
        stdout=io.StringIO(),
    )
    user = User.objects.get(username="root_on_server")
    assert user.is_superuser
    entry = AuditEntry.objects.get(action=AuditAction.SUPERUSER_CREATE)
    assert entry.object_id == str(user.pk)
    assert entry.actor_name.startswith("manage.py createsuperuser")
