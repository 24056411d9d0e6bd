"""The province's files: inspection photos (JPEG, PNG only, stored re-encoded) and the Party
committee's minutes (PDF, JPEG, PNG, DOCX)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.enums import PHOTO_KINDS, ApplicationState
from applications.evidence import accept_attribute
from applications.models import Application
from applications.services import application_create
from core.storage import private_read
from evaluation.decisions import provincial_meeting_record
from evaluation.inspections import inspection_schedule
from evaluation.models import InspectionPhoto, ProvincialMeeting
from organizations.enums import Role
from organizations.models import Bureau
from tests.applications import files
from tests.applications.files import JPEG, MP4, PDF, PNG, office_zip
from tests.states import actor, nothing_moves, stored_files

pytestmark = pytest.mark.django_db
S = ApplicationState


def _at(application, state):
    Application.objects.filter(pk=application.pk).update(
        state=state, submitted_at="2026-07-01T00:00:00+08:00"
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def inspection(cast, complete_application):
    return inspection_schedule(
        application=_at(complete_application, S.WRITTEN_PASSED),
        visit_date=date(2026, 9, 8),
        team=[cast.evaluator_publicity],
        itinerary="",
        by=cast.office,
    )


def _record(client, inspection, *photos):
    return client.post(
        reverse("evaluation:inspection", args=[inspection.pk]),
        {"result": "passed", "summary": "好", "photos": list(photos)},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("现场.docx", office_zip("docx")),
        ("现场.mp4", MP4),
        ("现场.pdf", PDF),
        ("现场.jpg", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"),
    ],
)
def test_a_photo_that_is_not_an_image_records_nothing(client, cast, inspection, name, content):
    client.force_login(cast.evaluator_publicity)
    with nothing_moves():
        response = _record(client, inspection, SimpleUploadedFile("好.jpg", JPEG),
                           SimpleUploadedFile(name, content))  # fmt: skip
    assert response.status_code == 400
    assert f"“{name}”未能保存" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.result == ""
    assert not InspectionPhoto.objects.exists()
    assert inspection.application.state == S.WRITTEN_PASSED


def test_photos_are_stored_without_exif_or_what_follows_them(client, cast, inspection):
    client.force_login(cast.evaluator_publicity)
    polyglot = files.png_with_trailer(files.jar())
    before = stored_files()
    response = _record(
        client,
        inspection,
        SimpleUploadedFile("现场1.jpg", files.jpeg_with_exif()),
        SimpleUploadedFile("现场2.png", polyglot),
    )
    assert response.status_code == 302
    jpeg, png = InspectionPhoto.objects.order_by("original_name")
    assert len(stored_files() - before) == 2
    jpeg_bytes = private_read(jpeg.stored_name)
    png_bytes = private_read(png.stored_name)
    assert b"Exif" not in jpeg_bytes
    assert b"PK\x03\x04" not in png_bytes
    assert png_bytes.endswith(b"IEND\xaeB`\x82")
    assert (jpeg.size, png.size) == (len(jpeg_bytes), len(png_bytes))
    # Shown inline, in a sandbox, typed by what it is.
    response = client.get(reverse("evaluation:inspection_photo", args=[inspection.pk, png.pk]))
    assert b"".join(response.streaming_content) == png_bytes
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_inspection_page_takes_jpeg_and_png_only(client, cast, inspection):
    client.force_login(cast.evaluator_publicity)
    page = client.get(reverse("evaluation:inspection", args=[inspection.pk])).content.decode()
    assert f'accept="{accept_attribute(PHOTO_KINDS)}"' in page
    assert "image/*" not in page


@pytest.fixture
def inspected(cast, cycle):
    return _at(
        _created(cycle, "230102"),
        S.INSPECTED_PASSED,
    )


def _meeting(cast, application, name, content):
    return provincial_meeting_record(
        cycle=application.cycle,
        by=cast.office,
        held_on=date(2026, 11, 20),
        number="厅党委〔2026〕12号",
        minutes_upload=SimpleUploadedFile(name, content),
        decisions={application.pk: ("approved", "")},
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("纪要.xlsx", office_zip("xlsx"), "不予接受"),
        ("纪要.mp4", MP4, "不予接受"),
        ("纪要.png", PDF, "“.png”"),
        ("纪要.docx", files.lying_zip_bomb(), "压缩炸弹"),
    ],
)
def test_committee_minutes_of_another_type_store_nothing(cast, inspected, name, content, reason):
    with nothing_moves(), pytest.raises(ValidationError) as refused:
        _meeting(cast, inspected, name, content)
    assert f"“{name}”未能保存" in refused.value.messages[0]
    assert reason in refused.value.messages[0]
    assert not ProvincialMeeting.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("纪要.docx", office_zip("docx"), "docx"), ("纪要.png", PNG, "png"), ("纪要.pdf", PDF, "pdf")],
)
def test_committee_minutes_may_be_pdf_images_or_word(cast, inspected, name, content, kind):
    meeting = _meeting(cast, inspected, name, content)
    assert (meeting.kind, meeting.checked) == (kind, True)


def _created(cycle, code: str):
    """County ``code``'s application, created by its own head."""
    county = Bureau.objects.get(code=code)
    return application_create(cycle=cycle, county=county, by=actor(Role.COUNTY_HEAD, bureau=county))
