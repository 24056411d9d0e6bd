"""Editing criteria in Excel and the admin until a cycle uses the version; then frozen."""

from decimal import Decimal

import pytest
from django.urls import reverse

from standards.models import CriteriaVersion, Indicator, Item
from standards.services import criteria_version_clone, criteria_version_freeze
from tests.excel import XLSX, admin_confirm, admin_export, admin_preview, read_xlsx, xlsx_bytes

pytestmark = pytest.mark.django_db

ITEM_HEADERS = (
    "标准版本", "部分", "编号", "顺序", "分组", "标题",
    "英文标题", "条文", "分值", "一票否决", "否决事项",
)  # fmt: skip


@pytest.fixture
def version() -> CriteriaVersion:
    return CriteriaVersion.objects.get(name="2017年试行版")


@pytest.fixture
def office_client(client, cast):
    client.force_login(cast.office)
    return client


def _rows_with(rows, code, **changes):
    header = rows[0]
    out = [list(header)]
    for row in rows[1:]:
        row = list(row)
        if row[header.index("编号")] == code:
            for column, value in changes.items():
                row[header.index(column)] = value
        out.append(row)
    return out


def test_items_export_with_chinese_headers(office_client):
    rows = read_xlsx(admin_export(office_client, "standards_item"))
    assert rows[0] == ITEM_HEADERS
    assert len(rows) == 1 + 59
    first = rows[1]
    assert first[:4] == ("2017年试行版", 1, "1.1", 1)
    assert first[5] == "领导班子坚强有力"
    assert first[9] == "否"


def test_items_round_trip_changes_points_and_veto(office_client, version):
    rows = read_xlsx(admin_export(office_client, "standards_item"))
    edited = _rows_with(rows, "5.6", **{"分值": 15, "一票否决": "是", "否决事项": "专职人员不足"})
    preview = admin_preview(office_client, "standards_item", xlsx_bytes(edited), XLSX, "i.xlsx")
    result = preview.context["result"]
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert result.totals["update"] == 1
    assert result.totals["skip"] == 58
    assert not Item.objects.get(section__version=version, code="5.6").is_veto  # preview only
    admin_confirm(office_client, "standards_item", preview)
    item = Item.objects.get(section__version=version, code="5.6")
    assert item.points == Decimal(15)
    assert item.is_veto
    assert item.veto_note == "专职人员不足"


def test_one_bad_item_row_writes_nothing(office_client, version):
    rows = read_xlsx(admin_export(office_client, "standards_item"))
    edited = _rows_with(rows, "1.1", **{"分值": 12})
    edited = _rows_with(edited, "1.2", **{"一票否决": "也许"})
    preview = admin_preview(office_client, "standards_item", xlsx_bytes(edited), XLSX, "i.xlsx")
    result = preview.context["result"]
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert result.invalid_rows[0].error_dict == {"is_veto": ["请填写“是”或“否”，不能填写“也许”。"]}
    assert "confirm_form" not in preview.context
    assert Item.objects.get(section__version=version, code="1.1").points == Decimal(10)


def test_indicator_threshold_edited_in_excel(office_client, version):
    rows = read_xlsx(admin_export(office_client, "standards_indicator"))
    header = list(rows[0])
    assert header[:4] == ["标准版本", "项目编号", "指标编号", "顺序"]
    edited = [header]
    for row in rows[1:]:
        row = list(row)
        if row[header.index("指标编号")] == "2.4.2-a":
            row[header.index("阈值")] = 75
        edited.append(row)
    preview = admin_preview(
        office_client, "standards_indicator", xlsx_bytes(edited), XLSX, "ind.xlsx"
    )
    assert not preview.context["result"].has_errors()
    assert not preview.context["result"].has_validation_errors()
    admin_confirm(office_client, "standards_indicator", preview)
    indicator = Indicator.objects.get(item__section__version=version, code="2.4.2-a")
    assert indicator.threshold == Decimal(75)
    assert indicator.operator == "gte"


def test_frozen_version_refuses_excel_import_with_a_message(office_client, version):
    criteria_version_freeze(version=version)
    rows = read_xlsx(admin_export(office_client, "standards_item"))
    edited = _rows_with(rows, "5.6", **{"分值": 15})
    preview = admin_preview(office_client, "standards_item", xlsx_bytes(edited), XLSX, "i.xlsx")
    result = preview.context["result"]
    assert result.has_validation_errors()
    assert len(result.invalid_rows) == 59
    assert "已冻结" in str(result.invalid_rows[0].error_dict)
    assert "confirm_form" not in preview.context
    assert Item.objects.get(section__version=version, code="5.6").points == Decimal(10)


def test_frozen_version_is_read_only_in_the_admin(office_client, version):
    item = Item.objects.get(section__version=version, code="5.6")
    url = reverse("admin:standards_item_change", args=[item.pk])
    assert office_client.get(url).status_code == 200
    criteria_version_freeze(version=version)
    page = office_client.get(url)
    assert page.status_code == 200
    assert 'name="points"' not in page.content.decode()  # shown, not editable
    response = office_client.post(url, {"points": "99", "title": "x", "text": "x", "code": "5.6"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.points == Decimal(10)


def test_freezing_keeps_the_first_date(version):
    first = criteria_version_freeze(version=version).frozen_at
    again = criteria_version_freeze(version=version).frozen_at
    assert first == again


def test_clone_of_a_frozen_version_is_editable_and_complete(office_client, version):
    criteria_version_freeze(version=version)
    clone = criteria_version_clone(version=version, name="2027年版", year=2027)
    assert clone.frozen_at is None
    assert clone.cloned_from == version
    assert Item.objects.filter(section__version=clone).count() == 59
    assert Indicator.objects.filter(item__section__version=clone).count() == 35
    assert Item.objects.filter(section__version=clone, is_veto=True).count() == 11
    owners = clone.sections.get(number=1).owners.count()
    assert owners == 3
    # The clone's items can be changed in the admin; the original's cannot.
    item = Item.objects.get(section__version=clone, code="5.6")
    page = office_client.get(reverse("admin:standards_item_change", args=[item.pk]))
    assert 'name="points"' in page.content.decode()


def test_county_users_cannot_reach_the_criteria_admin(client, cast):
    client.force_login(cast.county_a_head)
    response = client.get(reverse("admin:standards_item_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
