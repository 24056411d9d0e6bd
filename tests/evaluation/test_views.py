"""The province's pages: score sheets, conflicts over HTTP, assignment page, Excel files."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState
from applications.services import application_create
from core.actors import SystemActor
from evaluation.models import ItemScore
from evaluation.written_review import evaluator_assign, score_sheets_ensure, sheet_save
from organizations.models import Bureau
from tests.states import actor as _actor
from tests.states import reach

from .test_written_review import _score_everything

FORWARDED = ApplicationState.FORWARDED


def actor_for(county):
    return _actor("county_head", bureau=county)


pytestmark = pytest.mark.django_db


@pytest.fixture
def forwarded(complete_application):
    return reach(complete_application, ApplicationState.FORWARDED)


def _forwarded_in(cycle, count):
    """``count`` Harbin counties' applications, forwarded through the services."""
    counties = Bureau.objects.filter(parent__code="230100").order_by("code")[:count]
    return [
        reach(application_create(cycle=cycle, county=county, by=actor_for(county)), FORWARDED)
        for county in counties
    ]


def _sheet(application, number):
    return next(
        s for s in score_sheets_ensure(application=application) if s.section.number == number
    )


def test_evaluator_scores_an_assigned_section_and_signs(client, cast, forwarded):
    sheet = _sheet(forwarded, 5)
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    client.force_login(cast.evaluator_publicity)
    url = reverse("evaluation:sheet", args=[sheet.pk])
    page = client.get(url).content.decode()
    assert "5.1" in page
    assert "result-met" in page  # the county's figures with the check beside them
    data = {"version": sheet.version, "sign": "1"}
    data.update({f"rating_{item.pk}": "met" for item in sheet.section.items.all()})
    response = client.post(url, data)
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.signed_by == cast.evaluator_publicity
    assert ItemScore.objects.filter(sheet=sheet, rating="met").count() == 8
    # The evaluator now sees the application, and only that one.
    assert client.get(reverse("applications:detail", args=[forwarded.pk])).status_code == 200


def test_second_save_on_an_old_version_gets_409_with_the_others_values(client, cast, forwarded):
    from organizations.models import Division
    from organizations.services import membership_grant

    sheet = _sheet(forwarded, 5)
    membership_grant(
        user=cast.nobody,
        role="evaluator",
        division=Division.objects.get(code="legal_publicity"),
        by=SystemActor.LOADER,
    )
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    evaluator_assign(sheet=sheet, evaluator=cast.nobody, by=cast.office)
    item = sheet.section.items.first()
    url = reverse("evaluation:sheet", args=[sheet.pk])
    version = sheet.version
    client.force_login(cast.evaluator_publicity)
    client.post(
        url, {"version": version, f"rating_{item.pk}": "met", f"comment_{item.pk}": "台账齐全"}
    )
    client.force_login(cast.nobody)
    response = client.post(url, {"version": version, f"rating_{item.pk}": "not_met"})
    assert response.status_code == 409
    assert "台账齐全" in response.content.decode()
    assert ItemScore.objects.get(item=item).rating == "met"


def test_evaluator_cannot_open_another_divisions_section_or_unassigned_application(
    client, cast, forwarded
):
    evaluator_assign(sheet=_sheet(forwarded, 5), evaluator=cast.evaluator_publicity, by=cast.office)
    client.force_login(cast.evaluator_publicity)
    assert (
        client.get(reverse("evaluation:sheet", args=[_sheet(forwarded, 2).pk])).status_code == 404
    )
    other = application_create(
        cycle=forwarded.cycle, county=Bureau.objects.get(code="230202"), by=cast.county_b_head
    )
    reach(other, ApplicationState.FORWARDED)
    assert client.get(reverse("applications:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("evaluation:sheet", args=[_sheet(other, 5).pk])).status_code == 404
    assert client.get(reverse("evaluation:assignments")).status_code == 403


@pytest.mark.parametrize("count", [1, 4])
def test_assignment_page_query_count_is_literal(
    client, cast, cycle, count, django_assert_num_queries
):
    for application in _forwarded_in(cycle, count):
        evaluator_assign(
            sheet=_sheet(application, 5), evaluator=cast.evaluator_publicity, by=cast.office
        )
    client.force_login(cast.office)
    with django_assert_num_queries(ASSIGNMENT_QUERIES):
        body = client.get(reverse("evaluation:assignments")).content.decode()
    assert body.count(cast.evaluator_publicity.full_name) >= count


# With the device of the session's second factor, the filter's cities and the page's total.
ASSIGNMENT_QUERIES = 18


def test_ranking_and_summary_table_in_excel(client, cast, forwarded):
    from openpyxl import load_workbook

    Bureau.objects.filter(code="230102").update(name='=HYPERLINK("http://x")')
    _score_everything(forwarded, cast)
    client.force_login(cast.office)
    page = client.get(reverse("evaluation:ranking")).content.decode()
    assert "100.00" in page
    response = client.get(reverse("evaluation:ranking_xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["汇总表"]
    assert sheet["A1"].value.endswith("书面审查汇总表")
    assert "A1:P1" in [str(r) for r in sheet.merged_cells.ranges]
    assert sheet["A2"].value == "排名"
    assert sheet["D2"].value == "各部分得分"
    assert sheet["D3"].value == "1.综合工作"
    assert sheet.freeze_panes == "D4"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet["A4"].value == 1
    assert sheet["B4"].value == '=HYPERLINK("http://x")'
    assert sheet["B4"].data_type == "s"  # text, not a formula
    assert sheet["K4"].value == 590
    assert (sheet["L4"].value, sheet["L4"].number_format) == (1, "0.00%")
    assert sheet["N4"].value == "合格"


def test_application_score_sheets_in_excel(client, cast, forwarded):
    from openpyxl import load_workbook

    _score_everything(forwarded, cast)
    ItemScore.objects.filter(item__code="5.6").update(comment="-1+1 专职人员两名")
    client.force_login(cast.office)
    response = client.get(reverse("evaluation:application_xlsx", args=[forwarded.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [f"第{n}部分" for n in range(1, 8)]
    sheet = workbook["第5部分"]
    assert [c.value for c in sheet[2]] == [
        "编号",
        "考评项目",
        "评分",
        "得分",
        "一票否决",
        "评审意见",
    ]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "5.6")
    assert row[2].value == "达标"
    assert row[3].value == 10
    assert row[5].value == "-1+1 专职人员两名"
    assert row[5].data_type == "s"


RANKING_QUERIES = 12  # with the device of the session's second factor


@pytest.mark.parametrize("count", [1, 4])
def test_ranking_query_count_is_literal(client, cast, cycle, count, django_assert_num_queries):
    for application in _forwarded_in(cycle, count):
        sheet = _sheet(application, 5)
        evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
        ratings = {item.pk: ("met", False, "") for item in sheet.section.items.all()}
        sheet_save(sheet=sheet, by=cast.evaluator_publicity, version=sheet.version, ratings=ratings)
    client.force_login(cast.office)
    with django_assert_num_queries(RANKING_QUERIES):
        body = client.get(reverse("evaluation:ranking")).content.decode()
    assert body.count(">80</td>") == count * 2  # section 5 and the total of each row


def _events(application):
    return list(application.events.values_list("action", flat=True))


@pytest.mark.parametrize("decision", ["", "passed", "PASS", "fail ", "1"])
def test_a_written_result_decision_that_is_not_a_choice_records_nothing(
    client, cast, forwarded, decision
):
    _score_everything(forwarded, cast)
    events = _events(forwarded)
    client.force_login(cast.office)
    url = reverse("evaluation:result", args=[forwarded.pk])
    response = client.post(url, {"decision": decision, "note": "我写的理由"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请选择合格或不合格。" in page
    assert "我写的理由" in page  # what the office typed is kept
    forwarded.refresh_from_db()
    assert forwarded.state == ApplicationState.FORWARDED
    assert _events(forwarded) == events


def test_a_written_failure_needs_reasons_and_keeps_the_state(client, cast, forwarded):
    _score_everything(forwarded, cast)
    client.force_login(cast.office)
    url = reverse("evaluation:result", args=[forwarded.pk])
    response = client.post(url, {"decision": "fail", "note": " "})
    assert response.status_code == 400
    assert "请填写理由" in response.content.decode()
    forwarded.refresh_from_db()
    assert forwarded.state == ApplicationState.FORWARDED
    response = client.post(url, {"decision": "fail", "note": "台账不全"})
    assert response.status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.state == ApplicationState.WRITTEN_FAILED
    assert forwarded.events.last().note == "台账不全"


@pytest.mark.parametrize("version", ["", "abc", "-1", "1.5"])
def test_a_sheet_version_that_does_not_parse_answers_the_form_again(
    client, cast, forwarded, version
):
    sheet = _sheet(forwarded, 5)
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    item = sheet.section.items.order_by("order").first()
    client.force_login(cast.evaluator_publicity)
    response = client.post(
        reverse("evaluation:sheet", args=[sheet.pk]),
        {"version": version, f"rating_{item.pk}": "met", f"comment_{item.pk}": "台账齐全可查"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "页面已过期" in page
    assert "台账齐全可查" in page
    sheet.refresh_from_db()
    assert sheet.version == 0
    assert not ItemScore.objects.filter(sheet=sheet).exists()


def test_a_rating_that_is_not_a_choice_saves_nothing(client, cast, forwarded):
    sheet = _sheet(forwarded, 5)
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    items = list(sheet.section.items.order_by("order"))
    client.force_login(cast.evaluator_publicity)
    response = client.post(
        reverse("evaluation:sheet", args=[sheet.pk]),
        {"version": 0, f"rating_{items[0].pk}": "met", f"rating_{items[1].pk}": "excellent"},
    )
    assert response.status_code == 400
    assert "请选择达标、部分达标或未达标。" in response.content.decode()
    assert not ItemScore.objects.filter(sheet=sheet).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"bulk": "1", "section": "9", "division": "1"},
        {"bulk": "1", "section": "x", "division": "1"},
        {"bulk": "1", "section": "5", "division": "999999"},
        {"sheet": "999999", "evaluator": "1"},
        {"sheet": "", "evaluator": ""},
    ],
)
def test_an_assignment_that_does_not_parse_assigns_nothing(client, cast, forwarded, data):
    from evaluation.models import Assignment

    _sheet(forwarded, 5)
    client.force_login(cast.office)
    response = client.post(reverse("evaluation:assignments"), data)
    assert response.status_code == 400
    assert 'class="invalid-feedback"' in response.content.decode()
    assert not Assignment.objects.exists()


def test_an_assignment_outside_the_owning_division_is_refused_with_the_reason(
    client, cast, forwarded
):
    from guardian.models import UserObjectPermission

    from evaluation.models import Assignment

    sheet = _sheet(forwarded, 2)  # owned by the grassroots division
    client.force_login(cast.office)
    response = client.post(
        reverse("evaluation:assignments"),
        {"sheet": sheet.pk, "evaluator": cast.evaluator_publicity.pk},
    )
    assert response.status_code == 400
    assert "2" in response.content.decode()
    assert not Assignment.objects.exists()
    assert not UserObjectPermission.objects.exists()
    response = client.post(
        reverse("evaluation:assignments"),
        {"sheet": sheet.pk, "evaluator": cast.evaluator_grassroots.pk},
    )
    assert response.status_code == 302
    assert Assignment.objects.get().evaluator == cast.evaluator_grassroots


MY_SHEETS_QUERIES = 9  # with the device of the session's second factor
CALENDAR_QUERIES = 13  # with the device of the session's second factor


@pytest.mark.parametrize("count", [1, 4])
def test_my_sheets_query_count_is_literal(client, cast, cycle, count, django_assert_num_queries):
    for application in _forwarded_in(cycle, count):
        evaluator_assign(
            sheet=_sheet(application, 5), evaluator=cast.evaluator_publicity, by=cast.office
        )
    client.force_login(cast.evaluator_publicity)
    url = reverse("evaluation:my_sheets")
    client.get(url)  # the content type cache warm, as in a running server
    with django_assert_num_queries(MY_SHEETS_QUERIES):
        body = client.get(url).content.decode()
    assert body.count("/review/province/sheets/") >= count


def test_my_sheets_show_the_latest_cycle_and_older_ones_by_the_filter(client, cast, cycle):
    from applications.services import cycle_create

    (application,) = _forwarded_in(cycle, 1)
    sheet = _sheet(application, 5)
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    url = reverse("evaluation:my_sheets")
    client.force_login(cast.evaluator_publicity)
    detail = reverse("evaluation:sheet", args=[sheet.pk])
    assert detail in client.get(url).content.decode()
    cycle_create(
        year=cycle.year + 1,
        criteria_version=cycle.criteria_version,
        city_deadline=cycle.city_deadline + timezone.timedelta(days=365),
        parameters={"legal_aid_provincial_average": "120"},
        by=SystemActor.LOADER,
    )
    # A newer cycle is the default now: this year's sheet is behind the filter.
    assert detail not in client.get(url).content.decode()
    older = client.get(url, {"cycle": cycle.pk})
    assert older.status_code == 200
    assert detail in older.content.decode()


@pytest.mark.parametrize("value", ["abc", "999999"])
def test_my_sheets_refuse_a_bad_filter(client, cast, forwarded, value):
    sheet = _sheet(forwarded, 5)
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    client.force_login(cast.evaluator_publicity)
    response = client.get(reverse("evaluation:my_sheets"), {"cycle": value})
    assert response.status_code == 400
    body = response.content.decode()
    assert "invalid-feedback" in body
    assert reverse("evaluation:sheet", args=[sheet.pk]) not in body


@pytest.mark.parametrize("count", [1, 3])
def test_inspection_calendar_query_count_is_literal(
    client, cast, cycle, count, django_assert_num_queries
):
    from datetime import date

    from evaluation.inspections import inspection_schedule

    counties = Bureau.objects.filter(parent__code="230100").order_by("code")[:count]
    for index, county in enumerate(counties):
        application = reach(
            application_create(cycle=cycle, county=county, by=actor_for(county)),
            ApplicationState.WRITTEN_PASSED,
        )
        inspection_schedule(
            application=application,
            visit_date=date(2026, 12, 10 + index),
            team=[cast.evaluator_publicity, cast.evaluator_grassroots],
            itinerary="",
            by=cast.office,
        )
    client.force_login(cast.office)
    with django_assert_num_queries(CALENDAR_QUERIES):
        body = client.get(reverse("evaluation:inspections"), {"month": "2026-12"}).content.decode()
    assert body.count(cast.evaluator_grassroots.full_name) >= count


def test_my_sheets_are_searched_by_bureau_name_or_code(client, cast, cycle):
    first, second = _forwarded_in(cycle, 2)
    sheets = [_sheet(a, 5) for a in (first, second)]
    for sheet in sheets:
        evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    client.force_login(cast.evaluator_publicity)
    url = reverse("evaluation:my_sheets")
    links = [reverse("evaluation:sheet", args=[s.pk]) for s in sheets]
    by_name = client.get(url, {"q": second.county.name[:-3]}).content.decode()
    assert links[1] in by_name
    assert links[0] not in by_name
    by_code = client.get(url, {"q": first.county.code}).content.decode()
    assert links[0] in by_code
    assert links[1] not in by_code
    nothing = client.get(url, {"q": "不存在的县"}).content.decode()
    assert links[0] not in nothing
    assert links[1] not in nothing


def _history_rows(body: str) -> int:
    return body.count('<li class="border-start border-3 ps-2 mb-2">')


def test_the_sheet_result_and_inspection_pages_show_the_application_history(
    client, cast, forwarded
):
    events = forwarded.events.count()
    sheet = _sheet(forwarded, 5)
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    client.force_login(cast.evaluator_publicity)
    assert (
        _history_rows(client.get(reverse("evaluation:sheet", args=[sheet.pk])).content.decode())
        == events
    )
    client.force_login(cast.office)
    body = client.get(reverse("evaluation:result", args=[forwarded.pk])).content.decode()
    assert _history_rows(body) == events
    assert cast.city_a_head.full_name in body  # who forwarded it
    county = Bureau.objects.filter(parent__code="230100").exclude(pk=forwarded.county_id).first()
    inspected = reach(
        application_create(cycle=forwarded.cycle, county=county, by=actor_for(county)),
        ApplicationState.INSPECTED_PASSED,
    )
    body = client.get(
        reverse("evaluation:inspection", args=[inspected.inspection.pk])
    ).content.decode()
    assert _history_rows(body) == inspected.events.count() > events
