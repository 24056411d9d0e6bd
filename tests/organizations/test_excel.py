"""Bureaus and users in Excel: Chinese headers, IDs as text, GBK CSV, preview, all-or-nothing."""

import pytest

from organizations.enums import Role
from organizations.models import Bureau, Membership, User
from tests.excel import (
    CSV,
    XLSX,
    admin_confirm,
    admin_export,
    admin_preview,
    read_xlsx,
    read_xlsx_cells,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

BUREAU_HEADERS = [
    "单位代码", "单位名称", "行政区划", "层级", "上级单位代码",
    "统一社会信用代码", "地址", "列入GB/T 2260", "启用",
]  # fmt: skip


@pytest.fixture
def admin_client_(client, cast, password):
    client.force_login(cast.sysadmin)
    return client


@pytest.fixture
def security_client_(client, cast):
    # Role memberships are the security administrator's (三员分立).
    client.force_login(cast.secadmin)
    return client


def test_export_has_chinese_headers_and_ids_as_text(admin_client_):
    Bureau.objects.filter(code="230102").update(credit_code="112301000000000001")
    rows = read_xlsx(admin_export(admin_client_, "organizations_bureau"))
    assert list(rows[0]) == BUREAU_HEADERS
    assert len(rows) == 1 + 135
    daoli = next(r for r in rows if r[0] == "230102")
    assert daoli == (
        "230102", "哈尔滨市道里区司法局", "道里区", "县级司法局", "230100",
        "112301000000000001", None, "是", "是",
    )  # fmt: skip


def test_xlsx_import_preview_then_confirm_adds_a_bureau(admin_client_):
    content = xlsx_bytes(
        [
            BUREAU_HEADERS,
            # A 6-digit code in a number cell is exact; the credit code is in a text cell.
            [
                "230199",
                "哈尔滨新区司法局",
                "哈尔滨新区",
                "县级司法局",
                230100,
                "112301000000000099",
                "哈尔滨市松北区",
                "否",
                "是",
            ],
        ]
    )
    preview = admin_preview(admin_client_, "organizations_bureau", content, XLSX, "bureaus.xlsx")
    assert preview.status_code == 200
    assert not preview.context["result"].has_errors()
    assert not Bureau.objects.filter(code="230199").exists()  # the preview writes nothing

    admin_confirm(admin_client_, "organizations_bureau", preview)
    bureau = Bureau.objects.get(code="230199")
    assert bureau.credit_code == "112301000000000099"
    assert bureau.parent.code == "230100"
    assert bureau.in_gbt2260 is False


def test_exported_workbook_imports_back_unchanged_with_ids_intact(admin_client_):
    Bureau.objects.filter(code="230102").update(credit_code="112301000000000001")
    content = admin_export(admin_client_, "organizations_bureau")
    sheet = read_xlsx_cells(content)
    credit_cells = [row[5] for row in sheet.iter_rows(min_row=2) if row[0].value == "230102"]
    assert credit_cells[0].data_type == "s"  # a text cell: Excel will not turn it into 1.12E+17

    preview = admin_preview(admin_client_, "organizations_bureau", content, XLSX, "b.xlsx")
    result = preview.context["result"]
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert result.totals["skip"] == 135
    admin_confirm(admin_client_, "organizations_bureau", preview)
    assert Bureau.objects.get(code="230102").credit_code == "112301000000000001"


def test_credit_code_that_excel_turned_into_scientific_notation_is_refused(admin_client_):
    content = xlsx_bytes(
        [
            BUREAU_HEADERS,
            [
                "230199",
                "哈尔滨新区司法局",
                "哈尔滨新区",
                "县级司法局",
                "230100",
                1.12301e17,
                "",
                "否",
                "是",
            ],
        ]
    )
    preview = admin_preview(admin_client_, "organizations_bureau", content, XLSX, "bureaus.xlsx")
    result = preview.context["result"]
    assert result.has_validation_errors()
    assert "文本" in str(result.invalid_rows[0].error_dict)
    assert "confirm_form" not in preview.context
    assert not Bureau.objects.filter(code="230199").exists()


def test_gbk_csv_from_chinese_excel_is_accepted(admin_client_):
    text = (
        ",".join(BUREAU_HEADERS)
        + "\r\n230102,哈尔滨市道里区司法局,道里区,县级司法局,230100,112301000000000001,"
        "哈尔滨市道里区安静街1号,是,是\r\n"
    )
    preview = admin_preview(
        admin_client_, "organizations_bureau", text.encode("gbk"), CSV, "单位.csv"
    )
    assert not preview.context["result"].has_errors()
    assert not preview.context["result"].has_validation_errors()
    admin_confirm(admin_client_, "organizations_bureau", preview)
    daoli = Bureau.objects.get(code="230102")
    assert daoli.address == "哈尔滨市道里区安静街1号"
    assert daoli.credit_code == "112301000000000001"


def test_one_bad_row_writes_nothing(admin_client_):
    content = xlsx_bytes(
        [
            BUREAU_HEADERS,
            ["230198", "甲开发区司法局", "甲开发区", "县级司法局", "230100", "", "", "否", "是"],
            # A county under the province: refused.
            ["230197", "乙开发区司法局", "乙开发区", "县级司法局", "230000", "", "", "否", "是"],
            [
                "230102",
                "哈尔滨市道里区司法局",
                "道里区",
                "县级司法局",
                "230100",
                "",
                "改了地址",
                "是",
                "是",
            ],
        ]
    )
    preview = admin_preview(admin_client_, "organizations_bureau", content, XLSX, "b.xlsx")
    result = preview.context["result"]
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert "confirm_form" not in preview.context
    assert not Bureau.objects.filter(code__in=["230198", "230197"]).exists()
    assert Bureau.objects.get(code="230102").address == ""


def test_user_import_keeps_phone_numbers_as_text(admin_client_):
    content = xlsx_bytes(
        [
            ["用户名", "姓名", "手机号码", "电子邮箱", "启用"],
            ["xinyonghu", "新用户（演示）", 13800000000, "x@demo.invalid", "是"],
        ]
    )
    preview = admin_preview(admin_client_, "organizations_user", content, XLSX, "users.xlsx")
    assert not preview.context["result"].has_errors()
    admin_confirm(admin_client_, "organizations_user", preview)
    user = User.objects.get(username="xinyonghu")
    assert user.phone == "13800000000"
    assert not user.has_usable_password()


def test_membership_import_grants_roles_through_the_service(security_client_, cast):
    admin_client_ = security_client_
    content = xlsx_bytes(
        [
            ["用户名", "角色", "单位代码", "处室代码"],
            [cast.nobody.username, "领导小组办公室", "230000", ""],
            [cast.nobody.username, "考评组成员", "", "notary"],
        ]
    )
    preview = admin_preview(admin_client_, "organizations_membership", content, XLSX, "m.xlsx")
    assert not preview.context["result"].has_errors()
    assert not preview.context["result"].has_validation_errors()
    admin_confirm(admin_client_, "organizations_membership", preview)
    roles = set(Membership.objects.filter(user=cast.nobody).values_list("role", flat=True))
    assert roles == {Role.CAMPAIGN_OFFICE, Role.EVALUATOR}
    cast.nobody.refresh_from_db()
    assert cast.nobody.is_staff


def test_membership_import_refuses_a_role_in_the_wrong_bureau(security_client_, cast):
    admin_client_ = security_client_
    content = xlsx_bytes(
        [
            ["用户名", "角色", "单位代码", "处室代码"],
            [cast.nobody.username, "市级初审员", "230102", ""],
        ]
    )
    preview = admin_preview(admin_client_, "organizations_membership", content, XLSX, "m.xlsx")
    assert preview.context["result"].has_validation_errors()
    assert not Membership.objects.filter(user=cast.nobody).exists()


def test_office_cannot_import_bureaus(client, cast, password):
    client.force_login(cast.office)
    preview = admin_preview(client, "organizations_bureau", b"", XLSX, "b.xlsx")
    assert preview.status_code == 403


def test_the_system_administrator_cannot_import_role_memberships(admin_client_, cast):
    preview = admin_preview(admin_client_, "organizations_membership", b"", XLSX, "m.xlsx")
    assert preview.status_code == 403
    assert not Membership.objects.filter(user=cast.nobody).exists()
