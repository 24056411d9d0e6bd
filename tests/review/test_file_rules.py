"""The city's files: Party meeting minutes (PDF, JPEG, PNG, DOCX) and the stamped scan of the
cover letter (PDF, JPEG, PNG), checked for what they are like evidence."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.enums import MINUTES_KINDS, SCAN_KINDS, ApplicationState
from applications.evidence import accept_attribute
from audit.enums import AuditAction
from audit.models import AuditEntry
from core.storage import private_read
from review.models import ForwardingBatch, ForwardingScan, PartyMeeting
from review.services import forwarding_batch_create
from tests.applications import files
from tests.applications.files import JPEG, MP4, PDF, office_zip
from tests.states import nothing_moves, stored_files

from .helpers import approved, signed_off

pytestmark = pytest.mark.django_db
S = ApplicationState


def _record_meeting(client, application, name, content):
    return client.post(
        reverse("review:meetings"),
        {
            "meeting_kind": "party_group",
            "held_on": "2026-06-30",
            "minutes_number": "7号",
            "minutes": SimpleUploadedFile(name, content),
            f"outcome_{application.pk}": "approved",
        },
    )


def test_minutes_as_a_word_document_are_accepted(client, cast, complete_application):
    approved(complete_application, cast)
    client.force_login(cast.city_a_head)
    # Made once: a zip records the time it was written.
    minutes = office_zip("docx")
    response = _record_meeting(client, complete_application, "会议纪要.docx", minutes)
    assert response.status_code == 302
    meeting = PartyMeeting.objects.get()
    assert (meeting.kind, meeting.checked) == ("docx", True)
    assert private_read(meeting.stored_name) == minutes


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("会议纪要.xlsx", office_zip("xlsx"), "不予接受"),
        ("会议纪要.mp4", MP4, "不予接受"),
        ("report.html", PDF, "“.html”"),
        ("会议纪要.pdf", files.pdf(lambda d, p: setattr(d.Root, "OpenAction", p.Array())), "脚本"),
    ],
)
def test_minutes_of_another_type_or_with_scripts_store_nothing(
    client, cast, complete_application, name, content, reason
):
    approved(complete_application, cast)
    client.force_login(cast.city_a_head)
    with nothing_moves():
        response = _record_meeting(client, complete_application, name, content)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"“{name}”未能保存" in page
    assert reason in page
    assert not PartyMeeting.objects.exists()
    complete_application.refresh_from_db()
    assert complete_application.state == S.CITY_APPROVED


def test_the_meeting_form_accepts_the_minutes_types(client, cast, complete_application):
    approved(complete_application, cast)
    client.force_login(cast.city_a_head)
    page = client.get(reverse("review:meetings")).content.decode()
    assert f'accept="{accept_attribute(MINUTES_KINDS)}"' in page


@pytest.fixture
def batch(cast, complete_application) -> ForwardingBatch:
    signed_off(complete_application, cast)
    return forwarding_batch_create(
        cycle=complete_application.cycle,
        city=complete_application.county.parent,
        by=cast.city_a_head,
        applications=[complete_application],
        letter_number="哈司呈〔2026〕3号",
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("盖章上报函.docx", office_zip("docx"), "不予接受"),
        ("盖章上报函.jpg", JPEG[: len(JPEG) // 2], "图片已损坏"),
        ("盖章上报函.pdf", files.pdf(lambda d, p: setattr(d.Root, "AA", p.Dictionary())), "AA"),
    ],
)
def test_a_scan_of_another_type_or_damaged_stores_nothing(
    client, cast, batch, name, content, reason
):
    client.force_login(cast.city_a_head)
    before = stored_files()
    response = client.post(
        reverse("review:scan_upload", args=[batch.pk]), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302
    text = " ".join(m.message for m in response.wsgi_request._messages)
    assert f"“{name}”未能保存" in text, text
    assert reason in text, text
    assert not ForwardingScan.objects.exists()
    assert stored_files() == before


def test_a_scanned_photo_is_stored_re_encoded(client, cast, batch):
    client.force_login(cast.city_a_head)
    photo = files.jpeg_with_exif() + b"trailing"
    client.post(
        reverse("review:scan_upload", args=[batch.pk]),
        {"file": SimpleUploadedFile("盖章上报函.jpg", photo)},
    )
    scan = ForwardingScan.objects.get()
    stored = private_read(scan.stored_name)
    assert (scan.kind, scan.size) == ("jpeg", len(stored))
    assert b"Exif" not in stored
    assert stored.endswith(b"\xff\xd9")
    response = client.get(reverse("review:scan", args=[batch.pk, scan.pk]))
    assert b"".join(response.streaming_content) == stored
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Security-Policy"] == "sandbox"


def test_the_batch_page_accepts_the_scan_types(client, cast, batch):
    client.force_login(cast.city_a_head)
    page = client.get(reverse("review:batch", args=[batch.pk])).content.decode()
    assert f'accept="{accept_attribute(SCAN_KINDS)}"' in page


def test_a_scan_upload_is_recorded_once_with_the_address(client, cast, batch):
    client.force_login(cast.city_a_head)
    since = AuditEntry.objects.latest("id").pk
    client.post(
        reverse("review:scan_upload", args=[batch.pk]),
        {"file": SimpleUploadedFile("盖章上报函.pdf", PDF)},
        REMOTE_ADDR="203.0.113.9",
    )
    scan = ForwardingScan.objects.get()
    [entry] = AuditEntry.objects.filter(pk__gt=since)
    assert (entry.action, entry.actor, entry.ip, entry.outcome) == (
        AuditAction.FORWARDING_SCAN_ADD,
        cast.city_a_head,
        "203.0.113.9",
        "ok",
    )
    assert (entry.object_type, entry.object_id) == ("review.forwardingscan", str(scan.pk))
    assert entry.details == {
        "batch": batch.pk,
        "letter_number": "哈司呈〔2026〕3号",
        "name": "盖章上报函.pdf",
        "sha256": scan.sha256,
    }
