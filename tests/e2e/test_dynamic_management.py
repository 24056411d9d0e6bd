"""Dynamic management in headless Chromium against a live server: the public notice (公示)
with an objection dismissed, naming after the window, the re-inspection three years on with a
slipped indicator, rectification with a report and the title kept; a second bureau whose
rectification fails and is revoked; the verification page before and after.

The starting states (two applications approved by the Party committee) are reached through
the workflow services; everything after that is done in the pages, by the role that does it,
except the evaluators' score sheets (``score_all``) and the daily job, called as its beat
would. The clock is moved with ``time_machine``: the live server runs in this process, so its
thread sees the same time. Sessions time out after 30 idle minutes, so every user logs in
again after the clock moves.
"""

import datetime

import pytest
from django.utils import timezone

from applications.enums import Action, ApplicationState
from applications.models import Application, IndicatorFigure
from applications.workflow import application_transition
from audit.enums import AuditAction
from audit.models import AuditEntry
from core.storage import private_read
from designations.enums import DesignationState
from designations.jobs import reinspection_jobs
from designations.models import Designation
from designations.services import designation_grant
from notices.models import Objection, PublicNotice
from portal.demo import application_fill_example
from reinspections.enums import RectificationState
from reinspections.models import Rectification, Reinspection
from reinspections.rounds import reinspection_open
from standards.models import Indicator
from tests.states import office, reach, reach_reinspection, score_all

from .test_campaign import (
    PDF,
    Journey,
    browser,  # noqa: F401 (the Chromium fixture, shared)
    confirm,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

A_NAME, B_NAME = "哈尔滨市道里区司法局", "齐齐哈尔市龙沙区司法局"
# A count indicator of section 4 (at least 3 practising lawyers per firm): reported as 2 at
# the re-inspection it falls below its threshold.
SLIPPING = "4.2-a"


def _beijing(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def test_notice_naming_reinspection_rectification_and_revocation(
    browser,  # noqa: F811
    live_server,
    cast,
    application,
    application_b,
    clock,
    settings,
    local_storage,
):
    # Years pass in this test: the passwords are not to expire on the way (the change of an
    # expired password is tested in tests/portal/test_two_factor.py).
    settings.PASSWORD_EXPIRY_DAYS = 3650
    # The private files go to a folder (``local_storage``): an S3 server refuses a request
    # signed three years ahead of its own clock (RequestTimeTooSkewed), as it should.
    base = live_server.url
    journey = Journey(browser, base)
    a = reach(application, ApplicationState.APPROVED)
    b = reach(application_b, ApplicationState.APPROVED)

    # 1. The office opens a five-working-day window for both bureaus, starting today.
    desk = journey.as_user(cast.office.username)
    with journey.step("notice-open", desk):
        desk.goto(base + "/designations/notices/open/")
        desk.check(f"input[name=applications][value='{a.pk}']")
        desk.check(f"input[name=applications][value='{b.pk}']")
        desk.fill("#id_starts_on", timezone.localdate().isoformat())
        desk.fill("#id_working_days", "5")
        desk.fill("#id_contact_office", "省司法厅创建办")
        desk.fill("#id_contact_phone", "0451-00000001")
        desk.click("main form button[type=submit]")
        notice = PublicNotice.objects.get()
        assert set(notice.applications.values_list("pk", flat=True)) == {a.pk, b.pk}
        assert notice.closes_on.isoformat() in journey.message(desk)

    # 2. An anonymous visitor objects to 道里区 on the public page.
    public = journey.as_user("")
    with journey.step("objection", public):
        public.goto(base + "/public/notices/")
        assert "道里区司法局" in public.content()
        public.click(f"a[href='/public/notices/{notice.pk}/object/']")
        public.select_option("#id_application", str(a.pk))
        public.fill("#id_name", "赵明理")
        public.fill("#id_phone", "13900000001")
        public.fill("#id_facts", "该局去年有一起法律援助案件未按期办结，群众有意见。")
        public.click("main form button[type=submit]")
        objection = Objection.objects.get()
        assert objection.application_id == a.pk
        assert objection.outcome == "waiting"
        assert objection.reference in public.content()

    # 3. The office dismisses it with its reasons.
    with journey.step("dismiss", desk):
        desk.goto(f"{base}/designations/notices/{notice.pk}/")
        desk.click(f"a:has-text('{objection.reference}')")
        desk.check("input[name=outcome][value=dismissed]")
        desk.fill("#id_note", "经核查，该案件已依法按期办结，反映情况不属实。")
        desk.click("main form button[type=submit]")
        objection.refresh_from_db()
        assert objection.outcome == "dismissed"
        assert objection.handled_by == cast.office
        assert "经核查" in desk.content()  # the window's history
        a.refresh_from_db()
        assert a.state == ApplicationState.APPROVED
        assert AuditEntry.objects.filter(action=AuditAction.OBJECTION_HANDLE).count() == 1
    # The objector looks up the result by the reference (typed in lower case, no dashes).
    with journey.step("objection-lookup", public):
        public.goto(base + "/public/notices/lookup/")
        public.fill("#id_reference", objection.reference.replace("-", "").lower())
        public.click("main form button[type=submit]")
        result = public.locator("#objection-result").inner_text()
        assert objection.reference in result
        assert "经核查" in result
        assert "赵明理" not in result  # nobody's name

    # 4. Naming is refused while the window is open.
    with journey.step("naming-refused", desk):
        desk.goto(base + "/designations/designate/")
        desk.locator("main form", has_text="道里区").locator("button[type=submit]").click()
        confirm(desk, "道里区", bureau="道里区")
        assert notice.closes_on.isoformat() in desk.locator("main").inner_text()
        assert not Designation.objects.exists()

    # 5. The morning after the window closed, the office names 道里区 (and 龙沙区).
    clock.to(_beijing(notice.closes_on + datetime.timedelta(days=1)))
    journey = journey.renewed()
    desk, public = journey.as_user(cast.office.username), journey.as_user("")
    with journey.step("naming", desk):
        desk.goto(base + "/designations/designate/")
        desk.locator("main form", has_text="道里区").locator("button[type=submit]").click()
        confirm(desk, "命名为示范司法局", bureau="道里区")
        assert "已命名" in journey.message(desk)
        named_a = Designation.objects.get(application=a)
        assert named_a.state == DesignationState.ACTIVE
        assert named_a.designated_on == timezone.localdate()
        named_b = designation_grant(
            application=b, by=office(), designated_on=timezone.localdate(), reward="collective"
        )
    with journey.step("verify-held", public):
        public.goto(f"{base}/public/verify/{named_a.verification_code}/")
        standing = public.locator("#verify-standing").inner_text()
        assert A_NAME in standing
        assert "称号有效" in standing

    # 6. Three years on the daily job marks both due; the office opens 道里区's round.
    due = named_a.reinspection_due
    assert due == named_a.designated_on.replace(year=named_a.designated_on.year + 3)
    clock.to(_beijing(due, hour=8))
    assert reinspection_jobs(today=due)["due"] == 2
    journey = journey.renewed()
    desk = journey.as_user(cast.office.username)
    with journey.step("round-open", desk):
        desk.goto(f"{base}/designations/{named_a.pk}/reinspection/")
        desk.fill("#id_deadline", (due + datetime.timedelta(days=30)).isoformat())
        desk.click("main form button[type=submit]")
        round_a = Reinspection.objects.get(designation=named_a)
        assert desk.url.endswith(f"/designations/reinspections/{round_a.pk}/")
    report_a = round_a.application
    assert report_a.kind == "reinspection"
    assert report_a.state == ApplicationState.DRAFT

    # 7. The county fills in its report (through the services), reports one figure below its
    #    threshold in the page; its head reports to the province.
    application_fill_example(report_a, by=cast.county_a_applicant)
    indicator = Indicator.objects.get(
        code=SLIPPING, item__section__version=report_a.cycle.criteria_version
    )
    applicant = journey.as_user(cast.county_a_applicant.username)
    with journey.step("slipped-figure", applicant):
        applicant.goto(f"{base}/applications/{report_a.pk}/sections/4/")
        applicant.fill(f"#value-{indicator.pk}", "2")
        applicant.locator(f"#value-{indicator.pk}").blur()
        applicant.locator(f"#result-{indicator.pk}").wait_for()
        applicant.wait_for_load_state("networkidle")
        assert IndicatorFigure.objects.get(application=report_a, indicator=indicator).value == "2"
    head = journey.as_user(cast.county_a_head.username)
    with journey.step("report", head):
        head.goto(f"{base}/applications/{report_a.pk}/submit/")
        head.check("#id_pledge")
        head.check("#id_acknowledged")
        head.click("main form button[type=submit]")
        report_a.refresh_from_db()
        assert report_a.state == ApplicationState.FORWARDED, journey.message(head)

    # The evaluators' sheets (every item met) and the office's confirmation of the result.
    score_all(report_a)
    application_transition(application=report_a, action=Action.WRITTEN_PASS, by=office())

    # 8. The office sees the slipped indicator and orders rectification, the item filled in.
    rectify_by = due + datetime.timedelta(days=60)
    with journey.step("round-decide", desk):
        desk.goto(f"{base}/designations/reinspections/{round_a.pk}/")
        row = desk.locator("tr#item-4\\.2")
        assert "slipped" in row.get_attribute("class")
        assert SLIPPING in row.locator(".fell-below").inner_text()
        assert desk.locator("tr.slipped").count() == 1
        requirements = desk.locator("#id_requirements").input_value()
        assert requirements.startswith("4.2 ")
        assert SLIPPING in requirements
        desk.check("input[name=kept][value='0']")
        desk.fill("#id_deadline", rectify_by.isoformat())
        desk.click("main form button:has-text('登记')")
        rectification_a = Rectification.objects.get(designation=named_a)
        assert [r.text for r in rectification_a.requirements.all()] == [requirements.strip()]
        named_a.refresh_from_db()
        assert named_a.state == DesignationState.RECTIFYING
        round_a.refresh_from_db()
        assert round_a.outcome == Reinspection.Outcome.RECTIFY

    # 9. The county uploads a report per requirement; its head submits.
    (requirement,) = rectification_a.requirements.all()
    with journey.step("rectification-report", applicant):
        applicant.goto(f"{base}/designations/rectifications/{rectification_a.pk}/")
        applicant.set_input_files(
            f"#u{requirement.pk}-file",
            files=[{"name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        with applicant.expect_navigation():
            applicant.locator(f"#requirement-{requirement.position} form button").click()
        assert "整改报告.pdf" in journey.message(applicant)
        (stored,) = requirement.files.all()
        assert private_read(stored.stored_name) == PDF
    with journey.step("rectification-submit", head):
        head.goto(f"{base}/designations/rectifications/{rectification_a.pk}/")
        with head.expect_navigation():
            head.locator("form:has(input[name=action][value=submit]) button").click()
        rectification_a.refresh_from_db()
        assert rectification_a.state == RectificationState.SUBMITTED

    # 10. The office judges the requirement met and concludes: the title is kept.
    with journey.step("rectification-pass", desk):
        desk.goto(f"{base}/designations/rectifications/{rectification_a.pk}/")
        desk.check(f"#requirement-{requirement.position} input[name=met][value='1']")
        desk.fill(f"#j{requirement.pk}-note", "律师事务所已补足执业律师。")
        with desk.expect_navigation():
            desk.locator(f"#requirement-{requirement.position} form button").click()
        requirement.refresh_from_db()
        assert requirement.met is True
        with desk.expect_navigation():
            desk.locator("form:has(input[name=action][value=conclude]) button").click()
        rectification_a.refresh_from_db()
        assert rectification_a.state == RectificationState.PASSED
        named_a.refresh_from_db()
        assert named_a.state == DesignationState.ACTIVE
        assert named_a.reinspection_due == due.replace(year=due.year + 3)
    public = journey.as_user("")
    with journey.step("verify-kept", public):
        public.goto(f"{base}/public/verify/{named_a.verification_code}/")
        assert "称号有效" in public.locator("#verify-standing").inner_text()

    # 11. 龙沙区: its round reported and confirmed (services); the office orders rectification.
    round_b = reinspection_open(
        designation=named_b, deadline=due + datetime.timedelta(days=30), by=office()
    )
    reach_reinspection(round_b.application, ApplicationState.WRITTEN_PASSED)
    fail_by = due + datetime.timedelta(days=20)
    with journey.step("round-b-decide", desk):
        desk.goto(f"{base}/designations/reinspections/{round_b.pk}/")
        assert desk.locator("tr.slipped").count() == 0
        desk.check("input[name=kept][value='0']")
        desk.fill("#id_deadline", fail_by.isoformat())
        desk.fill("#id_requirements", "健全法律援助案件质量评估机制")
        desk.click("main form button:has-text('登记')")
        rectification_b = Rectification.objects.get(designation=named_b)
        assert rectification_b.state == RectificationState.OPEN
        # Before the deadline the county may still put it right: no conclusion yet.
        desk.goto(f"{base}/designations/rectifications/{rectification_b.pk}/")
        desk.fill("#c-decision", "黑司发〔E2E〕2号")
        with desk.expect_navigation():
            desk.locator("form:has(input[name=action][value=conclude]) button").click()
        assert fail_by.isoformat() in desk.locator("main").inner_text()
        rectification_b.refresh_from_db()
        assert rectification_b.state == RectificationState.OPEN
    with journey.step("verify-rectifying", public):
        public.goto(f"{base}/public/verify/{named_b.verification_code}/")
        assert fail_by.isoformat() in public.locator("#verify-standing").inner_text()

    # 12. Nothing came by the deadline: the office concludes it failed, and the title goes.
    clock.to(_beijing(fail_by + datetime.timedelta(days=1)))
    revoked_on = timezone.localdate()
    journey = journey.renewed()
    desk, public = journey.as_user(cast.office.username), journey.as_user("")
    with journey.step("rectification-fail", desk):
        desk.goto(f"{base}/designations/rectifications/{rectification_b.pk}/")
        assert desk.locator(f"#u{rectification_b.requirements.get().pk}-file").count() == 0
        desk.fill("#c-decision", "黑司发〔E2E〕2号")
        desk.fill("#c-note", "逾期未提交整改报告")
        with desk.expect_navigation():
            desk.locator("form:has(input[name=action][value=conclude]) button").click()
        rectification_b.refresh_from_db()
        assert rectification_b.state == RectificationState.FAILED
        named_b.refresh_from_db()
        assert named_b.state == DesignationState.REVOKED
        assert named_b.revoked_on == revoked_on
        assert list(
            AuditEntry.objects.filter(action=AuditAction.RECTIFICATION_CONCLUDE)
            .order_by("id")
            .values_list("details__outcome", flat=True)
        ) == [RectificationState.PASSED, RectificationState.FAILED]
    with journey.step("verify-revoked", public):
        public.goto(f"{base}/public/verify/{named_b.verification_code}/")
        standing = public.locator("#verify-standing").inner_text()
        assert B_NAME in standing
        assert "称号已撤销" in standing
        assert "称号有效" not in standing
        assert revoked_on.isoformat() in standing
        public.goto(f"{base}/public/verify/{named_a.verification_code}/")
        assert "称号有效" in public.locator("#verify-standing").inner_text()
    assert Application.objects.get(pk=b.pk).state == ApplicationState.DESIGNATED
