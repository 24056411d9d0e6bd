"""Every workbook and CSV file the portal writes, read back with hostile text planted in it.

A bureau name, a person's name, a criterion's title, a reviewer's comment or an audit entry
that begins with =, +, -, @, a tab or a carriage return must come back as the text typed:
of the string type in XLSX (never a formula), behind an apostrophe in CSV.
"""

import csv
import io
from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin

from applications.enums import ApplicationState
from audit.enums import AuditAction
from audit.services import audit_record
from core.actors import SystemActor
from core.cells import FORMULA_STARTS
from evaluation.models import ItemScore
from organizations.enums import Role
from organizations.models import Bureau, User
from organizations.services import membership_grant
from standards.models import Indicator, Item
from tests.clients import PortalClient
from tests.designations.factories import registered
from tests.evaluation.test_written_review import _score_everything
from tests.excel import CSV, XLSX, admin_export
from tests.factories import UserFactory
from tests.states import reach

pytestmark = pytest.mark.django_db

BUREAU = '=HYPERLINK("http://x","y")'
PERSON = "@SUM(1)"
USERNAME = "-2+3"
ITEM = "+1+1 项目"
INDICATOR = "\t=1 指标"
COMMENT = "\r=1+1 专职人员两名"


def _cells(content: bytes):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def _assert_xlsx_text_safe(content: bytes, *planted: str) -> None:
    cells = _cells(content)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            assert (cell.data_type, cell.quotePrefix) == ("s", True), cell.coordinate
    values = {c.value for c in cells}
    for value in planted:
        # A bare carriage return reads back as itself (lxml) or as a line feed (the standard
        # library's parser normalises line ends); either way it is the same text, not a formula.
        assert value in values or value.replace("\r", "\n") in values, value


def _assert_csv_text_safe(content: bytes, *planted: str) -> None:
    fields = [f for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for f in row]
    assert [f for f in fields if f.startswith(FORMULA_STARTS)] == []
    for value in planted:
        assert "'" + value in fields, value


@pytest.fixture
def hostile(cast):
    """Hostile text in every table an administration page exports."""
    Bureau.objects.filter(code="230102").update(name=BUREAU)
    User.objects.filter(pk=cast.office.pk).update(full_name=PERSON)
    user = UserFactory(username=USERNAME, full_name=PERSON)
    membership_grant(
        user=user,
        role=Role.COUNTY_APPLICANT,
        bureau=Bureau.objects.get(code="230103"),
        by=SystemActor.LOADER,
    )
    Item.objects.filter(code="1.1").update(title=ITEM)
    Indicator.objects.filter(code="2.4.2-a").update(name=INDICATOR)


# What each administration page's export must show of the planted text.
ADMIN_PLANTED = {
    "organizations_bureau": [BUREAU],
    "organizations_user": [USERNAME, PERSON],
    "organizations_membership": [USERNAME],
    "standards_item": [ITEM],
    "standards_indicator": [INDICATOR],
}


def test_every_administration_export_is_in_the_list():
    exporting = {
        f"{model._meta.app_label}_{model._meta.model_name}"
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ExportMixin)
    }
    assert exporting == set(ADMIN_PLANTED)


@pytest.mark.parametrize("name", sorted(ADMIN_PLANTED))
def test_administration_exports_keep_formulas_out(name, hostile, cast):
    client = PortalClient()
    client.force_login(cast.sysadmin if name.startswith("organizations") else cast.office)
    _assert_xlsx_text_safe(admin_export(client, name, XLSX), *ADMIN_PLANTED[name])
    _assert_csv_text_safe(admin_export(client, name, CSV), *ADMIN_PLANTED[name])


def test_administration_xlsx_keeps_numbers_and_ids_typed(hostile, cast):
    client = PortalClient()
    client.force_login(cast.office)
    cells = _cells(admin_export(client, "standards_item", XLSX))
    header = [c.value for c in cells[: [c.row for c in cells].count(1)]]
    points = cells[header.index("分值") + len(header)]
    assert (points.value, points.data_type) == (10, "n")


def test_the_summary_table_and_score_sheets_keep_formulas_out(client, cast, complete_application):
    Bureau.objects.filter(code="230102").update(name=BUREAU)
    forwarded = reach(complete_application, ApplicationState.FORWARDED)
    _score_everything(forwarded, cast)
    ItemScore.objects.filter(item__code="5.6").update(comment=COMMENT)
    client.force_login(cast.office)
    _assert_xlsx_text_safe(client.get(reverse("evaluation:ranking_xlsx")).content, BUREAU)
    sheets = client.get(reverse("evaluation:application_xlsx", args=[forwarded.pk])).content
    _assert_xlsx_text_safe(sheets, COMMENT)


def test_the_public_list_keeps_formulas_out(client, cast):
    registered(cast.office, "230102", "黑司示〔2023〕1号", date(2023, 1, 10), "+黑司通〔2023〕18号")
    Bureau.objects.filter(code="230102").update(name=BUREAU)
    # The rename bypasses the services, so the cached workbook's version does not change.
    from django.core.cache import cache

    cache.clear()
    content = client.get(reverse("public_xlsx")).content
    _assert_xlsx_text_safe(content, BUREAU, "+黑司通〔2023〕18号")


def test_the_audit_export_keeps_formulas_out(client, cast):
    auditor = UserFactory(username="auditor")
    membership_grant(user=auditor, role=Role.AUDIT_ADMIN, by=SystemActor.LOADER)
    audit_record(action=AuditAction.CYCLE_CLOSE, actor=cast.office, details={"note": PERSON})
    audit_record(action=AuditAction.AUTH_LOGIN_FAIL, actor_name=BUREAU)
    audit_record(action=AuditAction.AUTH_LOGIN_FAIL, actor_name="-1+1")
    client.force_login(auditor)
    _assert_xlsx_text_safe(client.get(reverse("audit:trail_xlsx")).content, BUREAU, "-1+1")
