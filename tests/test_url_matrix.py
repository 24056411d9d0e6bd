"""Every URL pattern, every role: the expected answer (200, login redirect, 403, 404, 405).

A test fails when the project has a URL pattern that the matrix does not cover. Another bureau's
object is a 404; someone who may look but not act gets 403; state changes refuse GET (405) and
require the CSRF token.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Evidence
from applications.services import application_create, evidence_add
from core.dates import add_years
from core.storage import private_read
from designations.batches import certificate_batch_start
from designations.jobs import reinspection_jobs
from designations.services import designation_record_historical
from evaluation.decisions import provincial_meeting_record
from evaluation.enums import InspectionResult
from evaluation.inspections import inspection_record, inspection_schedule
from evaluation.written_review import evaluator_assign, score_sheets_ensure
from notices.services import objection_submit, public_notice_open
from organizations.models import Bureau
from portal.demo import application_fill_example
from reinspections.rectifications import (
    rectification_file_add,
    rectification_order,
    rectification_submit,
)
from reinspections.rounds import reinspection_open
from review.models import ForwardingBatch, PartyMeeting
from review.services import forwarding_scan_add
from standards.models import Indicator
from tests.applications.files import JPEG, PDF
from tests.clients import PortalClient
from tests.conftest import cast_make, cycle_make, rows_for_the_module
from tests.states import actor, reach

pytestmark = pytest.mark.django_db

ROLES = {
    "anon": None,
    "ca": "county_a_applicant",
    "ch": "county_a_head",
    "ca2": "county_a2_applicant",
    "cb": "county_b_applicant",
    "cr": "city_a_reviewer",
    "chd": "city_a_head",
    "crb": "city_b_reviewer",
    "of": "office",
    "ev": "evaluator_publicity",
    "eg": "evaluator_grassroots",
    "sa": "sysadmin",
    "sec": "secadmin",
    "aud": "auditadmin",
}
LOGGED = [r for r in ROLES if r != "anon"]
LOGIN = "login"  # a redirect to the log-in page


def _an_indicator(application) -> int:
    version = application.cycle.criteria_version
    return Indicator.objects.filter(item__section__version=version).first().pk


@dataclass
class World:
    ids: dict = field(default_factory=dict)
    # What each file view serves: the bytes stored (a photo is stored re-encoded).
    files: dict = field(default_factory=dict)


def _application_ids(application, evidence, item) -> dict:
    """The ids of an application's URLs: it, one evidence file, its item and section (5)."""
    return {
        "a": application.pk,
        "evidence": evidence.pk,
        "section": 5,
        "item": item.pk,
        "indicator": _an_indicator(application),
    }


def _pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


def _world_build(cast, cycle) -> World:
    """One of everything a URL can point at, in states that make the answers telling, each
    reached through the services and with its file really stored: an allowed download is a
    200 with the bytes, a refused one a 404."""
    a = application_create(
        cycle=cycle, county=Bureau.objects.get(code="230102"), by=cast.county_a_head
    )
    application_fill_example(a, by=cast.county_a_head)
    item = a.cycle.criteria_version.sections.get(number=5).items.first()
    evidence = evidence_add(application=a, item=item, upload=_pdf(), by=cast.county_a_head)
    a = reach(a, ApplicationState.FORWARDED)
    meeting = PartyMeeting.objects.get(sign_offs__application=a)
    batch = ForwardingBatch.objects.get(applications=a)
    scan = forwarding_scan_add(batch=batch, upload=_pdf("盖章.pdf"), by=cast.city_a_head)
    sheets = score_sheets_ensure(application=a)
    sheet = next(s for s in sheets if s.section.number == 5)
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    county = Bureau.objects.get(code="230103")
    w = reach(
        application_create(cycle=cycle, county=county, by=actor("county_head", bureau=county)),
        ApplicationState.WRITTEN_PASSED,
    )
    inspection = inspection_schedule(
        application=w,
        visit_date=date(2026, 11, 20),
        team=[cast.evaluator_publicity],
        itinerary="",
        by=cast.office,
    )
    inspection_record(
        inspection=inspection,
        by=cast.evaluator_publicity,
        findings={},
        result=InspectionResult.PASSED,
        summary="现场核查",
        photos=[SimpleUploadedFile("现场.jpg", JPEG)],
    )
    photo = inspection.photos.get()
    designation = designation_record_historical(
        bureau=Bureau.objects.get(code="230202"),
        number="黑司示〔2026〕1号",
        designated_on=date(2026, 12, 1),
        document_number="1号",
        published_on=date(2026, 12, 1),
        by=cast.office,
    )
    certificates = certificate_batch_start(cycle=cycle, by=cast.office)
    # A title from the paper register fallen due, and its re-inspection round open.
    fallen_due = designation_record_historical(
        bureau=Bureau.objects.get(code="230203"),
        number="黑司示〔2023〕2号",
        designated_on=add_years(timezone.localdate(), -3) - timedelta(days=1),
        document_number="2号",
        published_on=add_years(timezone.localdate(), -3) - timedelta(days=1),
        by=cast.office,
    )
    reinspection_jobs()
    reinspection = reinspection_open(
        designation=fallen_due, deadline=timezone.localdate() + timedelta(days=30), by=cast.office
    )
    # County A's older title, found below the standard: its report of one file, submitted.
    older = designation_record_historical(
        bureau=Bureau.objects.get(code="230102"),
        number="黑司示〔2023〕1号",
        designated_on=date(2023, 1, 10),
        document_number="5号",
        published_on=date(2023, 1, 10),
        by=cast.office,
    )
    reinspection_jobs(today=date(2026, 1, 10))
    rectification = rectification_order(
        designation=older,
        deadline=timezone.localdate() + timedelta(days=60),
        requirements=["落实普法责任制"],
        by=cast.office,
    )
    rectification_file = rectification_file_add(
        requirement=rectification.requirements.get(),
        upload=_pdf("整改报告.pdf"),
        role="report",
        by=cast.county_a_head,
    )
    rectification_submit(rectification=rectification, by=cast.county_a_head)
    # 南岗区, inspected and passed, approved by the Party committee and put on public notice
    # (a window of 2026-12: the seeded calendar covers it), with one objection and its file.
    provincial_meeting_record(
        cycle=cycle,
        by=cast.office,
        held_on=date(2026, 12, 1),
        number="厅党委〔2026〕9号",
        minutes_upload=_pdf("纪要.pdf"),
        decisions={w.pk: ("approved", "超出名额的理由")},
    )
    with time_machine.travel(date(2026, 12, 1), tick=False):
        notice = public_notice_open(
            cycle=cycle,
            applications=[w],
            starts_on=date(2026, 12, 1),
            contact_office="示范创建办公室",
            contact_phone="0451-12345678",
            by=cast.office,
        )
        objection = objection_submit(
            notice=notice,
            application=w,
            name="张三",
            phone="13800000001",
            facts="反映的问题经过与事实。",
            attachment=_pdf("异议材料.pdf"),
        )
    return World(
        ids={
            **_application_ids(a, evidence, item),
            "meeting": meeting.pk,
            "batch": batch.pk,
            "scan": scan.pk,
            "sheet": sheet.pk,
            "inspection": inspection.pk,
            "photo": photo.pk,
            "designation": designation.pk,
            "publication": designation.publication_id,
            "code": designation.verification_code,
            "certificates": certificates.pk,
            "reinspection": reinspection.pk,
            "rectification": rectification.pk,
            "rectification_file": rectification_file.pk,
            "cycle": cycle.pk,
            "version": cycle.criteria_version_id,
            "notice": notice.pk,
            "objection": objection.pk,
            "calendar_year": 2026,
        },
        files={
            "applications:evidence_download": PDF,
            "review:minutes": PDF,
            "review:scan": PDF,
            "evaluation:inspection_photo": private_read(photo.stored_name),
            "reinspections:rectification_file": PDF,
            "notices:objection_attachment": PDF,
        },
    )


@pytest.fixture(scope="module")
def _made_once(django_db_blocker, object_store):
    """The cast and the world, made once for the module's tests (each test's changes are
    rolled back after it, the world's when the module ends)."""

    def build():
        cast = cast_make()
        return cast, _world_build(cast, cycle_make())

    yield from rows_for_the_module(django_db_blocker, object_store, build)


@pytest.fixture
def cast(_made_once, db):
    return _made_once[0]


@pytest.fixture
def world(_made_once, db) -> World:
    return _made_once[1]


def expect(default, anon=LOGIN, **roles) -> dict:
    answers = dict.fromkeys(LOGGED, default)
    answers.update(roles)
    answers["anon"] = anon
    return answers


VIS_A = {"ca": 200, "ch": 200, "cr": 200, "chd": 200, "of": 200, "ev": 200}
A_WRITE_SEEN = {"ca": 403, "ch": 403, "cr": 403, "chd": 403, "of": 403, "ev": 403}
CITY = {"cr": 200, "chd": 200, "crb": 200}
CITY_HEAD_ONLY = {"chd": 200, "crb": 403, "cr": 403}
OFFICE = {"of": 200}
# The roles that are offered a second factor and, in the matrix's cast, have none.
NO_SECOND_FACTOR = {"ca": 200, "ch": 200, "ca2": 200, "cb": 200, "cr": 200, "crb": 200}

# name: (method, kwargs from the world, answers)
MATRIX = {
    "home": ("get", {}, expect(200)),
    "healthz": ("get", {}, expect(200, anon=200)),
    "csp_report": ("post", {}, expect(400, anon=400)),  # an empty body is not a report
    "todo_badge": ("get", {}, expect(200)),
    "progress": ("get", {}, expect(403, **CITY, **OFFICE)),
    "progress_xlsx": ("get", {}, expect(403, **CITY, **OFFICE)),
    "login": ("get", {}, expect(302, anon=200)),  # signed in: straight to the home page
    "logout": ("post", {}, expect(302, anon=302)),
    "password_change": ("get", {}, expect(200)),
    # Past the second factor already: back to the home page (a county user without a device
    # is offered the enrolment).
    "otp_verify": ("get", {}, expect(302)),
    "otp_enrol": ("get", {}, expect(302, **NO_SECOND_FACTOR)),
    "otp_recovery_codes": ("get", {}, expect(302)),  # shown once, right after the enrolment
    "otp_status": ("get", {}, expect(200)),
    # No code sent: the form's error (nothing renewed); without a second factor, the status.
    "otp_recovery_renew": ("post", {}, expect(400, **dict.fromkeys(NO_SECOND_FACTOR, 302))),
    "audit:trail": ("get", {}, expect(403, aud=200)),
    "audit:trail_xlsx": ("get", {}, expect(403, aud=200)),
    "password_change_done": ("get", {}, expect(200)),
    "set_language": ("post", {}, expect(302, anon=302)),
    "inbox": ("get", {}, expect(200)),
    "inbox_read": ("post", {}, expect(302)),
    "public_list": ("get", {}, expect(200, anon=200)),
    "public_xlsx": ("get", {}, expect(200, anon=200)),
    "public_pdf": ("get", {}, expect(200, anon=200)),
    "public_verify": ("get", {}, expect(200, anon=200)),
    "public_verify_code": ("get", {"code": "code"}, expect(200, anon=200)),
    "public_notices:list": ("get", {}, expect(200, anon=200)),
    "public_notices:object": ("get", {"pk": "notice"}, expect(200, anon=200)),
    "public_notices:lookup": ("get", {}, expect(200, anon=200)),
    "notices:list": ("get", {}, expect(403, **OFFICE)),
    "notices:open": ("get", {}, expect(403, **OFFICE)),
    "notices:detail": ("get", {"pk": "notice"}, expect(403, **OFFICE)),
    "notices:objection": ("get", {"pk": "objection"}, expect(403, **OFFICE)),
    "notices:objection_attachment": ("get", {"pk": "objection"}, expect(403, **OFFICE)),
    "notices:calendar": ("get", {}, expect(403, **OFFICE)),
    "notices:calendar_year": ("get", {"year": "calendar_year"}, expect(403, **OFFICE)),
    "standards:version_list": ("get", {}, expect(200)),
    "standards:version_detail": ("get", {"pk": "version"}, expect(200)),
    "applications:list": ("get", {}, expect(200)),
    "applications:create": ("post", {}, expect(403, ca=302, ch=302, ca2=302, cb=302)),
    "applications:detail": ("get", {"pk": "a"}, expect(404, **VIS_A)),
    "applications:form": ("get", {"pk": "a"}, expect(404, **VIS_A)),
    "applications:section": ("get", {"pk": "a", "number": "section"}, expect(404, **VIS_A)),
    "applications:completeness": ("get", {"pk": "a"}, expect(404, **VIS_A)),
    "applications:pdf": ("get", {"pk": "a"}, expect(404, **VIS_A)),
    "applications:docx": ("get", {"pk": "a"}, expect(404, **VIS_A)),
    "applications:assessment": (
        "post",
        {"pk": "a", "item_id": "item"},
        expect(404, **A_WRITE_SEEN),
    ),
    "applications:figure": (
        "post",
        {"pk": "a", "indicator_id": "indicator"},
        expect(404, **A_WRITE_SEEN),
    ),
    "applications:evidence_upload": ("post", {"pk": "a"}, expect(404, **A_WRITE_SEEN)),
    "applications:evidence_download": (
        "get",
        {"pk": "a", "evidence_id": "evidence"},
        expect(404, **VIS_A),
    ),
    "applications:evidence_remove": (
        "post",
        {"pk": "a", "evidence_id": "evidence"},
        expect(404, **A_WRITE_SEEN),
    ),
    "applications:submit": ("get", {"pk": "a"}, expect(404, **A_WRITE_SEEN)),
    # The head may withdraw, but not once forwarded: a message and back (302); others 403.
    "applications:withdraw": ("post", {"pk": "a"}, expect(404, **{**A_WRITE_SEEN, "ch": 302})),
    # Undoing a slip: without an action and a reason the form says what is missing (400) to
    # those who see the application; the role and the state are tested in applications/test_undo.
    "applications:undo": ("post", {"pk": "a"}, expect(404, **dict.fromkeys(VIS_A, 400))),
    "applications:cycle_list": ("get", {}, expect(200)),
    "applications:cycle_create": ("post", {}, expect(403, of=400)),
    "applications:cycle_transition": ("post", {"pk": "cycle", "to": "closed"}, expect(403, of=302)),
    # Without a deadline the form says what is missing (400), on the cycles page.
    "applications:county_deadline": ("post", {"pk": "cycle"}, expect(403, chd=400)),
    "review:dashboard": ("get", {}, expect(403, **CITY)),
    "review:application": (
        "get",
        {"pk": "a"},
        expect(404, **{**VIS_A, "ca": 403, "ch": 403, "of": 403, "ev": 403}),
    ),
    "review:meetings": ("get", {}, expect(403, **CITY)),
    "review:minutes": ("get", {"pk": "meeting"}, expect(404, cr=200, chd=200, of=200)),
    "review:forward": ("get", {}, expect(403, **CITY)),
    "review:batch": ("get", {"pk": "batch"}, expect(404, cr=200, chd=200, of=200)),
    "review:cover_letter": ("get", {"pk": "batch"}, expect(404, cr=200, chd=200, of=200)),
    "review:scan_upload": ("post", {"pk": "batch"}, expect(404, cr=403, chd=302, of=403)),
    "review:scan": (
        "get",
        {"pk": "batch", "scan_id": "scan"},
        expect(404, cr=200, chd=200, of=200),
    ),
    "review:deadline_extensions": ("get", {}, expect(403, **OFFICE)),
    "evaluation:assignments": ("get", {}, expect(403, **OFFICE)),
    "evaluation:sheets_prepare": ("post", {"pk": "a"}, expect(403, of=302)),
    "evaluation:my_sheets": ("get", {}, expect(200)),
    "evaluation:sheet": ("get", {"pk": "sheet"}, expect(404, of=200, ev=200)),
    "evaluation:result": ("get", {"pk": "a"}, expect(403, of=200)),
    "evaluation:application_xlsx": ("get", {"pk": "a"}, expect(403, of=200)),
    "evaluation:ranking": ("get", {}, expect(403, **OFFICE)),
    # Nothing chosen: back to the ranking with the message.
    "evaluation:results_confirm": ("post", {}, expect(403, of=302)),
    "evaluation:ranking_xlsx": ("get", {}, expect(403, **OFFICE)),
    "evaluation:inspections": ("get", {}, expect(403, of=200, ev=200, eg=200)),
    "evaluation:inspection": ("get", {"pk": "inspection"}, expect(404, of=200, ev=200)),
    "evaluation:inspection_photo": (
        "get",
        {"pk": "inspection", "photo_id": "photo"},
        expect(404, of=200, ev=200),
    ),
    "evaluation:inspection_report": ("get", {"pk": "inspection"}, expect(404, of=200, ev=200)),
    "evaluation:decisions": ("get", {}, expect(403, **OFFICE)),
    "designations:register": ("get", {}, expect(403, **OFFICE)),
    "designations:designate": ("get", {}, expect(403, **OFFICE)),
    "designations:publish": ("get", {}, expect(403, **OFFICE)),
    "designations:quota": ("get", {}, expect(403, **OFFICE)),
    "designations:dashboard": ("get", {}, expect(403, **OFFICE)),
    "designations:detail": ("get", {"pk": "designation"}, expect(403, **OFFICE)),
    # The county downloads its own published certificate; another county's is not found.
    "designations:certificate": (
        "get",
        {"pk": "designation"},
        expect(403, **OFFICE, cb=200, ca=404, ch=404, ca2=404),
    ),
    "reinspections:reinspection_start": ("get", {"pk": "designation"}, expect(403, **OFFICE)),
    "reinspections:reinspection": ("get", {"pk": "reinspection"}, expect(403, **OFFICE)),
    "reinspections:reinspection_xlsx": ("get", {"pk": "reinspection"}, expect(403, **OFFICE)),
    "designations:notice": ("get", {"pk": "publication"}, expect(200, anon=200)),
    "reinspections:rectifications": (
        "get",
        {},
        expect(403, ca=200, ch=200, ca2=200, cb=200, of=200),
    ),
    "reinspections:rectification": (
        "get",
        {"pk": "rectification"},
        expect(404, ca=200, ch=200, of=200),
    ),
    "reinspections:rectification_file": (
        "get",
        {"pk": "rectification", "file_id": "rectification_file"},
        expect(404, ca=200, ch=200, of=200),
    ),
    # The report is submitted: the county is refused with a message (302), nothing removed.
    "reinspections:rectification_file_remove": (
        "post",
        {"pk": "rectification", "file_id": "rectification_file"},
        expect(404, ca=302, ch=302, of=403),
    ),
    "designations:certificate_batch_start": ("post", {}, expect(403, of=404)),  # no cycle given
    "designations:certificate_batch": ("get", {"pk": "certificates"}, expect(403, **OFFICE)),
    "designations:certificate_batch_download": (
        "get",
        {"pk": "certificates"},
        expect(403, of=404),
    ),  # not ready
}
# The views that serve a stored file: an allowed answer carries the file's bytes.
FILE_VIEWS = {
    "applications:evidence_download",
    "review:minutes",
    "review:scan",
    "evaluation:inspection_photo",
    "reinspections:rectification_file",
    "notices:objection_attachment",
}


def _project_names(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _project_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_pattern_is_in_the_matrix():
    assert set(_project_names()) - set(MATRIX) == set()
    assert set(MATRIX) - set(_project_names()) == set()


def _url(name: str, kwargs: dict, world: World) -> str:
    return reverse(name, kwargs={k: world.ids.get(v, v) for k, v in kwargs.items()})


def _check_answers(
    name: str, method: str, url: str, answers: dict, cast, data=None, files=None
) -> None:
    for role, expected in answers.items():
        client = PortalClient()
        if ROLES[role]:
            client.force_login(getattr(cast, ROLES[role]))
        response = getattr(client, method)(url, data)
        if expected == LOGIN:
            assert response.status_code == 302, (role, response.status_code)
            assert response["Location"].startswith(reverse("login")), role
        else:
            assert response.status_code == expected, (role, response.status_code)
        body = (
            b"".join(response.streaming_content)
            if hasattr(response, "streaming_content")
            else response.content
        )
        if name in FILE_VIEWS:
            # The bytes of the file to whom it is allowed, and nothing of it to anyone else.
            assert (body == files[name]) == (expected == 200), (role, expected)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_answer_of_every_role(name, world, cast):
    method, kwargs, answers = MATRIX[name]
    url = _url(name, kwargs, world)
    _check_answers(name, method, url, answers, cast, files=world.files)


# Django's own language switch answers GET with a redirect and changes nothing.
GET_TOLERATED = {"set_language"}


@pytest.mark.parametrize(
    "name", sorted(n for n, (m, _k, _a) in MATRIX.items() if m == "post" and n not in GET_TOLERATED)
)
def test_state_changes_refuse_get(name, world, cast):
    _method, kwargs, _answers = MATRIX[name]
    client = PortalClient()
    client.force_login(cast.office)
    assert client.get(_url(name, kwargs, world)).status_code == 405


# POSTs without a CSRF token: a browser's CSP violation report carries none, and changes
# nothing but a log line.
CSRF_EXEMPT = {"csp_report"}


@pytest.mark.parametrize(
    "name", sorted(n for n, (m, _k, _a) in MATRIX.items() if m == "post" and n not in CSRF_EXEMPT)
)
def test_state_changes_need_the_csrf_token(name, world, cast):
    _method, kwargs, _answers = MATRIX[name]
    client = PortalClient(enforce_csrf_checks=True)
    client.force_login(cast.office)
    response = client.post(_url(name, kwargs, world), {"x": "1"})
    assert response.status_code == 403
    assert b"CSRF" in response.content


def test_the_csrf_exempt_posts_are_only_the_csp_report(world):
    from django.urls import resolve

    exempt = set()
    for name in MATRIX:
        view = resolve(_url(name, MATRIX[name][1], world)).func
        if getattr(view, "csrf_exempt", False):
            exempt.add(name)
    assert exempt == CSRF_EXEMPT


def test_admin_is_for_staff_only(cast):
    client = PortalClient()
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    client.force_login(cast.county_a_head)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    client.force_login(cast.office)
    assert client.get(reverse("admin:index")).status_code == 200


def test_upload_views_store_nothing_for_outsiders(world, cast):
    client = PortalClient()
    client.force_login(cast.county_b_applicant)
    before = Evidence.objects.count()
    client.post(
        _url("applications:evidence_upload", {"pk": "a"}, world),
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")},
    )
    assert Evidence.objects.count() == before
