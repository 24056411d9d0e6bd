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
    first = audit_record(action="test.one", actor=cast.office, details={"a": 1})
    second = audit_record(action="test.two", actor=cast.county_a_head, obj=cast.county_a_head)
    assert first.previous_hash == GENESIS or AuditEntry.objects.filter(hash=first.previous_hash)
    assert second.previous_hash == first.hash
    assert second.hash == entry_hash(AuditEntry.objects.get(pk=second.pk))
    assert (second.roles, second.object_type) == ("county_head", "organizations.user")
    assert "230102" in second.bureau
    assert "verified" in _verify() or "核验" in _verify()


@pytest.mark.parametrize("change", ["update", "delete"])
def test_the_database_refuses_to_change_an_entry(cast, change):
    entry = audit_record(action="test.one", actor=cast.office)
    rows = AuditEntry.objects.filter(pk=entry.pk)
    act = (lambda: rows.update(action="test.other")) if change == "update" else rows.delete
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        act()
    entry.refresh_from_db()
    assert entry.action == "test.one"


def test_a_row_changed_behind_the_portals_back_is_named(cast):
    audit_record(action="test.one", actor=cast.office)
    victim = audit_record(action="download.evidence", actor=cast.office, details={"file": 1})
    audit_record(action="test.three", actor=cast.office)
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
    failed = AuditEntry.objects.get(action="login_failed")
    assert (failed.actor, failed.actor_name, failed.outcome) == (None, "office", "refused")
    assert failed.ip == "203.0.113.7"
    client.post(reverse("login"), {"username": "office", "password": password})
    # The office uses a second factor: logged in (and recorded) once the code is right.
    assert not AuditEntry.objects.filter(action="login", actor=cast.office).exists()
    client.post(reverse("otp_verify"), {"token": otp_code(otp_device_for(cast.office))})
    assert AuditEntry.objects.filter(action="login", actor=cast.office).exists()
    client.post(reverse("logout"))
    assert AuditEntry.objects.filter(action="logout", actor=cast.office).exists()
    assert "wrong" not in json.dumps(list(AuditEntry.objects.values("details")))


def test_purge_keeps_the_retention_period_and_archives_what_it_removes(cast, settings, tmp_path):
    # The cast's role grants are in the trail already.
    existing = AuditEntry.objects.count()
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        old = [audit_record(action=f"test.old{n}", actor=cast.office) for n in range(3)]
    recent = audit_record(action="test.recent", actor=cast.office)
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
    purge = AuditEntry.objects.get(action="audit.purge")
    assert purge.details["last_hash"] == old[-1].hash
    _verify()  # the chain that remains still holds


AUDIT_PAGE_QUERIES = 8  # with the device of the session's second factor


@pytest.mark.parametrize("count", [1, 60])
def test_the_audit_page_is_paged_with_a_literal_query_count(
    client, auditor, cast, count, django_assert_num_queries
):
    for n in range(count):
        audit_record(action=f"test.n{n}", actor=cast.office)
    client.force_login(auditor)
    url = reverse("audit:trail")
    client.get(url)
    with django_assert_num_queries(AUDIT_PAGE_QUERIES):
        page = client.get(url, {"action": "test."}).content.decode()
    assert page.count("test.n") == min(count, 50)


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

    audit_record(action="test.keep", actor=cast.office, actor_name="x")
    audit_record(action="=HYPERLINK(1)", actor=cast.county_a_head)
    client.force_login(auditor)
    response = client.get(reverse("audit:trail_xlsx"), {"actor": "office"})
    sheet = load_workbook(BytesIO(response.content)).active
    actions = [row[5].value for row in sheet.iter_rows(min_row=2)]
    assert actions == ["test.keep"]
    response = client.get(reverse("audit:trail_xlsx"), {"action": "HYPERLINK"})
    cell = load_workbook(BytesIO(response.content)).active.cell(row=2, column=6)
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")
    export = AuditEntry.objects.filter(action="export.audit").latest("id")
    assert (export.actor, export.details["filters"]) == (auditor, {"action": "HYPERLINK"})


def test_a_filter_that_does_not_parse_answers_400(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("audit:trail"), {"since": "2026-13-40"})
    assert response.status_code == 400
