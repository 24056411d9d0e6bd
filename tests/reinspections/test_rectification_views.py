"""The rectification pages: the county uploads per requirement and its head submits; the office
judges each requirement and concludes; another bureau's rectification is a 404; refused input
comes back with its message and stores nothing; the list pages' query counts are fixed."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from audit.enums import AuditAction
from audit.models import AuditEntry
from designations.enums import DesignationState as D
from organizations.models import Bureau, Division
from reinspections.enums import RectificationState as R
from reinspections.models import RectificationFile
from tests.applications.files import PDF
from tests.designations.factories import at_state
from tests.i18n import zh_html as zh
from tests.states import nothing_moves

from .test_rectifications import IN_TIME, ONE_SECOND_LATER, judged, ordered, reported

pytestmark = pytest.mark.django_db


def _page(rectification) -> str:
    return reverse("reinspections:rectification", args=[rectification.pk])


def _as(client, user):
    client.force_login(user)
    return client


def _upload(requirement, content=PDF, name="整改报告.pdf", role="report") -> dict:
    return {
        "action": "upload",
        "requirement": requirement.pk,
        "role": role,
        "file": SimpleUploadedFile(name, content),
    }


def test_the_county_sees_its_requirements_and_uploads(client, cast):
    rectification = ordered(cast)
    _as(client, cast.county_a_applicant)
    with time_machine.travel(IN_TIME, tick=False):
        page = client.get(_page(rectification)).content.decode()
        assert "落实“谁执法谁普法”责任清单" in page
        assert page.count('name="file"') == 2
        # The applicant uploads but does not submit.
        assert 'value="submit"' not in page
        requirement = rectification.requirements.get(position=2)
        response = client.post(_page(rectification), _upload(requirement, role="evidence"))
    assert response.status_code == 302
    file = RectificationFile.objects.get()
    assert (file.requirement, file.role, file.uploaded_by) == (
        requirement,
        "evidence",
        cast.county_a_applicant,
    )


def test_a_refused_upload_comes_back_with_its_reason_and_stores_nothing(client, cast):
    rectification = ordered(cast)
    _as(client, cast.county_a_head)
    requirement = rectification.requirements.first()
    with time_machine.travel(IN_TIME, tick=False), nothing_moves():
        response = client.post(
            _page(rectification), _upload(requirement, content=b"no pdf", role="evidence")
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert escape("“整改报告.pdf”") in page
    # The form keeps what was chosen.
    assert '<option value="evidence" selected>' in page


def test_another_bureaus_rectification_is_a_404_and_nothing_moves(client, cast):
    rectification = ordered(cast)
    _as(client, cast.county_b_head)
    requirement = rectification.requirements.first()
    with time_machine.travel(IN_TIME, tick=False):
        assert client.get(_page(rectification)).status_code == 404
        with nothing_moves():
            assert client.post(_page(rectification), _upload(requirement)).status_code == 404
            assert client.post(_page(rectification), {"action": "submit"}).status_code == 404


def test_the_county_head_submits_and_the_office_is_told(client, cast):
    rectification = ordered(cast)
    with time_machine.travel(IN_TIME, tick=False):
        _as(client, cast.county_a_head)
        for requirement in rectification.requirements.all():
            client.post(_page(rectification), _upload(requirement))
        page = client.get(_page(rectification)).content.decode()
        assert 'value="submit"' in page
        response = client.post(_page(rectification), {"action": "submit"})
    assert response.status_code == 302
    rectification.refresh_from_db()
    assert (rectification.state, rectification.submitted_by) == (R.SUBMITTED, cast.county_a_head)


def test_submitting_with_a_requirement_bare_says_which(client, cast):
    rectification = ordered(cast)
    with time_machine.travel(IN_TIME, tick=False):
        _as(client, cast.county_a_head)
        client.post(_page(rectification), _upload(rectification.requirements.get(position=1)))
        with nothing_moves():
            response = client.post(_page(rectification), {"action": "submit"})
    assert response.status_code == 400
    expected = zh("Upload the report or evidence for requirement(s) %(numbers)s first.")
    assert expected % {"numbers": "2"} in response.content.decode()


def test_the_applicant_may_not_submit(client, cast):
    rectification = ordered(cast)
    with time_machine.travel(IN_TIME, tick=False):
        _as(client, cast.county_a_applicant)
        for requirement in rectification.requirements.all():
            client.post(_page(rectification), _upload(requirement))
        with nothing_moves():
            assert client.post(_page(rectification), {"action": "submit"}).status_code == 403


def test_the_county_may_not_judge(client, cast):
    rectification = reported(cast, ordered(cast))
    requirement = rectification.requirements.first()
    _as(client, cast.county_a_head)
    with nothing_moves():
        response = client.post(
            _page(rectification),
            {"action": "judge", "requirement": requirement.pk, "met": "1"},
        )
    assert response.status_code == 403


def test_the_office_judges_with_the_divisions_view_then_concludes(client, cast):
    rectification = reported(cast, ordered(cast))
    division = Division.objects.first()
    _as(client, cast.office)
    with time_machine.travel(IN_TIME, tick=False):
        page = client.get(_page(rectification)).content.decode()
        assert page.count('value="judge"') == 2
        for requirement in rectification.requirements.all():
            response = client.post(
                _page(rectification),
                {
                    "action": "judge",
                    "requirement": requirement.pk,
                    "met": "1",
                    "note": "已整改",
                    "division": division.pk,
                    "division_view": "处室意见：到位",
                },
            )
            assert response.status_code == 302
        response = client.post(_page(rectification), {"action": "conclude", "note": "通过"})
    assert response.status_code == 302
    rectification.refresh_from_db()
    designation = rectification.designation
    designation.refresh_from_db()
    assert (rectification.state, designation.state, designation.reinspection_due) == (
        R.PASSED,
        D.ACTIVE,
        date(2029, 1, 10),
    )
    assert set(rectification.requirements.values_list("met", "division_view")) == {
        (True, "处室意见：到位")
    }


def test_a_judgement_not_met_needs_the_reason_and_keeps_what_was_typed(client, cast):
    rectification = reported(cast, ordered(cast))
    requirement = rectification.requirements.first()
    _as(client, cast.office)
    with nothing_moves():
        response = client.post(
            _page(rectification),
            {
                "action": "judge",
                "requirement": requirement.pk,
                "met": "0",
                "note": " ",
                "division_view": "仍有差距",
            },
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert zh("Say what is still not put right.") in page
    assert "仍有差距" in page


def test_revocation_after_the_deadline_through_the_page(client, cast):
    rectification = reported(cast, ordered(cast))
    judged(cast, rectification, True, False, at=ONE_SECOND_LATER)
    _as(client, cast.office)
    with time_machine.travel(ONE_SECOND_LATER, tick=False):
        with nothing_moves():
            response = client.post(_page(rectification), {"action": "conclude", "decision": ""})
        assert response.status_code == 400
        assert zh("Record the revocation decision.") in response.content.decode()
        response = client.post(
            _page(rectification), {"action": "conclude", "decision": "黑司发〔2026〕9号"}
        )
    assert response.status_code == 302
    designation = rectification.designation
    designation.refresh_from_db()
    assert (designation.state, designation.plaque_removed_on) == (D.REVOKED, date(2026, 4, 1))


def test_an_unknown_action_changes_nothing(client, cast):
    rectification = ordered(cast)
    _as(client, cast.office)
    with nothing_moves():
        response = client.post(_page(rectification), {"action": "rectify"})
    assert response.status_code == 400
    assert zh("Unknown action.") in response.content.decode()


def test_a_file_download_is_audited_and_scoped(client, cast):
    rectification = reported(cast, ordered(cast))
    file = RectificationFile.objects.first()
    url = reverse("reinspections:rectification_file", args=[rectification.pk, file.pk])
    _as(client, cast.office)
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert AuditEntry.objects.filter(
        action=AuditAction.RECTIFICATION_FILE_DOWNLOAD, actor=cast.office
    ).exists()
    _as(client, cast.county_b_head)
    assert client.get(url).status_code == 404
    # The file through another rectification's address: 404 as well.
    other = ordered(cast, code="230202")
    _as(client, cast.county_b_head)
    wrong = reverse("reinspections:rectification_file", args=[other.pk, file.pk])
    assert client.get(wrong).status_code == 404


def test_the_designation_page_links_the_rectification_and_orders_none(client, cast):
    rectification = ordered(cast)
    _as(client, cast.office)
    page = client.get(
        reverse("designations:detail", args=[rectification.designation_id])
    ).content.decode()
    assert _page(rectification) in page
    # Rectification is ordered by the re-inspection round's decision, never on this page.
    due = at_state(cast.office, D.REINSPECTION_DUE, code="230202")
    page = client.get(reverse("designations:detail", args=[due.pk])).content.decode()
    assert 'name="requirements"' not in page
    assert reverse("reinspections:reinspection_start", args=[due.pk]) in page


def _rectifications(cast, count: int) -> None:
    codes = list(
        Bureau.objects.filter(level="county", code__startswith="2301")
        .order_by("code")
        .values_list("code", flat=True)[:count]
    )
    for code in codes:
        ordered(cast, code=code)


@pytest.mark.parametrize("rows", [1, 4])
def test_the_office_list_query_count(client, cast, rows, django_assert_num_queries):
    _rectifications(cast, rows)
    _as(client, cast.office)
    # Session, user, the second factor's device, memberships, unread notices, the count and the
    # page of rectifications; the session touched.
    with django_assert_num_queries(10):
        page = client.get(reverse("reinspections:rectifications")).content.decode()
    assert page.count('class="badge rectification-open"') == rows


@pytest.mark.parametrize("rows", [1, 4])
def test_the_county_list_query_count(client, cast, rows, django_assert_num_queries):
    _rectifications(cast, rows)
    _as(client, cast.county_a_head)
    # As the office's, less the second factor's device (the cast's county head has none).
    with django_assert_num_queries(9):
        page = client.get(reverse("reinspections:rectifications")).content.decode()
    # Only its own bureau's (230102 is the first county code of 2301).
    assert page.count('class="badge rectification-open"') == 1


@pytest.mark.parametrize("requirements", [1, 6])
def test_the_rectification_page_query_count(client, cast, requirements, django_assert_num_queries):
    rectification = ordered(cast, requirements=[f"要求{n}" for n in range(requirements)])
    _as(client, cast.office)
    # The history (its events with their actors) is one query whatever its length.
    with django_assert_num_queries(13):
        page = client.get(_page(rectification)).content.decode()
    assert page.count('class="card mb-3" id="requirement-') == requirements
