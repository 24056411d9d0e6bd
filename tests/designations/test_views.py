"""The office's designation pages: every POST, its effect, and the refusals that change nothing."""

import io
import re
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application
from audit.enums import AuditAction
from audit.models import AuditEntry
from designations.enums import DesignationAction, DesignationState, PublicationKind
from designations.models import (
    CertificateBatch,
    Designation,
    DesignationEvent,
    Publication,
)
from evaluation.decisions import decision_in_force
from organizations.models import Bureau
from reinspections.models import Rectification, RectificationRequirement
from tests.i18n import zh_html as zh

from .factories import (
    approved_application,
    at_state,
    designated,
    noticed_application,
    registered,
)

pytestmark = pytest.mark.django_db
D = DesignationState
OUTSIDERS = ["county_a_head", "city_a_head", "evaluator_publicity", "sysadmin", "nobody"]


def world() -> dict:
    """Everything a designation POST could change."""
    return {
        "designations": list(
            Designation.objects.order_by("pk").values_list(
                "pk",
                "state",
                "number",
                "publication_id",
                "reinspection_due",
                "rectification_deadline",
                "revoked_on",
                "plaque_removed_on",
                "revocation_ground",
                "revocation_decision",
            )
        ),
        "events": DesignationEvent.objects.count(),
        "rectifications": list(Rectification.objects.values_list("pk", "state")),
        "requirements": RectificationRequirement.objects.count(),
        "publications": Publication.objects.count(),
        "batches": CertificateBatch.objects.count(),
        "applications": list(Application.objects.order_by("pk").values_list("pk", "state")),
        "mail": len(mail.outbox),
    }


@pytest.fixture
def office(client, cast):
    client.force_login(cast.office)
    return client


def post(client, url, data, callbacks):
    """POST with the on-commit work (mail, tasks, cache) run as it would be after commit."""
    with callbacks(execute=True):
        return client.post(url, data)


# Designate -----------------------------------------------------------------------------


def _designate_data(approved, **changes) -> dict:
    data = {
        "application": approved.pk,
        "designated_on": "2026-12-01",
        "reward": "collective",
        "head_name": "",
    }
    return {**data, **changes}


def test_designate_page_prefills_today(office, cast, cycle):
    application = noticed_application(cycle, cast.office, "230102")
    page = office.get(reverse("designations:designate")).content.decode()
    assert application.county.name in page
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page


def test_designate_numbers_the_bureau(office, cast, cycle, django_capture_on_commit_callbacks):
    application = noticed_application(cycle, cast.office, "230102")
    response = post(
        office,
        reverse("designations:designate"),
        _designate_data(application, reward="personal", head_name=" 周正言 "),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    designation = Designation.objects.get(application=application)
    assert (designation.number, designation.designated_on) == (
        "黑司示〔2026〕1号",
        date(2026, 12, 1),
    )
    assert (designation.reward, designation.head_name) == ("personal", "周正言")
    assert designation.decision_reference == decision_in_force(application).meeting.number
    assert DesignationEvent.objects.get(designation=designation).action == DesignationAction.GRANT
    application.refresh_from_db()
    assert application.state == ApplicationState.DESIGNATED


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"designated_on": "2026-13-45"}, "Enter a valid date (YYYY-MM-DD)."),
        ({"designated_on": "1.12.2026x"}, "Enter a valid date (YYYY-MM-DD)."),
        ({"designated_on": ""}, "This field is required."),
        ({"reward": "gold"}, None),
        (
            {"reward": "personal", "head_name": "  "},
            "Name the head recommended for personal merit.",
        ),
        ({"head_name": "长" * 41}, None),
    ],
)
def test_designate_bad_input_is_a_form_error_and_records_nothing(
    office, cast, cycle, django_capture_on_commit_callbacks, changes, message
):
    application = noticed_application(cycle, cast.office, "230102")
    before = world()
    response = post(
        office,
        reverse("designations:designate"),
        _designate_data(application, **changes),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    if message:
        assert zh(message) in page
    if changes.get("designated_on"):
        assert f'value="{changes["designated_on"]}"' in page  # what was typed stays
    assert world() == before
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED


def test_a_bureau_not_yet_on_notice_is_not_designated(
    office, cast, cycle, django_capture_on_commit_callbacks
):
    application = approved_application(cycle, cast.office, "230102")
    page = office.get(reverse("designations:designate")).content.decode()
    assert zh("not yet on notice") in page
    assert reverse("notices:open") in page
    before = world()
    response = post(
        office,
        reverse("designations:designate"),
        _designate_data(application),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    message = zh(
        "%(bureau)s has not been on public notice since the Party committee approved it; "
        "it is named after a window has closed."
    ) % {"bureau": application.county.name}
    assert message in response.content.decode()
    assert world() == before
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED


def test_the_designate_page_shows_the_closed_window(office, cast, cycle):
    application = noticed_application(cycle, cast.office, "230102")
    notice = application.public_notices.get()
    page = office.get(reverse("designations:designate")).content.decode()
    assert f"{notice.starts_on:%Y-%m-%d}至{notice.closes_on:%Y-%m-%d}" in page
    assert zh("not yet on notice") not in page


def test_designating_twice_says_already_designated(
    office, cast, cycle, django_capture_on_commit_callbacks
):
    application = noticed_application(cycle, cast.office, "230102")
    url = reverse("designations:designate")
    assert post(office, url, _designate_data(application), django_capture_on_commit_callbacks)
    before = world()
    response = post(office, url, _designate_data(application), django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert zh("%(bureau)s is already designated for this application.") % {"bureau": ""} in (
        response.content.decode()
    )
    assert Designation.objects.filter(application=application).count() == 1
    assert world() == before


def test_designate_an_unknown_application_is_a_form_error(
    office, cast, cycle, django_capture_on_commit_callbacks
):
    application = noticed_application(cycle, cast.office, "230102")
    before = world()
    data = _designate_data(application, application=application.pk + 1000)
    response = post(
        office, reverse("designations:designate"), data, django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert zh("This application cannot be designated.") in response.content.decode()
    assert world() == before


@pytest.mark.parametrize("who", OUTSIDERS)
def test_designate_is_the_offices(client, cast, cycle, who, django_capture_on_commit_callbacks):
    application = noticed_application(cycle, cast.office, "230102")
    before = world()
    client.force_login(getattr(cast, who))
    response = post(
        client,
        reverse("designations:designate"),
        _designate_data(application),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 403
    assert world() == before


def test_designate_anonymous_goes_to_log_in(client, cast, cycle):
    application = noticed_application(cycle, cast.office, "230102")
    before = world()
    response = client.post(reverse("designations:designate"), _designate_data(application))
    assert response["Location"].startswith(reverse("login"))
    assert world() == before


# Publish -------------------------------------------------------------------------------


def _publish_data(*designations, **changes) -> dict:
    data = {
        "designations": [d.pk for d in designations],
        "document_number": " 黑司通〔2026〕30号 ",
        "published_on": "2026-12-05",
    }
    return {**data, **changes}


def test_publish_page_checks_the_pending_and_prefills_today(office, cast, cycle):
    designation = designated(cycle, cast.office)
    page = office.get(reverse("designations:publish")).content.decode()
    [box] = re.findall(rf'<input[^>]*value="{designation.pk}"[^>]*>', page)
    assert re.search(r"\bchecked\b", box), box
    assert 'id="docno"' in page
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page


def test_publish_publishes_the_chosen(office, cast, cycle, django_capture_on_commit_callbacks):
    first = designated(cycle, cast.office)
    second = designated(cycle, cast.office, code="230202")
    response = post(
        office,
        reverse("designations:publish"),
        _publish_data(first),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert (publication.document_number, publication.published_on) == (
        "黑司通〔2026〕30号",
        date(2026, 12, 5),
    )
    assert (publication.kind, publication.published_by) == (PublicationKind.LIST, cast.office)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.publication, second.publication) == (publication, None)
    assert "哈尔滨市道里区司法局" in office.get(reverse("public_list")).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"published_on": "2026-02-30"}, "Enter a valid date (YYYY-MM-DD)."),
        ({"published_on": ""}, "This field is required."),
        ({"document_number": "  "}, "This field is required."),
        ({"designations": []}, "Choose the designations to publish."),
        ({"designations": ["999999"]}, None),
    ],
)
def test_publish_bad_input_is_a_form_error_and_publishes_nothing(
    office, cast, cycle, django_capture_on_commit_callbacks, changes, message
):
    designation = designated(cycle, cast.office)
    before = world()
    response = post(
        office,
        reverse("designations:publish"),
        _publish_data(designation, **changes),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    page = response.content.decode()
    if message:
        assert zh(message) in page
    if changes.get("published_on"):
        assert f'value="{changes["published_on"]}"' in page
    assert world() == before
    assert "哈尔滨市道里区司法局" not in office.get(reverse("public_list")).content.decode()


def test_publish_a_used_document_number_is_refused(
    office, cast, cycle, django_capture_on_commit_callbacks
):
    first = designated(cycle, cast.office)
    second = designated(cycle, cast.office, code="230202")
    url = reverse("designations:publish")
    post(office, url, _publish_data(first), django_capture_on_commit_callbacks)
    before = world()
    response = post(office, url, _publish_data(second), django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert zh("This document number is used already.") in response.content.decode()
    assert world() == before


@pytest.mark.parametrize("who", OUTSIDERS)
def test_publish_is_the_offices(client, cast, cycle, who, django_capture_on_commit_callbacks):
    designation = designated(cycle, cast.office)
    before = world()
    client.force_login(getattr(cast, who))
    response = post(
        client,
        reverse("designations:publish"),
        _publish_data(designation),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 403
    assert world() == before


# The detail page's three actions -------------------------------------------------------


def _detail(designation) -> str:
    return reverse("designations:detail", args=[designation.pk])


def test_detail_offers_the_actions_of_the_state(office, cast):
    due = at_state(cast.office, D.REINSPECTION_DUE)
    page = office.get(_detail(due)).content.decode()
    # The re-inspection is decided on its round's page only: here, the way to open it.
    assert 'value="reinspection"' not in page
    assert 'name="passed"' not in page
    start = reverse("reinspections:reinspection_start", args=[due.pk])
    assert f'href="{start}"' in page
    assert zh("Open the re-inspection round") in page
    assert 'id="rv-note"' in page
    assert 'id="rv-decision"' in page
    revoked = at_state(cast.office, D.REVOKED, code="230202")
    page = office.get(_detail(revoked)).content.decode()
    assert zh("Open the re-inspection round") not in page
    assert 'value="revoke"' not in page


@pytest.mark.parametrize(
    "data",
    [
        {"passed": "1", "note": "合格"},
        {
            "passed": "0",
            "deadline": "2099-01-01",
            "requirements": "普法责任制未落实",
            "note": "滑坡",
        },
    ],
)
def test_the_old_quick_reinspection_decision_does_nothing(
    office, cast, django_capture_on_commit_callbacks, data
):
    designation = at_state(cast.office, D.REINSPECTION_DUE)
    before = world()
    response = post(
        office,
        _detail(designation),
        {"action": "reinspection", **data},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert zh("Unknown action.") in response.content.decode()
    assert world() == before
    designation.refresh_from_db()
    assert designation.state == D.REINSPECTION_DUE


def _revoke_data(**changes) -> dict:
    data = {
        "action": "revoke",
        "ground": "major_error",
        "note": "发生重大差错并造成不良社会影响",
        "decision": "黑司发〔2026〕7号",
        "revoked_on": "2026-11-20",
        "plaque_removed_on": "2026-11-21",
    }
    return {**data, **changes}


def test_revocation_records_the_dates_and_leaves_the_public_list(
    office, cast, django_capture_on_commit_callbacks
):
    designation = at_state(cast.office, D.ACTIVE)
    assert "哈尔滨市道里区司法局" in office.get(reverse("public_list")).content.decode()
    response = post(
        office, _detail(designation), _revoke_data(), django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    designation.refresh_from_db()
    assert designation.state == D.REVOKED
    assert (designation.revoked_on, designation.plaque_removed_on) == (
        date(2026, 11, 20),
        date(2026, 11, 21),
    )
    assert (designation.revocation_ground, designation.revocation_decision) == (
        "major_error",
        "黑司发〔2026〕7号",
    )
    assert designation.events.latest("id").note == "发生重大差错并造成不良社会影响"
    assert "哈尔滨市道里区司法局" not in office.get(reverse("public_list")).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"revoked_on": "2026-11-31"}, "Enter a valid date (YYYY-MM-DD)."),
        ({"plaque_removed_on": "tomorrow"}, "Enter a valid date (YYYY-MM-DD)."),
        ({"revoked_on": ""}, "This field is required."),
        ({"plaque_removed_on": ""}, "This field is required."),
        (
            {"plaque_removed_on": "2026-11-19"},
            "The plaque cannot be removed before the title is revoked.",
        ),
        ({"ground": "reinspection"}, None),
        ({"note": " "}, "This field is required."),
        ({"decision": ""}, "This field is required."),
    ],
)
def test_revocation_bad_input_records_nothing(
    office, cast, django_capture_on_commit_callbacks, changes, message
):
    designation = at_state(cast.office, D.ACTIVE)
    before = world()
    response = post(
        office, _detail(designation), _revoke_data(**changes), django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    page = response.content.decode()
    if message:
        assert zh(message) in page
    for name in ("revoked_on", "plaque_removed_on"):
        if changes.get(name):
            assert f'value="{changes[name]}"' in page
    if "decision" not in changes:
        assert 'value="黑司发〔2026〕7号"' in page
    assert world() == before
    assert "哈尔滨市道里区司法局" in office.get(reverse("public_list")).content.decode()


def test_an_action_not_possible_in_the_state_is_refused(
    office, cast, django_capture_on_commit_callbacks
):
    designation = at_state(cast.office, D.REVOKED)
    before = world()
    response = post(
        office, _detail(designation), _revoke_data(), django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert designation.get_state_display() in response.content.decode()
    assert world() == before
    response = post(
        office,
        _detail(designation),
        {"action": "reinspection", "passed": "1"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert world() == before


@pytest.mark.parametrize("action", ["", "promote"])
def test_an_unknown_action_is_refused(office, cast, django_capture_on_commit_callbacks, action):
    designation = at_state(cast.office, D.ACTIVE)
    before = world()
    response = post(
        office, _detail(designation), {"action": action}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert zh("Unknown action.") in response.content.decode()
    assert world() == before


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(
    ("state", "data"),
    [
        (D.REINSPECTION_DUE, {"action": "reinspection", "passed": "1"}),
        (D.RECTIFYING, _revoke_data()),
        (D.ACTIVE, _revoke_data()),
    ],
)
def test_detail_actions_are_the_offices(
    client, cast, django_capture_on_commit_callbacks, who, state, data
):
    designation = at_state(cast.office, state)
    before = world()
    client.force_login(getattr(cast, who))
    response = post(client, _detail(designation), data, django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert world() == before


def test_an_unknown_designation_is_not_found(office, cast, django_capture_on_commit_callbacks):
    before = world()
    url = reverse("designations:detail", args=[999999])
    assert office.get(url).status_code == 404
    assert post(office, url, _revoke_data(), django_capture_on_commit_callbacks).status_code == 404
    assert world() == before


# Certificate batches -------------------------------------------------------------------


def test_certificate_batch_start_renders_the_cycle(
    office, cast, cycle, django_capture_on_commit_callbacks
):
    designated(cycle, cast.office)
    response = post(
        office,
        reverse("designations:certificate_batch_start"),
        {"cycle": cycle.pk},
        django_capture_on_commit_callbacks,
    )
    batch = CertificateBatch.objects.get()
    assert response["Location"] == reverse("designations:certificate_batch", args=[batch.pk])
    assert (batch.state, batch.total, batch.done, batch.requested_by) == (
        CertificateBatch.State.DONE,
        1,
        1,
        cast.office,
    )
    entry = AuditEntry.objects.get(action=AuditAction.CERTIFICATE_BATCH_START)
    assert (entry.object_id, entry.actor, entry.ip) == (str(batch.pk), cast.office, "127.0.0.1")


def test_certificate_batch_start_refuses_get(office, cycle):
    assert office.get(reverse("designations:certificate_batch_start")).status_code == 405
    assert not CertificateBatch.objects.exists()


@pytest.mark.parametrize("cycle_id", ["", "999999", "x"])
def test_certificate_batch_of_an_unknown_cycle_is_not_found(
    office, cycle, django_capture_on_commit_callbacks, cycle_id
):
    before = world()
    response = post(
        office,
        reverse("designations:certificate_batch_start"),
        {"cycle": cycle_id},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 404
    assert world() == before


@pytest.mark.parametrize("who", OUTSIDERS)
def test_certificate_batch_start_is_the_offices(
    client, cast, cycle, who, django_capture_on_commit_callbacks
):
    before = world()
    client.force_login(getattr(cast, who))
    response = post(
        client,
        reverse("designations:certificate_batch_start"),
        {"cycle": cycle.pk},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 403
    assert world() == before


def test_a_batch_not_ready_is_not_downloaded(office, cast, cycle):
    from designations.batches import certificate_batch_start

    batch = certificate_batch_start(cycle=cycle, by=cast.office)  # queued, not yet run
    url = reverse("designations:certificate_batch_download", args=[batch.pk])
    assert office.get(url).status_code == 404
    fragment = office.get(
        reverse("designations:certificate_batch", args=[batch.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" in fragment  # still polling


# Query counts: the same with one row and with many (N+1 guards) ------------------------


def _register_rows(office_user, n: int) -> None:
    counties = Bureau.objects.filter(level="county").order_by("code").values_list("code", flat=True)
    for index, code in enumerate(counties[:n], start=1):
        registered(office_user, code, f"黑司示〔2023〕{index}号", date(2023, 1, 10))


@pytest.mark.parametrize("rows", [1, 55])
def test_register_query_count(office, cast, rows, django_assert_num_queries):
    _register_rows(cast.office, rows)
    # Session, user, the second factor's device, memberships, unread notices, the count and the
    # page of designations; the session touched.
    with django_assert_num_queries(10):
        page = office.get(reverse("designations:register")).content.decode()
    assert page.count('<span class="badge designation-active">') == min(rows, 50)


def test_register_is_paged_by_fifty_with_the_total(office, cast):
    _register_rows(cast.office, 55)
    first = office.get(reverse("designations:register")).content.decode()
    assert "55" in first
    assert first.count('<span class="badge designation-active">') == 50
    second = office.get(reverse("designations:register"), {"page": 2}).content.decode()
    assert second.count('<span class="badge designation-active">') == 5


@pytest.mark.parametrize("rows", [1, 15])
def test_public_list_query_count(client, cast, rows, django_assert_num_queries):
    _register_rows(cast.office, rows)
    # The designations, the cities, the latest publications.
    with django_assert_num_queries(3):
        page = client.get(reverse("public_list")).content.decode()
    assert page.count('<li class="list-group-item d-flex justify-content-between">') == rows
    with django_assert_num_queries(0):  # cached until the next publication or revocation
        client.get(reverse("public_list"))


def test_register_is_searched_by_bureau_name_code_or_number(office, cast):
    _register_rows(cast.office, 3)
    designations = list(Designation.objects.select_related("bureau").order_by("bureau__code"))
    wanted = designations[1]
    by_name = office.get(reverse("designations:register"), {"q": wanted.bureau.name[-6:]})
    assert by_name.status_code == 200
    body = by_name.content.decode()
    assert wanted.number in body
    assert designations[0].number not in body
    by_code = office.get(reverse("designations:register"), {"q": wanted.bureau.code}).content
    assert wanted.number in by_code.decode()
    assert designations[2].number not in by_code.decode()
    by_number = office.get(reverse("designations:register"), {"q": "〔2023〕3号"}).content.decode()
    assert designations[2].number in by_number
    assert designations[0].number not in by_number
    # The search kept in the pager's links and the form.
    assert f'value="{wanted.bureau.code}"' in by_code.decode()


@pytest.mark.parametrize("data", [{"state": "nope"}, {"q": "x" * 61}])
def test_register_refuses_a_bad_filter(office, cast, data):
    _register_rows(cast.office, 1)
    response = office.get(reverse("designations:register"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "invalid-feedback" in body
    assert '<span class="badge designation-active">' not in body


def test_public_workbook_is_cached_until_the_next_publication(
    client, cast, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from openpyxl import load_workbook

    from audit.models import AuditEntry

    _register_rows(cast.office, 2)
    first = client.get(reverse("public_xlsx")).content
    # Cached: no designation is read, only the download's audit entry is written (in a
    # savepoint: the chain's lock, its last hash, the row).
    with django_assert_num_queries(5):
        again = client.get(reverse("public_xlsx"))
    assert again.content == first
    assert AuditEntry.objects.filter(action=AuditAction.PUBLIC_LIST_EXPORT).count() == 2
    # A revocation bumps the version: the next download leaves the revoked bureau out.
    designation = Designation.objects.select_related("bureau").order_by("bureau__code").first()
    with django_capture_on_commit_callbacks(execute=True):
        from designations.services import designation_revoke

        designation_revoke(
            designation=designation,
            by=cast.office,
            ground="violation",
            decision="黑司〔2027〕1号",
            revoked_on=date(2027, 3, 1),
            plaque_removed_on=date(2027, 3, 2),
            note="弄虚作假",
        )
    fresh = load_workbook(io.BytesIO(client.get(reverse("public_xlsx")).content)).active
    names = [row[2] for row in fresh.iter_rows(min_row=3, values_only=True)]
    assert designation.bureau.name not in names
    assert len(names) == 1
