"""The audit trail: one function writes it, the chain shows a change, the database refuses one."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.enums import AuditAction
from audit.models import AuditEntry
from audit.services import GENESIS, audit_purge, audit_record, entry_hash
from tests.factories import otp_code, otp_device_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(cast):
    return cast.auditadmin


def _verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_entries_are_chained_and_verified(cast):
    first = audit_record(action=AuditAction.CYCLE_CLOSE, actor=cast.office, details={"a": 1})
    second = audit_record(
        action=AuditAction.ACCOUNT_CHANGE, actor=cast.county_a_head, obj=cast.county_a_head
    )
    assert first.previous_hash == GENESIS or AuditEntry.objects.filter(hash=first.previous_hash)
    assert second.previous_hash == first.hash
    assert second.hash == entry_hash(AuditEntry.objects.get(pk=second.pk))
    assert (second.roles, second.object_type) == ("county_head", "organizations.user")
    assert "230102" in second.bureau
    assert _verify() == f"审计日志完整：已核验{AuditEntry.objects.count()}条。\n"


@pytest.mark.parametrize("change", ["update", "delete"])
def test_the_database_refuses_to_change_an_entry(cast, change):
    entry = audit_record(action=AuditAction.CYCLE_CLOSE, actor=cast.office)
    rows = AuditEntry.objects.filter(pk=entry.pk)
    act = (
        (lambda: rows.update(action=AuditAction.CYCLE_OPEN)) if change == "update" else rows.delete
    )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        act()
    entry.refresh_from_db()
    assert entry.action == AuditAction.CYCLE_CLOSE


def test_a_row_changed_behind_the_portals_back_is_named(cast):
    audit_record(action=AuditAction.CYCLE_OPEN, actor=cast.office)
    victim = audit_record(
        action=AuditAction.EVIDENCE_DOWNLOAD, actor=cast.office, details={"file": 1}
    )
    audit_record(action=AuditAction.CYCLE_CLOSE, actor=cast.office)
    with connection.cursor() as cursor:
        # Someone with the database's owner rights, behind the portal's back.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(
            "UPDATE audit_auditentry SET details = %s WHERE id = %s",
            [json.dumps({"file": 2}), victim.pk],
        )
        cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")
    with pytest.raises(CommandError, match=f"{victim.pk}"):
        _verify()


def test_log_in_failed_log_in_and_log_out_are_recorded(client, cast, password):
    client.post(
        reverse("login"),
        {"username": cast.office.username, "password": "wrong"},
        REMOTE_ADDR="203.0.113.7",
    )
    failed = AuditEntry.objects.get(action=AuditAction.AUTH_LOGIN_FAIL)
    assert (failed.actor, failed.actor_name, failed.outcome) == (None, "office", "refused")
    assert failed.ip == "203.0.113.7"
    client.post(reverse("login"), {"username": "office", "password": password})
    # The office uses a second factor: logged in (and recorded) once the code is right.
    assert not AuditEntry.objects.filter(action=AuditAction.AUTH_LOGIN, actor=cast.office).exists()
    client.post(reverse("otp_verify"), {"token": otp_code(otp_device_for(cast.office))})
    assert AuditEntry.objects.filter(action=AuditAction.AUTH_LOGIN, actor=cast.office).exists()
    client.post(reverse("logout"))
    assert AuditEntry.objects.filter(action=AuditAction.AUTH_LOGOUT, actor=cast.office).exists()
    assert "wrong" not in json.dumps(list(AuditEntry.objects.values("details")))


def test_purge_keeps_the_retention_period_and_archives_what_it_removes(cast, settings, tmp_path):
    # The cast's role grants are in the trail already.
    existing = AuditEntry.objects.count()
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        old = [audit_record(action=AuditAction.CYCLE_OPEN, actor=cast.office) for n in range(3)]
    recent = audit_record(action=AuditAction.CYCLE_CLOSE, actor=cast.office)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        audit_purge(before=timezone.now() - timedelta(days=10), archive_dir=tmp_path)
    assert AuditEntry.objects.count() == existing + 4
    result = audit_purge(before=timezone.now() - timedelta(days=380), archive_dir=tmp_path)
    assert result["removed"] == 3
    lines = (tmp_path / result["archive"].split("/")[-1]).read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [e.pk for e in old]
    signature = next(tmp_path.glob("*.sha256")).read_text()
    assert "hmac-sha256" in signature
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    purge = AuditEntry.objects.get(action=AuditAction.AUDIT_PURGE)
    assert purge.details["last_hash"] == old[-1].hash
    _verify()  # the chain that remains still holds


AUDIT_PAGE_QUERIES = 8  # with the device of the session's second factor


@pytest.mark.parametrize("count", [1, 60])
def test_the_audit_page_is_paged_with_a_literal_query_count(
    client, auditor, cast, count, django_assert_num_queries
):
    for n in range(count):
        audit_record(
            action=AuditAction.MEMBERSHIP_GRANT,
            actor=cast.office,
            obj=cast.county_a_head,
            details={"n": n},
        )
    client.force_login(auditor)
    url = reverse("audit:trail")
    client.get(url)
    with django_assert_num_queries(AUDIT_PAGE_QUERIES):
        page = client.get(url, {"action": AuditAction.MEMBERSHIP_GRANT}).content.decode()
    # Labels, never codes: the action's, the roles', the bureau's name, the object's type.
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    granted = AuditEntry.objects.filter(action=AuditAction.MEMBERSHIP_GRANT).count()
    assert rows.count(">授予角色<") == min(granted, 50)  # the cast's grants among them
    assert rows.count(">领导小组办公室<") == min(count, 50)
    assert rows.count(">用户</span>") == min(count, 50)
    assert "campaign_office" not in rows
    assert ">membership.grant<" not in rows


def _legacy_row(code: str, *, actor, obj=None) -> AuditEntry:
    """A row as the portal wrote it before ``AuditAction``: its code kept, its chain sound."""
    from audit.services import GENESIS, entry_hash

    last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
    entry = AuditEntry(
        created_at=timezone.now(),
        actor=actor,
        actor_name=actor.get_username(),
        roles="campaign_office",
        bureau="legal_aid 厅法律援助处",
        action=code,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj) if obj is not None else "",
        outcome="ok",
        details={},
        previous_hash=last or GENESIS,
    )
    entry.hash = entry_hash(entry)
    entry.save()
    return entry


def test_a_row_with_a_legacy_code_shows_and_filters_as_its_member(client, auditor, cast):
    old = _legacy_row("download.evidence", actor=cast.office, obj=cast.county_a_head)
    new = audit_record(action=AuditAction.EVIDENCE_DOWNLOAD, actor=cast.office)
    audit_record(action=AuditAction.AUTH_LOGIN, actor=cast.office)
    client.force_login(auditor)
    page = client.get(reverse("audit:trail"), {"action": AuditAction.EVIDENCE_DOWNLOAD})
    assert page.status_code == 200
    assert [e.pk for e in page.context["page"]] == [new.pk, old.pk]
    html = page.content.decode()
    assert html.count("下载佐证材料") == 3  # both rows, and the chosen option
    assert "登录" not in html.split("<tbody>")[1]
    # The role, the division and the object's type by their names.
    assert "领导小组办公室" in html
    assert "campaign_office" not in html
    assert "厅法律援助处" in html
    assert ">legal_aid" not in html
    assert "用户</span> " in html
    _verify()  # the old row is a sound link of the chain


def test_every_legacy_code_stands_for_a_member_and_every_member_is_in_a_group():
    from audit.enums import ACTION_GROUPS, LEGACY_ACTIONS, action_choices, action_label

    assert not set(LEGACY_ACTIONS) & set(AuditAction.values)
    assert all(isinstance(member, AuditAction) for member in LEGACY_ACTIONS.values())
    grouped = [value for _group, options in action_choices() for value, _label in options]
    assert sorted(grouped) == sorted(AuditAction.values)
    assert len(ACTION_GROUPS) == len({str(label) for label, _nouns in ACTION_GROUPS})
    assert action_label("login") == action_label(AuditAction.AUTH_LOGIN)
    assert action_label("test.unknown") == "test.unknown"


def test_audit_record_takes_only_members(cast):
    before = AuditEntry.objects.count()
    for action in ("cycle.close", "test.one", "", None):
        with pytest.raises(TypeError, match="AuditAction"):
            audit_record(action=action, actor=cast.office)
    assert AuditEntry.objects.count() == before


def test_an_act_is_one_entry_with_the_services_it_called_as_steps(cast):
    from audit.services import audit_act

    before = AuditEntry.objects.count()
    with audit_act(action=AuditAction.CYCLE_OPEN, actor=cast.office, ip="203.0.113.9") as act:
        audit_record(action=AuditAction.CRITERIA_FREEZE, obj=cast.county_a_head, details={"a": 1})
        audit_record(action=AuditAction.CYCLE_OPEN, obj=cast.office, details={"b": 2})
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.actor, entry.ip) == (
        AuditAction.CYCLE_OPEN,
        cast.office,
        "203.0.113.9",
    )
    assert (entry.object_type, entry.object_id) == ("organizations.user", str(cast.office.pk))
    assert entry.details == {
        "b": 2,
        "steps": [
            {
                "action": "criteria.freeze",
                "object": f"organizations.user:{cast.county_a_head.pk}",
                "details": {"a": 1},
            }
        ],
    }
    assert act.obj == cast.office

    def refused_act():
        with audit_act(action=AuditAction.CYCLE_OPEN, actor=cast.office):
            audit_record(action=AuditAction.CRITERIA_FREEZE)
            raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"), transaction.atomic():
        refused_act()
    assert AuditEntry.objects.count() == before + 1


def test_the_admins_log_of_an_act_a_service_recorded_is_not_a_second_entry(client, cast):
    client.force_login(cast.sysadmin)
    since = AuditEntry.objects.latest("id").pk
    client.post(
        reverse("admin:organizations_user_change", args=[cast.nobody.pk]),
        {
            "username": cast.nobody.username,
            "full_name": "新名字",
            "email": cast.nobody.email,
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    entries = AuditEntry.objects.filter(pk__gt=since)
    assert [e.action for e in entries] == [AuditAction.ACCOUNT_CHANGE]


def test_only_the_audit_administrator_reads_the_trail(client, cast, auditor):
    for user in (cast.office, cast.sysadmin, cast.county_a_head):
        client.force_login(user)
        assert client.get(reverse("audit:trail")).status_code == 403
        assert client.get(reverse("audit:trail_xlsx")).status_code == 403
    client.force_login(auditor)
    assert client.get(reverse("audit:trail")).status_code == 200


def test_the_export_is_filtered_text_safe_and_itself_recorded(client, auditor, cast):
    from io import BytesIO

    from openpyxl import load_workbook

    audit_record(action=AuditAction.CYCLE_CLOSE, actor=cast.office, actor_name="x")
    audit_record(action=AuditAction.AUTH_LOGIN_FAIL, actor_name="=HYPERLINK(1)")
    client.force_login(auditor)
    response = client.get(reverse("audit:trail_xlsx"), {"actor": "office"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    # The labels, and the code in the last column.
    assert [(row[2], row[5], row[9]) for row in rows] == [
        ("领导小组办公室", "结束创建年度", "cycle.close")
    ]
    response = client.get(reverse("audit:trail_xlsx"), {"actor": "HYPERLINK"})
    cell = load_workbook(BytesIO(response.content)).active.cell(row=2, column=2)
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")
    export = AuditEntry.objects.filter(action=AuditAction.AUDIT_EXPORT).latest("id")
    assert (export.actor, export.details["filters"]) == (auditor, {"actor": "HYPERLINK"})


def test_a_filter_that_does_not_parse_answers_400(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("audit:trail"), {"since": "2026-13-40"})
    assert response.status_code == 400


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5"])
def test_a_page_that_is_not_a_whole_number_answers_400(client, auditor, page):
    client.force_login(auditor)
    entries = AuditEntry.objects.count()
    response = client.get(reverse("audit:trail"), {"page": page})
    assert response.status_code == 400
    assert "页码必须是正整数。" in response.content.decode()
    assert AuditEntry.objects.count() == entries


def test_a_page_past_the_end_is_the_last_page(client, auditor, cast):
    for n in range(60):
        audit_record(action=AuditAction.MEMBERSHIP_GRANT, actor=cast.office, details={"n": n})
    client.force_login(auditor)
    total = AuditEntry.objects.count()
    response = client.get(reverse("audit:trail"), {"page": 99})
    page = response.context["page"]
    assert (response.status_code, page.number) == (200, page.paginator.num_pages)
    assert len(page.object_list) == total - 50 * (page.paginator.num_pages - 1)
