"""Daily work of the province: the county hears each outcome, scoring is quicker (every item
met in one click, several results confirmed at once), and dates make sense."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.enums import Action, Answer, ApplicationState
from applications.models import Application
from applications.services import application_create, figure_save
from evaluation.decisions import provincial_meeting_record
from evaluation.enums import Decision, InspectionResult, Rating
from evaluation.forms import ProvincialMeetingForm
from evaluation.inspections import inspection_record, inspection_schedule
from evaluation.models import ItemScore, ScoreSheet
from evaluation.written_review import evaluator_assign, score_sheets_ensure
from organizations.enums import Role
from organizations.models import Bureau, Notification
from review.forms import PartyMeetingForm
from standards.models import Indicator
from tests.applications.files import PDF
from tests.states import actor, nothing_moves, reach, score_all

pytestmark = pytest.mark.django_db
S = ApplicationState
TODAY = timezone.localdate


def _county_inbox(application) -> list[Notification]:
    """What the county's applicant and head found in their inbox, oldest first."""
    users = [
        actor(Role.COUNTY_APPLICANT, bureau=application.county),
        actor(Role.COUNTY_HEAD, bureau=application.county),
    ]
    return list(Notification.objects.filter(user__in=users).order_by("id"))


def _schedule(application, cast, *, on):
    return inspection_schedule(
        application=application,
        visit_date=on,
        team=[cast.evaluator_publicity, cast.evaluator_grassroots],
        itinerary="上午听取汇报，下午走访司法所",
        by=cast.office,
    )


# The county hears the outcome.


@pytest.mark.parametrize(
    ("state", "words"),
    [
        (S.WRITTEN_PASSED, "书面审查合格"),
        (S.WRITTEN_FAILED, "书面审查不合格"),
        (S.INSPECTED_PASSED, "实地考核验收合格"),
        (S.APPROVED, "审议通过"),
    ],
)
def test_the_county_hears_each_outcome(
    complete_application, cast, state, words, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = reach(complete_application, state)
    last = application.events.latest("id")
    inbox = Notification.objects.filter(key=f"event:{last.pk}")
    assert {n.user for n in inbox} == {cast.county_a_applicant, cast.county_a_head}
    assert all(n.url == f"/applications/{application.pk}/" for n in inbox)
    subjects = [m.subject for m in mail.outbox if cast.county_a_head.email in m.to]
    assert any(words in subject for subject in subjects), subjects


def test_the_county_hears_its_designation_number(
    complete_application, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = reach(complete_application, S.DESIGNATED)
    number = application.designation.number
    last = application.events.latest("id")
    message = Notification.objects.get(key=f"event:{last.pk}", user=cast.county_a_head)
    assert number in message.body
    assert any(number in m.body for m in mail.outbox if cast.county_a_head.email in m.to)


def test_the_county_hears_its_visit_with_date_and_team(
    complete_application, cast, django_capture_on_commit_callbacks
):
    application = reach(complete_application, S.WRITTEN_PASSED)
    mail.outbox.clear()
    visit = TODAY() + datetime.timedelta(days=9)
    with django_capture_on_commit_callbacks(execute=True):
        inspection = _schedule(application, cast, on=visit)
    inbox = Notification.objects.filter(key=f"inspection-scheduled:{inspection.pk}")
    assert {n.user for n in inbox} == {cast.county_a_applicant, cast.county_a_head}
    body = inbox.first().body
    assert visit.strftime("%Y-%m-%d") in body
    assert cast.evaluator_publicity.get_full_name() in body
    assert cast.evaluator_grassroots.get_full_name() in body
    assert "上午听取汇报" in body
    assert {tuple(m.to) for m in mail.outbox} == {
        (cast.county_a_applicant.email,),
        (cast.county_a_head.email,),
    }
    assert all("实地考核验收已安排" in m.subject for m in mail.outbox)


def test_no_other_county_hears_of_it(
    complete_application, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reach(complete_application, S.WRITTEN_PASSED)
    assert not Notification.objects.filter(
        user__in=[cast.county_b_applicant, cast.county_a2_applicant]
    ).exists()


# Dates that make sense.


def test_a_visit_is_not_recorded_before_its_date(complete_application, cast):
    application = reach(complete_application, S.WRITTEN_PASSED)
    inspection = _schedule(application, cast, on=TODAY() + datetime.timedelta(days=1))
    with nothing_moves(), pytest.raises(ValidationError) as error:
        inspection_record(
            inspection=inspection,
            by=cast.evaluator_publicity,
            findings={},
            result=InspectionResult.PASSED,
            summary="现场核查",
        )
    tomorrow = (TODAY() + datetime.timedelta(days=1)).strftime("%Y-%m-%d")
    assert error.value.messages == [f"考核验收日期为{tomorrow}，当天起方可登记考核结果。"]


def test_a_visit_is_recorded_on_its_day(complete_application, cast):
    application = reach(complete_application, S.WRITTEN_PASSED)
    inspection = _schedule(application, cast, on=TODAY())
    inspection_record(
        inspection=inspection,
        by=cast.evaluator_publicity,
        findings={},
        result=InspectionResult.PASSED,
        summary="现场核查",
    )
    application.refresh_from_db()
    assert application.state == S.INSPECTED_PASSED


def test_the_record_page_says_the_visit_lies_ahead(client, complete_application, cast):
    application = reach(complete_application, S.WRITTEN_PASSED)
    inspection = _schedule(application, cast, on=TODAY() + datetime.timedelta(days=3))
    client.force_login(cast.evaluator_publicity)
    with nothing_moves():
        response = client.post(
            reverse("evaluation:inspection", args=[inspection.pk]),
            {"result": "passed", "summary": "现场核查属实"},
        )
    assert response.status_code == 400
    assert "当天起方可登记考核结果" in response.content.decode()
    assert "现场核查属实" in response.content.decode()  # what was typed stays


@pytest.mark.parametrize("form_class", [ProvincialMeetingForm, PartyMeetingForm])
def test_meeting_dates_cannot_lie_in_the_future(form_class):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    data = {"held_on": tomorrow.isoformat(), "number": "1号", "minutes_number": "1号"}
    data["meeting_kind"] = "party_committee"
    form = form_class(data, {"minutes": SimpleUploadedFile("纪要.pdf", PDF)})
    assert not form.is_valid()
    assert form.errors["held_on"] == ["会议日期不能晚于今天。"]
    today = form_class({**data, "held_on": TODAY().isoformat()})
    today.is_valid()
    assert "held_on" not in today.errors


def test_the_provincial_meeting_service_refuses_a_future_date(complete_application, cast):
    application = reach(complete_application, S.INSPECTED_PASSED)
    with nothing_moves(), pytest.raises(ValidationError) as error:
        provincial_meeting_record(
            cycle=application.cycle,
            by=cast.office,
            held_on=TODAY() + datetime.timedelta(days=1),
            number="厅党委〔2026〕9号",
            minutes_upload=SimpleUploadedFile("纪要.pdf", PDF),
            decisions={application.pk: (Decision.APPROVED, "")},
        )
    assert error.value.message_dict == {"held_on": ["会议日期不能晚于今天。"]}


# Faster scoring: every item met in one click, then the exceptions.


def _assigned_sheet(application, cast, number=5):
    sheet = next(
        s for s in score_sheets_ensure(application=application) if s.section.number == number
    )
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    return sheet


def test_every_unrated_item_met_in_one_click(client, complete_application, cast):
    application = reach(complete_application, S.FORWARDED)
    sheet = _assigned_sheet(application, cast)
    items = list(sheet.section.items.order_by("order"))
    exception = items[1]
    client.force_login(cast.evaluator_publicity)
    response = client.post(
        reverse("evaluation:sheet", args=[sheet.pk]),
        {
            "version": sheet.version,
            f"rating_{exception.pk}": Rating.NOT_MET,
            f"comment_{exception.pk}": "台账缺失",
            "all_met": "1",
        },
    )
    assert response.status_code == 302
    ratings = dict(ItemScore.objects.filter(sheet=sheet).values_list("item__code", "rating"))
    assert ratings == {
        item.code: Rating.NOT_MET if item == exception else Rating.MET for item in items
    }
    sheet.refresh_from_db()
    assert sheet.signed_at is None  # the evaluator signs after looking at the exceptions
    page = client.get(response.url).content.decode()
    assert "尚未评分的考评项目已全部评为“达标”" in page
    # Then one exception changes, and the section is signed.
    response = client.post(
        reverse("evaluation:sheet", args=[sheet.pk]),
        {
            "version": sheet.version,
            **{f"rating_{i.pk}": ratings[i.code] for i in items},
            f"rating_{items[0].pk}": Rating.PARTLY_MET,
            "sign": "1",
        },
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.signed_at is not None
    assert ItemScore.objects.get(sheet=sheet, item=items[0]).rating == Rating.PARTLY_MET


def test_the_sheet_offers_the_one_click(client, complete_application, cast):
    application = reach(complete_application, S.FORWARDED)
    sheet = _assigned_sheet(application, cast)
    client.force_login(cast.evaluator_publicity)
    page = client.get(reverse("evaluation:sheet", args=[sheet.pk])).content.decode()
    assert 'name="all_met"' in page
    assert "其余未评项目全部评为达标" in page


# Several written results confirmed at once, each by the pass rule.


def _forwarded(cycle, code):
    county = Bureau.objects.get(code=code)
    application = application_create(
        cycle=cycle, county=county, by=actor(Role.COUNTY_HEAD, bureau=county)
    )
    return reach(application, S.FORWARDED)


def test_the_office_confirms_several_results_at_once(client, cycle, cast):
    good, other_good, poor = (_forwarded(cycle, c) for c in ("230102", "230103", "230202"))
    score_all(good)
    score_all(other_good)
    score_all(poor, rating=Rating.NOT_MET)
    client.force_login(cast.office)
    ranking = client.get(reverse("evaluation:ranking")).content.decode()
    assert f'value="{good.pk}"' in ranking
    assert f'value="{poor.pk}"' not in ranking
    response = client.post(
        reverse("evaluation:results_confirm"), {"applications": [good.pk, other_good.pk]}
    )
    assert response.status_code == 302
    states = dict(
        Application.objects.filter(pk__in=[good.pk, other_good.pk, poor.pk]).values_list(
            "pk", "state"
        )
    )
    assert states == {
        good.pk: S.WRITTEN_PASSED,
        other_good.pk: S.WRITTEN_PASSED,
        poor.pk: S.FORWARDED,
    }
    assert [e.action for e in good.events.order_by("-id")[:1]] == [Action.WRITTEN_PASS]
    page = client.get(response.url).content.decode()
    assert "已确认书面审查合格" in page
    assert good.county.name in page


def test_a_result_below_the_pass_rule_is_not_confirmed_with_the_others(client, cycle, cast):
    good, poor = _forwarded(cycle, "230102"), _forwarded(cycle, "230202")
    score_all(good)
    score_all(poor, rating=Rating.NOT_MET)
    client.force_login(cast.office)
    response = client.post(
        reverse("evaluation:results_confirm"), {"applications": [good.pk, poor.pk]}
    )
    assert response.status_code == 302
    good.refresh_from_db()
    poor.refresh_from_db()
    assert (good.state, poor.state) == (S.WRITTEN_PASSED, S.FORWARDED)
    page = client.get(response.url).content.decode()
    assert f"{poor.county.name}未能确认" in page
    assert "低于通过分数线" in page


def test_confirming_nothing_or_someone_elses_is_refused(client, cycle, cast):
    good = _forwarded(cycle, "230102")
    score_all(good)
    client.force_login(cast.office)
    with nothing_moves():
        response = client.post(reverse("evaluation:results_confirm"), {})
        assert response.status_code == 302
        assert (
            client.post(reverse("evaluation:results_confirm"), {"applications": ["x"]}).status_code
            == 302
        )
    assert "请选择要确认结果的申报" in client.get(reverse("evaluation:ranking")).content.decode()
    client.force_login(cast.city_a_head)
    with nothing_moves():
        response = client.post(reverse("evaluation:results_confirm"), {"applications": [good.pk]})
    assert response.status_code == 403
    assert ScoreSheet.objects.filter(application=good, signed_at__isnull=True).count() == 0


# A self-assessment of 达标 beside the county's own figures below the standard.

CONTRADICTION = "县级自评为“达标”，但其填报的指标数据低于标准。"


def _below_standard_on_5_2(application, cast) -> None:
    """5.2's first figure: one large campaign where the standard asks for three; the county
    keeps its self-assessment of 达标."""
    indicator = Indicator.objects.get(
        item__section__version=application.cycle.criteria_version, code="5.2-a"
    )
    figure_save(application=application, indicator=indicator, by=cast.county_a_applicant, value="1")
    assert application.assessments.get(item=indicator.item).answer == Answer.MET


def _item_block(page: str, code: str) -> str:
    return page.split(f'id="item-{code}"')[1].split("</article>")[0]


def test_every_unrated_item_met_leaves_the_items_below_standard_unrated(
    client, complete_application, cast
):
    _below_standard_on_5_2(complete_application, cast)
    application = reach(complete_application, S.FORWARDED)
    sheet = _assigned_sheet(application, cast)
    items = list(sheet.section.items.order_by("order"))
    client.force_login(cast.evaluator_publicity)
    url = reverse("evaluation:sheet", args=[sheet.pk])
    page = client.get(url).content.decode()
    # The contradiction is stated on that item, and on no other.
    assert page.count(CONTRADICTION) == 1
    assert CONTRADICTION in _item_block(page, "5.2")
    response = client.post(url, {"version": sheet.version, "all_met": "1"})
    assert response.status_code == 302
    rated = dict(
        ItemScore.objects.filter(sheet=sheet).exclude(rating="").values_list("item__code", "rating")
    )
    assert rated == {item.code: Rating.MET for item in items if item.code != "5.2"}
    page = client.get(response.url).content.decode()
    assert "尚未评分的考评项目已全部评为“达标”，但5.2除外" in page


def test_the_county_and_the_city_see_the_contradiction_on_the_item(
    client, complete_application, cast
):
    _below_standard_on_5_2(complete_application, cast)
    client.force_login(cast.county_a_applicant)
    county_page = client.get(
        reverse("applications:section", args=[complete_application.pk, 5])
    ).content.decode()
    assert county_page.count(CONTRADICTION) == 1
    application = reach(complete_application, S.SUBMITTED)
    client.force_login(cast.city_a_reviewer)
    city_page = client.get(reverse("review:application", args=[application.pk])).content.decode()
    assert city_page.count(CONTRADICTION) == 1
    assert CONTRADICTION in _item_block(city_page, "5.2")
