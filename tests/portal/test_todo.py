"""The to-do list of each role: the counts, their links, and their cost in queries."""

import datetime
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.completeness import completeness_of
from applications.enums import ApplicationState as S
from applications.services import application_create
from designations.jobs import reinspection_jobs
from designations.services import designation_record_historical
from evaluation.written_review import evaluator_assign, score_sheets_ensure, sheet_save
from organizations.enums import Role
from organizations.models import Bureau
from review.models import ForwardingBatch
from review.services import forwarding_scan_add
from tests.applications.files import PDF
from tests.reinspections.factories import round_rectify
from tests.states import actor, office, reach, score_all

pytestmark = pytest.mark.django_db

HARBIN_COUNTIES = ["230104", "230108", "230109", "230110", "230111"]


def todos(body: str) -> dict[str, tuple[str, str]]:
    """The to-do entries on a page: label → (the count as shown, its link)."""
    return {
        label: (count, url)
        for url, label, count in re.findall(
            r'<a href="([^"]+)" class="todo-link">([^<]+)</a>\s*'
            r'<span class="badge[^"]*" data-count="[-\d]+">([^<]+)</span>',
            body,
        )
    }


def counts(client, user) -> dict[str, str]:
    client.force_login(user)
    return {label: count for label, (count, _url) in todos(home(client)).items()}


def home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def badge(client, user) -> int:
    client.force_login(user)
    body = client.get(reverse("todo_badge")).content.decode()
    return int(re.search(r'data-count="(\d+)"', body).group(1))


def applications_of(cycle, codes) -> list:
    """The counties' applications, each created by its own head."""
    counties = [Bureau.objects.get(code=code) for code in codes]
    return [
        application_create(cycle=cycle, county=county, by=actor(Role.COUNTY_HEAD, bureau=county))
        for county in counties
    ]


def test_county_draft_counts_what_is_left_and_the_days(client, cast, application):
    report = completeness_of(application)
    left = len(report.form_missing) + report.item_count - report.answered_count
    assert counts(client, cast.county_a_applicant) == {
        "尚待填写的项目和表单字段": str(left),
        "已退回修改": "0",
        "距提交截止日期": "60 天",
        "待复检或整改": "0",
    }
    client.force_login(cast.county_a_head)
    entries = todos(home(client))
    assert entries["尚待填写的项目和表单字段"][1] == reverse(
        "applications:completeness", args=[application.pk]
    )
    # The incomplete form is one thing to do in the menu, whatever is left in it.
    assert badge(client, cast.county_a_head) == 1


def test_county_without_an_application_sees_the_deadline_only(client, cast, cycle):
    assert counts(client, cast.county_a_applicant) == {
        "距提交截止日期": "60 天",
        "待复检或整改": "0",
    }
    assert badge(client, cast.county_a_applicant) == 0


def test_county_returned_application_is_flagged(client, cast, application):
    reach(application, S.RETURNED)
    client.force_login(cast.county_a_head)
    entries = todos(home(client))
    assert entries["已退回修改"] == ("1", reverse("applications:detail", args=[application.pk]))
    assert entries["尚待填写的项目和表单字段"][0] == "0"
    assert 'text-bg-danger todo-count" data-count="1"' in home(client)
    assert badge(client, cast.county_a_head) == 1


def test_county_submitted_application_has_nothing_to_fill_in(client, cast, application):
    reach(application, S.SUBMITTED)
    assert counts(client, cast.county_a_applicant) == {
        "已退回修改": "0",
        "待复检或整改": "0",
    }


def test_city_reviewer_counts_the_submitted_applications(client, cast, cycle, application):
    reach(application, S.SUBMITTED)
    for other in applications_of(cycle, HARBIN_COUNTIES[:2]):
        reach(other, S.SUBMITTED)
    # Another city's submission is not Harbin's to review.
    reach(
        application_create(
            cycle=cycle, county=Bureau.objects.get(code="230202"), by=cast.county_b_applicant
        ),
        S.SUBMITTED,
    )
    client.force_login(cast.city_a_reviewer)
    entries = todos(home(client))
    assert entries == {"待初审": ("3", reverse("review:dashboard") + "?state=submitted")}
    assert badge(client, cast.city_a_reviewer) == 3
    assert counts(client, cast.city_b_reviewer) == {"待初审": "1"}


def test_city_head_counts_meeting_forwarding_and_scans(client, cast, cycle, application):
    approved, signed, forwarded = applications_of(cycle, HARBIN_COUNTIES[:3])
    reach(approved, S.CITY_APPROVED)
    reach(signed, S.SIGNED_OFF)
    reach(forwarded, S.FORWARDED)
    assert counts(client, cast.city_a_head) == {
        "待党委（党组）会议审议": "1",
        "可上报省厅": "1",
        "缺盖章上报函扫描件": "1",
        "距上报截止日期": "60 天",
    }
    assert badge(client, cast.city_a_head) == 3
    batch = ForwardingBatch.objects.get(city__code="230100")
    forwarding_scan_add(
        batch=batch, upload=SimpleUploadedFile("扫描件.pdf", PDF), by=cast.city_a_head
    )
    assert counts(client, cast.city_a_head)["缺盖章上报函扫描件"] == "0"


def test_office_counts_each_step_of_the_evaluation(client, cast, cycle, application):
    fresh, scored, passed, inspected, approved = applications_of(cycle, HARBIN_COUNTIES)
    reach(fresh, S.FORWARDED)
    reach(scored, S.FORWARDED)
    score_all(scored)
    reach(passed, S.WRITTEN_PASSED)
    reach(inspected, S.INSPECTED_PASSED)
    reach(approved, S.APPROVED)
    sections = cycle.criteria_version.sections.count()
    assert counts(client, cast.office) == {
        "未分配的部分": str(sections),
        "待确认的书面审查结果": "1",
        "待安排的实地考核": "1",
        "待记录的审议决定": "1",
        "待公示的单位": "1",
        "待命名的单位（公示期满）": "0",
        "今后六个月内到期的复检": "0",
        "逾期的复检": "0",
        "整改期限未到": "0",
        "已过整改期限": "0",
        "待处理的异议": "0",
    }
    assert badge(client, cast.office) == sections + 4


def test_office_counts_reinspections_and_rectifications_coming_and_overdue(client, cast):
    today = timezone.localdate()
    by = office()
    due = designation_record_historical(
        bureau=Bureau.objects.get(code="230104"),
        number="HLJ-2020-001",
        designated_on=today.replace(year=today.year - 3) - datetime.timedelta(days=10),
        document_number="黑司〔2020〕1号",
        published_on=today.replace(year=today.year - 3) - datetime.timedelta(days=5),
        by=by,
    )
    designation_record_historical(
        bureau=Bureau.objects.get(code="230108"),
        number="HLJ-2020-002",
        designated_on=today.replace(year=today.year - 3) + datetime.timedelta(days=30),
        document_number="黑司〔2020〕1号",
        published_on=today.replace(year=today.year - 3),
        by=by,
    )
    reinspection_jobs(today=today)
    office_counts = counts(client, cast.office)
    assert office_counts["今后六个月内到期的复检"] == "1"
    assert office_counts["逾期的复检"] == "1"
    round_rectify(
        due, by=by, deadline=today + datetime.timedelta(days=30), requirements=["落实普法责任制"]
    )
    office_counts = counts(client, cast.office)
    assert (office_counts["逾期的复检"], office_counts["整改期限未到"]) == ("0", "1")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40)):
        office_counts = counts(client, cast.office)
    assert (office_counts["整改期限未到"], office_counts["已过整改期限"]) == ("0", "1")


def test_county_holding_a_title_sees_its_reinspection_due(client, cast):
    today = timezone.localdate()
    designation_record_historical(
        bureau=Bureau.objects.get(code="230102"),
        number="HLJ-2020-003",
        designated_on=today.replace(year=today.year - 4),
        document_number="黑司〔2020〕2号",
        published_on=today.replace(year=today.year - 4),
        by=office(),
    )
    reinspection_jobs(today=today)
    assert counts(client, cast.county_a_head)["待复检或整改"] == "1"


def test_evaluator_counts_sheets_to_score_to_sign_and_visits(client, cast, cycle, application):
    reach(application, S.FORWARDED)
    me = cast.evaluator_publicity
    mine = [
        sheet
        for sheet in score_sheets_ensure(application=application)
        if sheet.section.owners.filter(pk=me.memberships.get().division_id).exists()
    ]
    for sheet in mine:
        evaluator_assign(sheet=sheet, evaluator=me, by=office())
    assert counts(client, me) == {
        "待评分的评分表": str(len(mine)),
        "待签署的评分表": "0",
        "本周实地考核": "0",
    }
    sheet = mine[0]
    ratings = {item.pk: ("met", False, "") for item in sheet.section.items.all()}
    sheet_save(sheet=sheet, by=me, version=sheet.version, ratings=ratings)
    assert counts(client, me) == {
        "待评分的评分表": str(len(mine) - 1),
        "待签署的评分表": "1",
        "本周实地考核": "0",
    }
    assert badge(client, me) == len(mine)


def test_evaluator_counts_this_weeks_visits(client, cast, cycle, application):
    from evaluation.inspections import inspection_schedule

    reach(application, S.WRITTEN_PASSED)
    today = timezone.localdate()
    inspection_schedule(
        application=application,
        visit_date=today + datetime.timedelta(days=6 - today.weekday()),
        team=[cast.evaluator_grassroots],
        itinerary="",
        by=office(),
    )
    client.force_login(cast.evaluator_grassroots)
    entries = todos(home(client))
    week = today.strftime("%G-W%V")
    assert entries["本周实地考核"] == ("1", reverse("evaluation:inspections") + f"?week={week}")
    assert counts(client, cast.evaluator_publicity)["本周实地考核"] == "0"


def test_administrators_have_no_to_do(client, cast):
    for user in (cast.sysadmin, cast.secadmin, cast.auditadmin, cast.nobody):
        assert counts(client, user) == {}
        assert badge(client, user) == 0


def test_the_menu_loads_the_badge_after_the_page(client, cast, application):
    client.force_login(cast.county_a_applicant)
    assert f'hx-get="{reverse("todo_badge")}"' in home(client)
    client.force_login(cast.sysadmin)
    assert reverse("todo_badge") not in home(client)


def test_anonymous_badge_redirects_to_login(client):
    response = client.get(reverse("todo_badge"))
    assert response.status_code == 302


# The home page's queries: the session, the user, the device, the memberships, the cycle, then
# each table's selectors (and the inbox's unread count); the badge's are the same without the
# panels' facts. The same numbers with one application in the cycle as with many.
QUERIES = {
    "county_a_head": (16, 15),
    "city_a_reviewer": (7, 6),
    "city_a_head": (10, 9),
    "office": (16, 14),
    "evaluator_publicity": (8, 7),
}


@pytest.mark.parametrize("many", [False, True])
def test_home_page_and_badge_queries_are_constant(
    client, cast, cycle, application, django_assert_num_queries, many
):
    codes = HARBIN_COUNTIES if many else HARBIN_COUNTIES[:1]
    others = applications_of(cycle, codes)
    for other in others:
        reach(other, S.FORWARDED)
        score_all(other, sign=many)
    for who, (page, menu) in QUERIES.items():
        client.force_login(getattr(cast, who))
        # Once first: the content types and the permissions are cached by the process.
        client.get(reverse("home"))
        with django_assert_num_queries(page):
            client.get(reverse("home"))
        with django_assert_num_queries(menu):
            client.get(reverse("todo_badge"))
