"""The whole campaign in headless Chromium, through the pages only, against a live server.

Debian's chromium is driven by Playwright (`executable_path`); screenshots of each role's main
page go to test-results/e2e/, and a failing step leaves a screenshot and the page's HTML there.
"""

import datetime
import os
from contextlib import contextmanager
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from core.actors import SystemActor
from designations.jobs import reinspection_jobs
from designations.models import Designation
from notices.models import PublicNotice
from organizations.models import Division
from organizations.services import membership_grant
from portal.demo import _demo_pdf, example_figures
from standards.models import CriteriaVersion, Indicator
from tests.documents import png_of, text_of
from tests.factories import UserFactory, otp_device_for

from .login import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
OUT = Path(settings.BASE_DIR) / "test-results" / "e2e"
PASSWORD = "Demo@2026"
PDF = _demo_pdf("Evidence")


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium).")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


class Journey:
    def __init__(self, browser, base: str) -> None:
        self.browser = browser
        self.base = base
        self.pages = {}

    def as_user(self, username: str, *, phone: bool = False):
        key = (username, phone)
        if key not in self.pages:
            viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
            context = self.browser.new_context(
                viewport=viewport, locale="zh-CN", accept_downloads=True
            )
            page = context.new_page()
            page.set_default_timeout(20_000)
            if username:
                log_in(page, self.base, username, PASSWORD)
            self.pages[key] = page
        return self.pages[key]

    def renewed(self) -> "Journey":
        """A new set of browser contexts: after the clock moves, the old sessions have
        expired."""
        for page in self.pages.values():
            page.context.close()
        return Journey(self.browser, self.base)

    @contextmanager
    def step(self, name: str, page):
        try:
            yield
        except BaseException:
            page.screenshot(path=str(OUT / f"failed-{name}.png"), full_page=True)
            (OUT / f"failed-{name}.html").write_text(page.content(), encoding="utf-8")
            raise

    def shot(self, page, name: str) -> None:
        page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)

    @staticmethod
    def message(page) -> str:
        box = page.locator(".messages")
        return box.inner_text() if box.count() else ""


def confirm(page, action: str, bureau: str = "哈尔滨市道里区司法局") -> None:
    """The confirmation asked before an irreversible-looking action names the bureau."""
    dialog = page.locator("#confirm-dialog")
    dialog.wait_for(state="visible")
    text = page.locator("#confirm-dialog-text").inner_text()
    assert bureau in text, text
    assert action in text, text
    # Confirmed, the form is sent: wait for the page it leads to.
    with page.expect_navigation():
        page.click("#confirm-dialog-ok")


def _evaluators() -> dict[str, str]:
    """An evaluator per division (usernames), besides the cast's two."""
    names = {}
    for division in Division.objects.all():
        user = UserFactory(username=f"e2e_{division.code}", full_name=f"{division.name}考评员")
        membership_grant(user=user, role="evaluator", division=division, by=SystemActor.LOADER)
        otp_device_for(user)
        names[division.code] = user.username
    return names


def test_the_whole_campaign_through_the_browser(browser, live_server, cast, clock, tmp_path):
    journey = Journey(browser, live_server.url)
    evaluators = _evaluators()
    year = datetime.date.today().year + 1
    version = CriteriaVersion.objects.get(name="2017年试行版")

    # 1. The campaign office opens the cycle.
    office = journey.as_user(cast.office.username)
    with journey.step("open-cycle", office):
        office.goto(live_server.url + "/applications/cycles/")
        office.fill("#id_year", str(year))
        office.select_option("#id_criteria_version", str(version.pk))
        office.fill("#id_legal_aid_provincial_average", "120")
        office.click("main form button:has-text('创建')")
        office.click("button:has-text('开启')")
        assert f"{year}创建年度已开启，其标准版本现已冻结。" in journey.message(office)
        journey.shot(office, "office-cycles")

    # 2. The county applicant fills the form, the self-assessment, the indicators, evidence.
    applicant = journey.as_user(cast.county_a_applicant.username)
    with journey.step("fill", applicant):
        applicant.goto(live_server.url + "/applications/")
        applicant.click("main form button[type=submit]")
        application_url = applicant.url
        applicant.goto(application_url + "form/")
        for field, value in {
            "head_name": "周正言",
            "contact_name": "林晓申",
            "contact_phone": "0451-88886666",
            "staff_authorized": "40",
            "staff_actual": "38",
            "judicial_office_count": "9",
            "legal_service_office_count": "6",
            "summary": "按照创建标准逐项落实。",
        }.items():
            applicant.fill(f"#id_{field}", value)
        applicant.click("main form button:has-text('保存')")
        indicators = {i.pk: i for i in Indicator.objects.filter(item__section__version=version)}
        for number in range(1, 8):
            applicant.goto(f"{application_url}sections/{number}/")
            for radio in applicant.locator("input[type=radio][value=met]").all():
                radio.check()
            for form in applicant.locator("form.indicator-form").all():
                pk = int(form.get_attribute("action").rstrip("/").split("/")[-1])
                for name, value in example_figures(
                    indicators[pk], {"legal_aid_provincial_average": "120"}
                ).items():
                    form.locator(f"input[name={name}]").fill(value)
            applicant.wait_for_load_state("networkidle")
        applicant.goto(f"{application_url}sections/1/")
        applicant.locator("#item-1\\.1 input[type=file]").set_input_files(
            files=[{"name": "领导班子材料.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        applicant.click("#item-1\\.1 .evidence-upload button")
        assert "已上传" in journey.message(applicant)
        applicant.goto(f"{application_url}sections/2/")
        assert applicant.locator(".result-met").count() >= 10  # the checks, shown at once
        journey.shot(applicant, "county-section")

    # 3. The head submits with the pledge.
    head = journey.as_user(cast.county_a_head.username)
    with journey.step("submit", head):
        head.goto(application_url + "submit/")
        head.check("#id_pledge")
        head.check("#id_acknowledged")
        head.click("main form button[type=submit]")
        assert "已提交" in journey.message(head)
        journey.shot(head, "county-head-application")

    # 4. The city returns it with a comment; the county fixes and resubmits.
    pk = application_url.rstrip("/").split("/")[-1]
    reviewer = journey.as_user(cast.city_a_reviewer.username)
    with journey.step("return", reviewer):
        reviewer.goto(live_server.url + "/review/")
        journey.shot(reviewer, "city-dashboard")
        reviewer.goto(f"{live_server.url}/review/applications/{pk}/")
        reviewer.fill("#item-3\\.2 textarea", "请补充错证率台账")
        reviewer.check("input[name=decision][value=return]")
        reviewer.fill("#id_reasons", "材料不全")
        reviewer.click("button:has-text('登记初审结论')")
        confirm(reviewer, "退回")
        assert "已记录" in journey.message(reviewer)
    with journey.step("resubmit", head):
        applicant.goto(f"{application_url}sections/3/")
        assert "请补充错证率台账" in applicant.content()
        head.goto(application_url + "submit/")
        head.check("#id_pledge")
        head.check("#id_acknowledged")
        head.click("main form button[type=submit]")
        assert "已提交" in journey.message(head)

    # 5. The city approves, records the Party meeting and forwards.
    with journey.step("approve", reviewer):
        reviewer.goto(f"{live_server.url}/review/applications/{pk}/")
        reviewer.check("input[name=decision][value=approve]")
        reviewer.click("button:has-text('登记初审结论')")
        confirm(reviewer, "初审通过")
    with journey.step("stamped-form", head):
        head.goto(application_url)
        head.set_input_files(
            "#file-form",
            files=[{"name": "盖章申报表.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        head.click("form.evidence-upload button[type=submit]")
        assert "盖章申报表.pdf" in journey.message(head)
    city_head = journey.as_user(cast.city_a_head.username)
    with journey.step("sign-off-and-forward", city_head):
        city_head.goto(live_server.url + "/review/meetings/")
        city_head.select_option("#id_meeting_kind", "party_group")
        city_head.fill("#id_held_on", datetime.date.today().isoformat())
        city_head.fill("#id_minutes_number", "哈司党组〔E2E〕1号")
        city_head.set_input_files(
            "#id_minutes",
            files=[{"name": "纪要.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        city_head.select_option(f"#id_outcome_{pk}", "approved")
        city_head.click("main form button[type=submit]")
        city_head.goto(live_server.url + "/review/forward/")
        city_head.fill("#id_letter_number", "哈司函〔E2E〕1号")
        city_head.click("main form button[type=submit]")
        assert "已向省司法厅上报1份申报" in journey.message(city_head)

    # 6. The office assigns every section; the evaluators score and sign them.
    with journey.step("assign", office):
        office.goto(live_server.url + "/review/province/assignments/")
        owners = {s.number: s.owners.order_by("order").first() for s in version.sections.all()}
        for number, division in owners.items():
            office.select_option("#bulk-section", str(number))
            office.select_option("#bulk-division", str(division.pk))
            office.click("form:has(#bulk-section) button[type=submit]")
        journey.shot(office, "office-assignments")
    for number, division in owners.items():
        evaluator = journey.as_user(evaluators[division.code])
        with journey.step(f"score-{number}", evaluator):
            evaluator.goto(live_server.url + "/review/province/sheets/")
            evaluator.click(f"a:has-text('{number}. ')")
            for radio in evaluator.locator("input[type=radio][value=met]").all():
                radio.check()
            evaluator.click("button[name=sign]")
            assert "已签署" in journey.message(evaluator)
    journey.shot(evaluator, "evaluator-sheet")

    # 7. The office confirms the written review, schedules the visit; the team records it.
    with journey.step("written-result", office):
        office.goto(f"{live_server.url}/review/province/applications/{pk}/result/")
        office.click("button[value=pass]")
        confirm(office, "书面审查合格")
        office.goto(live_server.url + "/review/province/ranking/")
        journey.shot(office, "office-ranking")
        # The visit is made today: its result cannot be recorded before the visit's date.
        visit = datetime.date.today()
        office.goto(live_server.url + "/review/province/inspections/")
        office.select_option("#id_application", index=1)
        office.fill("#id_visit_date", visit.isoformat())
        office.check("label:has-text('厅办公室考评员') input")
        office.click("main form button[type=submit]")
        assert "已安排" in journey.message(office)
    inspector = journey.as_user(evaluators["general_office"], phone=True)
    with journey.step("inspect", inspector):
        inspector.goto(f"{live_server.url}/review/province/inspections/?month={visit:%Y-%m}")
        inspector.click("a:has-text('道里区')")
        inspector.check("input[name=result][value=passed]")
        inspector.fill("#id_summary", "现场核查属实")
        inspector.click("main form button[type=submit]")
        assert "已登记" in journey.message(inspector)
        journey.shot(inspector, "inspector-phone")

    # 8. The Party committee decides, and the office puts the bureau on public notice (公示)
    # for one working day from today; the designate page says when it closes.
    with journey.step("decide-and-notice", office):
        office.goto(live_server.url + "/review/province/decisions/")
        assert "13" in office.locator("#quota-title + dl").inner_text()
        office.select_option(f"#id_decision_{pk}", "approved")
        office.fill("#id_held_on", datetime.date.today().isoformat())
        office.fill("#id_number", "厅党委〔E2E〕1号")
        office.set_input_files(
            "#id_minutes",
            files=[{"name": "纪要.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        office.click("main form button[type=submit]")
        office.goto(live_server.url + "/designations/notices/open/")
        office.check(f"input[name=applications][value='{pk}']")
        office.fill("#id_starts_on", datetime.date.today().isoformat())
        office.fill("#id_working_days", "1")
        office.fill("#id_contact_office", "省司法厅示范创建办公室")
        office.fill("#id_contact_phone", "0451-00000001")
        office.click("main form button[type=submit]")
        notice = PublicNotice.objects.get()
        assert notice.closes_on.isoformat() in journey.message(office)
        office.goto(live_server.url + "/designations/designate/")
        assert f"{notice.starts_on:%Y-%m-%d}至{notice.closes_on:%Y-%m-%d}" in office.content()

    # 8a. The day after the window closed the office designates and downloads the certificate.
    clock.to(
        timezone.make_aware(
            datetime.datetime.combine(
                notice.closes_on + datetime.timedelta(days=1), datetime.time(9, 0)
            )
        )
    )
    journey = journey.renewed()
    office = journey.as_user(cast.office.username)
    with journey.step("designate", office):
        office.goto(live_server.url + "/designations/designate/")
        office.click("main form button[type=submit]")
        confirm(office, "命名为示范司法局")
        assert "已命名" in journey.message(office)
        designation = Designation.objects.get(application_id=int(pk))
        office.goto(f"{live_server.url}/designations/{designation.pk}/")
        with office.expect_download() as download:
            office.click("text=证书（PDF）")
        certificate = tmp_path / "certificate.pdf"
        download.value.save_as(certificate)
        text = text_of(certificate)
        assert "哈尔滨市道里区司法局" in text
        assert designation.verification_code in text
        # The certificate's QR code, read from the printed page, leads to its verification page.
        (qr_url,) = _qr_codes(certificate)
        verify_path = qr_url.removeprefix(settings.SITE_URL)
        assert verify_path == f"/public/verify/{designation.verification_code}/"
        journey.shot(office, "office-designation")

    # 9. Published, the bureau appears on /public/ without logging in.
    public = journey.as_user("")
    with journey.step("publish", office):
        public.goto(live_server.url + "/public/")
        assert "哈尔滨市道里区司法局" not in public.content()
        office.goto(live_server.url + "/designations/publish/")
        office.fill("#docno", "黑司通〔E2E〕1号")
        office.click("main form button:has-text('公布')")
        public.goto(live_server.url + "/public/")
        assert "哈尔滨市道里区司法局" in public.content()
        journey.shot(public, "public-list")

    # 9a. Anyone who scans the certificate sees the title held.
    with journey.step("verify-held", public):
        public.goto(live_server.url + verify_path)
        assert "称号有效" in public.locator("#verify-standing").inner_text()

    # 10. Three years later the re-inspection is due; a revocation removes the bureau.
    with journey.step("three-years-later", office):
        # The clock moves three years on; the daily job runs that morning.
        three_years_on = designation.designated_on.replace(year=designation.designated_on.year + 3)
        with time_machine.travel(
            datetime.datetime.combine(three_years_on, datetime.time(8, 10)), tick=False
        ):
            reinspection_jobs()
        office.goto(f"{live_server.url}/designations/{designation.pk}/")
        assert "待复检" in office.locator("h1").inner_text()
        office.fill("#rv-note", "发生违法违纪行为并造成不良社会影响")
        office.fill("#rv-decision", "黑司发〔E2E〕1号")
        office.click("button:has-text('撤销称号')")
        confirm(office, "撤销")
        assert "已撤销" in office.locator("h1").inner_text()
        public.goto(live_server.url + "/public/")
        assert "哈尔滨市道里区司法局" not in public.content()
        office.goto(live_server.url + "/designations/dashboard/")
        journey.shot(office, "office-dashboard")

    # 10a. The same QR code now says the title was revoked, and when.
    with journey.step("verify-revoked", public):
        public.goto(live_server.url + verify_path)
        standing = public.locator("#verify-standing").inner_text()
        assert "称号已撤销" in standing
        assert "称号有效" not in standing


def _qr_codes(pdf: Path) -> list[str]:
    """The QR codes on the PDF's first page, as a phone reads them."""
    import zxingcpp
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(Image.open(png_of(pdf, dpi=200)))]
