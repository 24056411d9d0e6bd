"""The 汇总表 and the score-sheet workbook, read back with openpyxl."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState
from applications.services import application_create
from core.cells import DATE_FORMAT, HEADER, RATE
from evaluation.written_review import score_sheets_ensure
from organizations.models import Bureau
from tests.states import actor, reach

from .test_written_review import _score_everything

pytestmark = pytest.mark.django_db


def _workbook(content: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))


def _reached(cycle, codes_and_states):
    return [
        reach(
            application_create(
                cycle=cycle,
                county=Bureau.objects.get(code=code),
                by=actor("county_head", bureau=Bureau.objects.get(code=code)),
            ),
            state,
        )
        for code, state in codes_and_states
    ]


@pytest.fixture
def summary(client, cast, cycle):
    """道里 approved, 南岗 inspected and failed, 道外 written passed, 香坊 still being scored."""
    *_, being_scored = _reached(
        cycle,
        [
            ("230102", ApplicationState.APPROVED),
            ("230103", ApplicationState.INSPECTED_FAILED),
            ("230104", ApplicationState.WRITTEN_PASSED),
            ("230110", ApplicationState.FORWARDED),
        ],
    )
    # Its sheets exist (the office opened them), none is signed.
    score_sheets_ensure(application=being_scored)
    client.force_login(cast.office)
    return _workbook(client.get(reverse("evaluation:ranking_xlsx")).content)["汇总表"]


def test_summary_rate_is_a_number_shown_as_a_percentage(summary):
    rate = summary["L4"]
    assert summary["L2"].value == "得分率"
    assert rate.data_type == "n"
    assert rate.value == 1
    assert rate.number_format == "0.00%"
    assert rate.style == RATE


def test_summary_ranks_complete_results_and_marks_the_one_being_scored(summary):
    rows = list(summary.iter_rows(min_row=4, max_row=7))
    ranks = [row[0].value for row in rows]
    conclusions = [row[13].value for row in rows]
    assert ranks == [1, 2, 3, None]
    assert conclusions == ["合格", "合格", "合格", "评分中"]
    assert rows[3][1].value == Bureau.objects.get(code="230110").name


def test_summary_shows_the_visit_and_the_decision(summary):
    names = {b.code: b.name for b in Bureau.objects.filter(parent__code="230100")}
    by_county = {row[1].value: (row[14].value, row[15].value) for row in summary.iter_rows(4, 7)}
    assert summary["O2"].value == "实地考核结果"
    assert summary["P2"].value == "厅党委审议"
    assert by_county == {
        names["230102"]: ("通过", "批准"),
        names["230103"]: ("未通过", "—"),
        names["230104"]: ("未安排", "—"),
        names["230110"]: ("未安排", "—"),
    }


def test_summary_foot_names_the_issuer_and_the_date(summary):
    today = timezone.localdate()
    assert summary["A9"].value == f"制表单位：{settings.DOCUMENT_ISSUER}"
    assert summary["A10"].value == f"制表日期：{today.year}年{today.month}月{today.day}日"
    assert "A9:D9" in [str(r) for r in summary.merged_cells.ranges]


def test_summary_layout_and_print_setup(summary):
    merged = {str(r) for r in summary.merged_cells.ranges}
    assert {"A1:P1", "A2:A3", "D2:J2", "P2:P3"} <= merged
    assert summary.freeze_panes == "D4"
    assert summary.page_setup.orientation == "landscape"
    assert str(summary.page_setup.paperSize) == summary.PAPERSIZE_A4
    assert summary.print_title_rows == "$2:$3"
    assert summary.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert summary["A2"].style == HEADER
    assert summary["A2"].font.bold


def _many(cycle, count):
    counties = Bureau.objects.filter(parent__code="230100").order_by("code")[:count]
    return _reached(cycle, [(c.code, ApplicationState.INSPECTED_PASSED) for c in counties])


SUMMARY_QUERIES = 18  # the ranking page's, the sections, the audit entry and its download row


@pytest.mark.parametrize("count", [1, 4])
def test_summary_query_count_is_literal(client, cast, cycle, count, django_assert_num_queries):
    _many(cycle, count)
    client.force_login(cast.office)
    with django_assert_num_queries(SUMMARY_QUERIES):
        content = client.get(reverse("evaluation:ranking_xlsx")).content
    assert [r[14].value for r in _workbook(content)["汇总表"].iter_rows(4, 3 + count)] == [
        "通过"
    ] * count


def test_score_sheet_names_the_evaluator_with_a_line_to_sign_and_the_date(
    client, cast, complete_application
):
    forwarded = reach(complete_application, ApplicationState.FORWARDED)
    _score_everything(forwarded, cast)
    client.force_login(cast.office)
    content = client.get(reverse("evaluation:application_xlsx", args=[forwarded.pk])).content
    sheet = _workbook(content)["第5部分"]
    total = next(r[0].row for r in sheet.iter_rows(min_row=3) if r[1].value == "合计")
    assert [sheet.cell(total + n, 1).value for n in (2, 3, 4)] == ["评审人：", "签名：", "日期："]
    assert sheet.cell(total + 2, 2).value == cast.evaluator_publicity.get_full_name()
    assert sheet.cell(total + 3, 2).value is None
    assert sheet.cell(total + 3, 2).border.bottom.style == "thin"
    signed = sheet.cell(total + 4, 2)
    assert signed.is_date
    assert signed.value.date() == timezone.localdate()
    assert signed.number_format == DATE_FORMAT
    assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert sheet["A2"].style == HEADER


def test_score_sheet_before_signing_leaves_the_date_blank(client, cast, complete_application):
    forwarded = reach(complete_application, ApplicationState.FORWARDED)
    client.force_login(cast.office)
    content = client.get(reverse("evaluation:application_xlsx", args=[forwarded.pk])).content
    sheet = _workbook(content)["第1部分"]
    labels = {r[0].value: r[1].value for r in sheet.iter_rows(min_row=3) if r[0].value}
    assert labels["评审人："] is None or labels["评审人："] == ""
    assert labels["日期："] is None
