"""Every file handed out is one entry of the trail: who, which file (action), of what object.

Generated files (PDFs, workbooks) are recorded by the views that make them; the
administration pages' exports and confirmed imports by ``core.excel`` through its hook point.
A refused download records nothing.
"""

import pytest
from django.urls import reverse

from audit.enums import AuditAction
from audit.models import AuditEntry
from designations.batches import certificate_batch_render, certificate_batch_start
from organizations.models import Bureau
from tests.clients import PortalClient
from tests.designations.factories import designated
from tests.excel import CSV, XLSX, admin_confirm, admin_export, admin_preview, xlsx_bytes

pytestmark = pytest.mark.django_db


def _client(user) -> PortalClient:
    client = PortalClient()
    if user is not None:
        client.force_login(user)
    return client


def _new_entries(since: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(id__gt=since).order_by("id"))


def _last_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_the_public_list_entry_names_the_format_and_the_filter(client):
    since = _last_id()
    client.get(reverse("public_xlsx"), {"year": "2026", "city": "230100"})
    [entry] = _new_entries(since)
    assert entry.details["format"] == "xlsx"
    assert (entry.details["year"], entry.details["city"]) == ("2026", "230100")
    assert entry.details["rows"] == 0


def test_the_certificate_batch_download_writes_one_entry(cast, cycle):
    designated(cycle, cast.office)
    batch = certificate_batch_start(cycle=cycle, by=cast.office)
    certificate_batch_render(batch_id=batch.pk)
    client = _client(cast.office)
    since = _last_id()
    response = client.get(reverse("designations:certificate_batch_download", args=[batch.pk]))
    body = b"".join(response.streaming_content)
    [entry] = _new_entries(since)
    assert (entry.action, entry.actor) == (AuditAction.CERTIFICATE_BATCH_DOWNLOAD, cast.office)
    assert (entry.object_type, entry.object_id) == ("designations.certificatebatch", str(batch.pk))
    assert entry.details["bytes"] == len(body)


@pytest.mark.parametrize(("fmt", "extension"), [(XLSX, "xlsx"), (CSV, "csv")])
def test_an_administration_export_writes_one_entry_with_the_rows(cast, fmt, extension):
    client = _client(cast.sysadmin)
    since = _last_id()
    admin_export(client, "organizations_bureau", fmt)
    [entry] = _new_entries(since)
    assert (entry.action, entry.actor) == (AuditAction.ADMIN_EXPORT, cast.sysadmin)
    assert entry.details == {
        "resource": "BureauResource",
        "model": "organizations.bureau",
        "format": extension,
        "rows": Bureau.objects.count(),
        "personal_data": False,
    }


def test_an_administration_import_writes_one_entry_when_confirmed(cast):
    client = _client(cast.sysadmin)
    rows = [
        ["单位代码", "单位名称", "行政区划", "层级", "上级单位代码", "启用"],
        ["239901", "新设区司法局", "新设区", "县级司法局", "230100", "是"],
    ]
    since = _last_id()
    preview = admin_preview(client, "organizations_bureau", xlsx_bytes(rows), XLSX, "新.xlsx")
    assert _new_entries(since) == []  # the preview changes nothing and records nothing
    admin_confirm(client, "organizations_bureau", preview)
    entries = _new_entries(since)
    # The import as one act, and each row it wrote as the admin's change log records it.
    [entry] = [e for e in entries if e.action == AuditAction.ADMIN_IMPORT]
    assert [e.action for e in entries if e.action != AuditAction.ADMIN_IMPORT] == [
        AuditAction.ADMIN_ADD
    ]
    assert (entry.action, entry.actor, entry.outcome) == (
        AuditAction.ADMIN_IMPORT,
        cast.sysadmin,
        "ok",
    )
    assert entry.details == {
        "resource": "BureauResource",
        "model": "organizations.bureau",
        "file": "新.xlsx",
        "rows": 1,
        "totals": {"new": 1},
        "personal_data": False,
    }
    assert Bureau.objects.filter(code="239901").exists()
