"""Designations: naming, certificates, publication, the public list, dynamic management."""

import io
from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from applications.enums import ApplicationState
from core.dates import add_years
from designations.enums import DesignationState
from designations.jobs import reinspection_jobs
from designations.models import Designation, DesignationEvent
from designations.selectors import quota_overview
from designations.services import (
    designation_grant,
    designation_revoke,
    publication_publish,
)
from evaluation.decisions import decision_in_force
from organizations.models import Notification, Reminder
from reinspections.rounds import reinspection_decide
from tests.documents import assert_fonts_embedded, page_count, text_of
from tests.reinspections.factories import round_reported

from .factories import noticed_application

pytestmark = pytest.mark.django_db
D = DesignationState


def _approved(cycle, cast, code):
    """Through the whole workflow, by the services (tests/designations/factories.py)."""
    return noticed_application(cycle, cast.office, code)


def _designate(cycle, cast, code="230102", on=date(2026, 12, 1)):
    return _designate_application(_approved(cycle, cast, code), cast, on)


def _designate_application(application, cast, on=date(2026, 12, 1)):
    return designation_grant(
        application=application, by=cast.office, designated_on=on, reward="collective"
    )


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2024, 2, 29), date(2027, 2, 28)),
        (date(2026, 12, 1), date(2029, 12, 1)),
        (date(2025, 3, 31), date(2028, 3, 31)),
    ],
)
def test_three_calendar_years(start, expected):
    assert add_years(start, 3) == expected


def test_designating_numbers_the_bureau_and_moves_the_application(cast, cycle):
    first = _designate(cycle, cast)
    second = _designate(cycle, cast, code="230202")
    assert (first.number, second.number) == ("黑司示〔2026〕1号", "黑司示〔2026〕2号")
    assert first.reinspection_due == date(2029, 12, 1)
    first.application.refresh_from_db()
    assert first.application.state == ApplicationState.DESIGNATED
    assert DesignationEvent.objects.filter(designation=first, action="grant").exists()


def test_the_designation_rests_on_the_decision_in_force_read_by_the_service(cast, cycle):
    application = _approved(cycle, cast, "230102")
    meeting = decision_in_force(application).meeting
    designation = _designate_application(application, cast)
    assert designation.decision_reference == meeting.number != ""


def test_personal_merit_names_the_head(cast, cycle):
    application = _approved(cycle, cast, "230102")
    with pytest.raises(ValidationError):
        designation_grant(
            application=application,
            by=cast.office,
            designated_on=date(2026, 12, 1),
            reward="personal",
        )
    designation = designation_grant(
        application=application,
        by=cast.office,
        designated_on=date(2026, 12, 1),
        reward="personal",
        head_name="周正言",
    )
    assert designation.head_name == "周正言"


def test_certificate_pdf_has_the_name_number_and_fonts(client, cast, cycle, tmp_path):
    designation = _designate(cycle, cast)
    client.force_login(cast.office)
    response = client.get(reverse("designations:certificate", args=[designation.pk]))
    path = tmp_path / "c.pdf"
    path.write_bytes(response.content)
    assert_fonts_embedded(path)
    text = text_of(path)
    assert "哈尔滨市道里区司法局" in text
    assert "黑司示〔2026〕1号" in text


def test_nothing_unpublished_on_the_public_list_then_published(client, cast, cycle, tmp_path):
    designation = _designate(cycle, cast)
    assert "哈尔滨市道里区司法局" not in client.get(reverse("public_list")).content.decode()
    publication = publication_publish(
        cycle=cycle,
        by=cast.office,
        document_number="黑司通〔2026〕30号",
        published_on=date(2026, 12, 5),
        designations=[designation],
    )
    cache.clear()  # the on-commit invalidation does not run inside the test's transaction
    page = client.get(reverse("public_list")).content.decode()
    assert "哈尔滨市道里区司法局" in page
    assert "黑司通〔2026〕30号" in page
    notice = client.get(reverse("designations:notice", args=[publication.pk]))
    path = tmp_path / "n.pdf"
    path.write_bytes(notice.content)
    text = text_of(path)
    assert "哈尔滨市道里区司法局" in text
    assert "黑龙江省司法厅文件" in text
    assert_fonts_embedded(path)


def test_publication_and_revocation_invalidate_the_cached_list(
    client, cast, cycle, django_capture_on_commit_callbacks
):
    designation = _designate(cycle, cast)
    client.get(reverse("public_list"))  # cached, empty
    with django_capture_on_commit_callbacks(execute=True):
        publication_publish(
            cycle=cycle,
            by=cast.office,
            document_number="30号",
            published_on=date(2026, 12, 5),
            designations=[designation],
        )
    assert "哈尔滨市道里区司法局" in client.get(reverse("public_list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        designation_revoke(
            designation=designation,
            by=cast.office,
            ground="violation",
            decision="黑司发〔2027〕1号",
            revoked_on=date(2027, 3, 1),
            plaque_removed_on=date(2027, 3, 2),
            note="违法违纪并造成不良社会影响",
        )
    designation.refresh_from_db()
    assert designation.state == D.REVOKED
    assert designation.plaque_removed_on == date(2027, 3, 2)
    assert "哈尔滨市道里区司法局" not in client.get(reverse("public_list")).content.decode()
    assert Designation.objects.filter(pk=designation.pk).exists()  # still in the register


def test_public_exports(client, cast, cycle):
    from openpyxl import load_workbook

    designation = _designate(cycle, cast)
    publication_publish(
        cycle=cycle,
        by=cast.office,
        document_number="1号",
        published_on=date(2026, 12, 5),
        designations=[designation],
    )
    workbook = load_workbook(io.BytesIO(client.get(reverse("public_xlsx")).content))
    sheet = workbook.active
    rows = list(sheet.values)
    assert rows[0][0] == "全省示范县（市、区）司法局名单"
    assert rows[1][:3] == ("序号", "所属市（地）", "单位")
    assert rows[2][2] == "哈尔滨市道里区司法局"
    assert sheet["E3"].is_date
    assert sheet["E3"].number_format == 'yyyy"年"m"月"d"日"'
    assert sheet["E3"].value.date() == designation.designated_on
    assert sheet.column_dimensions["C"].width == 30
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$2:$2"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    filtered = client.get(reverse("public_xlsx"), {"year": "2026", "city": "230100"}).content
    title = load_workbook(io.BytesIO(filtered)).active["A1"].value
    assert title == "全省示范县（市、区）司法局名单（2026年、哈尔滨市）"
    assert client.get(reverse("public_pdf"))["Content-Type"] == "application/pdf"


def test_reinspection_job_run_twice_moves_once_and_reminds_once(
    cast, cycle, django_capture_on_commit_callbacks
):
    designation = _designate(cycle, cast, on=date(2024, 2, 29))
    assert designation.reinspection_due == date(2027, 2, 28)
    with django_capture_on_commit_callbacks(execute=True):
        assert reinspection_jobs(today=date(2026, 11, 30)) == {
            "reinspection_reminders": 1
        }  # 90 days before
        assert reinspection_jobs(today=date(2026, 11, 30)) == {}
        assert reinspection_jobs(today=date(2027, 1, 29)) == {
            "reinspection_reminders": 1
        }  # 30 days before
        assert reinspection_jobs(today=date(2027, 2, 27)) == {}
        assert reinspection_jobs(today=date(2027, 2, 28)) == {"due": 1}
        assert reinspection_jobs(today=date(2027, 2, 28)) == {}
    designation.refresh_from_db()
    assert designation.state == D.REINSPECTION_DUE
    assert (
        DesignationEvent.objects.filter(designation=designation, action="reinspection_due").count()
        == 1
    )
    assert Reminder.objects.filter(kind="reinspection").count() == 2
    assert (
        Notification.objects.filter(
            user=cast.office, key__startswith="reminder:reinspection"
        ).count()
        == 2
    )


def test_three_years_later_the_reinspection_is_due(cast, cycle):
    designation = _designate(cycle, cast, on=date(2026, 12, 1))
    with time_machine.travel(date(2029, 12, 1), tick=False):
        call_command("run_due_jobs", stdout=io.StringIO())
    designation.refresh_from_db()
    assert designation.state == D.REINSPECTION_DUE


def _due(cycle, cast):
    designation = _designate(cycle, cast, on=date(2023, 1, 10))
    reinspection_jobs(today=date(2026, 1, 10))
    designation.refresh_from_db()
    return designation


def test_reinspection_passed_sets_the_next_due_date(cast, cycle):
    designation = _due(cycle, cast)
    reinspection_decide(
        reinspection=round_reported(designation, by=cast.office),
        by=cast.office,
        kept=True,
        note="合格",
    )
    designation.refresh_from_db()
    assert (designation.state, designation.reinspection_due) == (D.ACTIVE, date(2029, 1, 10))


def test_quota_and_supplement_counting(cast, cycle, django_capture_on_commit_callbacks):
    first = _designate(cycle, cast, code="230102")
    second = _designate(cycle, cast, code="230202")
    publication_publish(
        cycle=cycle,
        by=cast.office,
        document_number="1号",
        published_on=date(2026, 12, 5),
        designations=[first],
    )
    publication_publish(
        cycle=cycle,
        by=cast.office,
        document_number="2号",
        published_on=date(2026, 12, 9),
        designations=[second],
    )
    designation_revoke(
        designation=first,
        by=cast.office,
        ground="major_error",
        decision="决定",
        revoked_on=date(2027, 1, 1),
        plaque_removed_on=date(2027, 1, 1),
        note="重大差错",
    )
    overview = quota_overview()
    assert (overview.counties, overview.target, overview.active, overview.revoked) == (
        121,
        13,
        1,
        1,
    )
    assert overview.places_left == 12
    [row] = overview.cycles
    assert (row.designated, row.supplements, row.revoked) == (2, 1, 1)


@pytest.mark.parametrize("view", ["register", "designate", "publish", "quota"])
def test_register_pages_are_the_offices(client, cast, view):
    url = reverse(f"designations:{view}")
    for who in ("county_a_head", "city_a_head", "evaluator_publicity", "sysadmin"):
        client.force_login(getattr(cast, who))
        assert client.get(url).status_code == 403, who
    client.force_login(cast.office)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_register_detail_shows_history(client, cast, cycle):
    designation = _designate(cycle, cast)
    client.force_login(cast.office)
    page = client.get(reverse("designations:detail", args=[designation.pk])).content.decode()
    assert designation.number in page
    assert cast.office.full_name in page


def test_all_certificates_of_a_cycle_render_as_one_file_with_progress(
    client, cast, cycle, django_capture_on_commit_callbacks, tmp_path
):
    from designations.models import CertificateBatch

    for code in ("230102", "230202", "230103"):
        _designate(cycle, cast, code=code)
    client.force_login(cast.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("designations:certificate_batch_start"), {"cycle": cycle.pk})
    batch = CertificateBatch.objects.get()
    assert response["Location"] == reverse("designations:certificate_batch", args=[batch.pk])
    assert (batch.state, batch.total, batch.done) == ("done", 3, 3)
    fragment = client.get(
        reverse("designations:certificate_batch", args=[batch.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'value="3" max="3"' in fragment
    assert "hx-trigger" not in fragment  # finished: no more polling
    pdf = client.get(reverse("designations:certificate_batch_download", args=[batch.pk]))
    path = tmp_path / "all.pdf"
    path.write_bytes(b"".join(pdf.streaming_content))
    assert page_count(path) == 3
    text = text_of(path)
    assert "哈尔滨市南岗区司法局" in text


def test_dashboard_counts_the_cycle_by_city_and_stage(client, cast, cycle, complete_application):
    import json
    import re

    _designate(cycle, cast, code="230202")
    client.force_login(cast.office)
    page = client.get(reverse("designations:dashboard")).content.decode()
    data = json.loads(
        re.search(
            r'<script id="dashboard-data" type="application/json">(.*?)</script>', page
        ).group(1)
    )
    harbin = data["cities"].index("哈尔滨市")
    qiqihar = data["cities"].index("齐齐哈尔市")
    stages = {stage["label"]: stage["data"] for stage in data["stages"]}
    assert len(stages) == 7
    assert sum(stage["data"][harbin] for stage in data["stages"]) == 1  # 道里区's draft
    assert sum(stage["data"][qiqihar] for stage in data["stages"]) == 1  # 龙沙区, designated
    assert data["designated"]["data"][qiqihar] == 1
    client.force_login(cast.city_a_head)
    assert client.get(reverse("designations:dashboard")).status_code == 403


def test_public_list_revalidates_with_an_etag(
    client, cast, cycle, django_capture_on_commit_callbacks
):
    designation = _designate(cycle, cast)
    with django_capture_on_commit_callbacks(execute=True):
        publication_publish(
            cycle=cycle,
            by=cast.office,
            document_number="1号",
            published_on=date(2026, 12, 5),
            designations=[designation],
        )
    first = client.get(reverse("public_list"))
    assert first["Cache-Control"] == "public, no-cache"
    assert client.get(reverse("public_list"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        designation_revoke(
            designation=designation,
            by=cast.office,
            ground="violation",
            decision="决定",
            revoked_on=date(2027, 1, 1),
            plaque_removed_on=date(2027, 1, 1),
            note="事件",
        )
    again = client.get(reverse("public_list"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "哈尔滨市道里区司法局" not in again.content.decode()
