"""Evidence uploads: types from the content, private storage, refusals that store nothing."""

import hashlib
import io
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from applications.enums import Action
from applications.models import Evidence
from applications.workflow import application_transition
from audit.models import AuditEntry
from core.storage import private_names, private_read
from standards.models import Item
from tests.objectstore import BUCKET
from tests.states import nothing_moves

from .files import JPEG, MP4, PDF, PNG, office_zip, zip_bomb

pytestmark = pytest.mark.django_db


def _stored_files() -> set[str]:
    return private_names()


def _item(application, code="5.6"):
    return Item.objects.get(section__version=application.cycle.criteria_version, code=code)


def _upload(client, application, name, content, item=None, **extra):
    data = {"file": SimpleUploadedFile(name, content, content_type="application/pdf")}
    if item is not None:
        data["item"] = item.pk
    data.update(extra)
    return client.post(reverse("applications:evidence_upload", args=[application.pk]), data)


@pytest.fixture
def county_client(client, cast):
    client.force_login(cast.county_a_applicant)
    return client


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("工作总结.pdf", PDF, "pdf"),
        ("制度汇编.docx", office_zip("docx"), "docx"),
        ("台账.xlsx", office_zip("xlsx"), "xlsx"),
        ("宣传活动.mp4", MP4, "mp4"),
        ("大写扩展名.PDF", PDF, "pdf"),
    ],
)
def test_accepted_files_are_stored_privately_with_their_hash(
    county_client, application, name, content, kind
):
    item = _item(application)
    before = _stored_files()
    response = _upload(county_client, application, name, content, item)
    assert response.status_code == 302
    evidence = Evidence.objects.get(application=application)
    assert (evidence.kind, evidence.original_name, evidence.item) == (kind, name, item)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.size == len(content)
    assert evidence.checked
    assert evidence.stored_name != name
    assert _stored_files() - before == {evidence.stored_name}
    assert private_read(evidence.stored_name) == content


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("现场照片.png", PNG, "png"), ("现场照片.jpg", JPEG, "jpeg"), ("现场照片.JPEG", JPEG, "jpeg")],
)
def test_images_are_stored_re_encoded_with_the_hash_of_what_is_stored(
    county_client, application, name, content, kind
):
    from PIL import Image

    before = _stored_files()
    _upload(county_client, application, name, content, _item(application))
    evidence = Evidence.objects.get(application=application)
    assert (evidence.kind, evidence.original_name, evidence.checked) == (kind, name, True)
    assert _stored_files() - before == {evidence.stored_name}
    stored = private_read(evidence.stored_name)
    assert evidence.sha256 == hashlib.sha256(stored).hexdigest()
    assert evidence.size == len(stored)
    with Image.open(io.BytesIO(stored)) as picture:
        assert (picture.format.lower(), picture.size) == (kind, (16, 12))


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("photo.png", b"<html><script>alert(1)</script></html>", "不予接受"),
        ("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "不予接受"),
        ("empty.pdf", b"", "空"),
        ("bomb.docx", zip_bomb(), "压缩炸弹"),
        ("evil.docx", office_zip("docx", {"../../etc/passwd": b"x"}), "路径"),
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 100, "损坏"),
        ("a" * 296 + ".pdf", PDF, "200"),
    ],
)
def test_bad_files_get_a_message_and_nothing_is_stored(
    county_client, application, name, content, reason
):
    with nothing_moves():
        response = _upload(county_client, application, name, content, _item(application))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    text = " ".join(m.message for m in response.wsgi_request._messages)
    assert reason in text, text


@pytest.mark.parametrize(
    "name", ["a/b.pdf", "..\\x.pdf", "..", "报告\u202e.pdf", "bad\x07name.pdf", "x" * 201]
)
def test_names_with_paths_or_control_characters_are_refused(name):
    from django.core.exceptions import ValidationError

    from applications.evidence import clean_original_name

    with pytest.raises(ValidationError):
        clean_original_name(name)


def test_control_characters_never_reach_the_stored_name(county_client, application):
    # Django's multipart parser drops them before the view; the service refuses any left.
    _upload(county_client, application, "bad\x07name.pdf", PDF, _item(application))
    assert Evidence.objects.get().original_name == "badname.pdf"


def test_a_crafted_path_in_the_upload_never_reaches_the_stored_name(county_client, application):
    # Django's parser keeps only the last path component; nothing with a separator is kept.
    body = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="..\\\\x.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + PDF + b"\r\n--B--\r\n"
    )
    response = county_client.post(
        reverse("applications:evidence_upload", args=[application.pk]),
        body,
        content_type="multipart/form-data; boundary=B",
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "x.pdf"


@override_settings(EVIDENCE_MAX_BYTES=200 * 1024)
def test_a_file_over_the_limit_is_refused_and_not_stored(county_client, application):
    with nothing_moves():
        response = _upload(county_client, application, "big.pdf", PDF + b"0" * (400 * 1024))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    text = " ".join(m.message for m in response.wsgi_request._messages)
    assert "0 MB" in text or "MB" in text


def test_download_is_an_attachment_with_nosniff(client, cast, application):
    client.force_login(cast.county_a_applicant)
    _upload(client, application, "工作总结.pdf", PDF, _item(application))
    evidence = Evidence.objects.get()
    url = reverse("applications:evidence_download", args=[application.pk, evidence.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E5%B7%A5" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    inline = client.get(url + "?inline=1")
    assert b"".join(inline.streaming_content) == PDF  # consumed, so the file is closed
    assert inline["Content-Disposition"].startswith("inline;")


@pytest.mark.parametrize("value", ["yes", "2", "1 "])
def test_a_download_with_an_inline_flag_that_does_not_parse_answers_400(
    client, cast, application, value
):
    client.force_login(cast.county_a_applicant)
    _upload(client, application, "工作总结.pdf", PDF, _item(application))
    evidence = Evidence.objects.get()
    url = reverse("applications:evidence_download", args=[application.pk, evidence.pk])
    entries = AuditEntry.objects.count()
    with nothing_moves():
        response = client.get(url, {"inline": value})
    assert response.status_code == 400
    assert "“inline”只能是 1 或 0。" in response.content.decode()
    assert not hasattr(response, "streaming_content")
    assert AuditEntry.objects.count() == entries  # no download recorded


def test_an_inline_flag_of_0_is_a_download(client, cast, application):
    client.force_login(cast.county_a_applicant)
    _upload(client, application, "工作总结.pdf", PDF, _item(application))
    evidence = Evidence.objects.get()
    url = reverse("applications:evidence_download", args=[application.pk, evidence.pk])
    response = client.get(url, {"inline": "0"})
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")


@override_settings(PRIVATE_STORAGE_ACCEL_PREFIX="/protected/")
def test_download_behind_nginx_uses_x_accel_redirect(client, cast, application, object_store):
    client.force_login(cast.county_a_applicant)
    _upload(client, application, "a.pdf", PDF, _item(application))
    evidence = Evidence.objects.get()
    response = client.get(
        reverse("applications:evidence_download", args=[application.pk, evidence.pk])
    )
    accel = response["X-Accel-Redirect"]
    assert accel.startswith(f"/protected/{BUCKET}/evidence/{evidence.stored_name}?")
    assert "X-Amz-Signature=" in accel
    assert response.content == b""
    # What nginx's internal location does with it: the same path and query at the store.
    with urllib.request.urlopen(object_store.endpoint + accel.removeprefix("/protected")) as got:
        assert got.read() == PDF


@override_settings(PRIVATE_STORAGE_ACCEL_PREFIX="/protected/")
def test_download_behind_nginx_from_a_folder_names_the_file(
    client, cast, application, local_storage
):
    client.force_login(cast.county_a_applicant)
    _upload(client, application, "a.pdf", PDF, _item(application))
    evidence = Evidence.objects.get()
    response = client.get(
        reverse("applications:evidence_download", args=[application.pk, evidence.pk])
    )
    assert response["X-Accel-Redirect"] == f"/protected/evidence/{evidence.stored_name}"
    assert response.content == b""
    assert (local_storage / "evidence" / evidence.stored_name).read_bytes() == PDF


def test_other_countys_user_gets_404_for_the_file(client, cast, application):
    client.force_login(cast.county_a_applicant)
    _upload(client, application, "a.pdf", PDF, _item(application))
    evidence = Evidence.objects.get()
    url = reverse("applications:evidence_download", args=[application.pk, evidence.pk])
    remove = reverse("applications:evidence_remove", args=[application.pk, evidence.pk])
    with nothing_moves():
        for user in (
            cast.county_a2_applicant,
            cast.county_b_applicant,
            cast.city_a_reviewer,
            cast.office,
        ):
            client.force_login(user)
            assert client.get(url).status_code == 404
            assert client.post(remove).status_code == 404
            assert _upload(client, application, "b.pdf", PDF, _item(application)).status_code == 404


def test_city_downloads_once_submitted(client, cast, complete_application):
    client.force_login(cast.county_a_applicant)
    _upload(client, complete_application, "a.pdf", PDF, _item(complete_application))
    evidence = Evidence.objects.get()
    application_transition(
        application=complete_application, action=Action.SUBMIT, by=cast.county_a_head,
        pledge=True, acknowledged=True,
    )  # fmt: skip
    client.force_login(cast.city_a_reviewer)
    url = reverse("applications:evidence_download", args=[complete_application.pk, evidence.pk])
    response = client.get(url + "?inline=1")
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("inline;")
    client.force_login(cast.city_b_reviewer)
    with nothing_moves():
        assert client.get(url).status_code == 404


def test_submitted_evidence_is_frozen_and_new_versions_keep_the_old(
    client, cast, complete_application
):
    client.force_login(cast.county_a_applicant)
    item = _item(complete_application)
    _upload(client, complete_application, "v1.pdf", PDF, item)
    first = Evidence.objects.get()
    application_transition(
        application=complete_application, action=Action.SUBMIT, by=cast.county_a_head,
        pledge=True, acknowledged=True,
    )  # fmt: skip
    # Submitted: no upload, no removal.
    remove = reverse("applications:evidence_remove", args=[complete_application.pk, first.pk])
    with nothing_moves():
        assert _upload(client, complete_application, "v2.pdf", PDF, item).status_code == 403
        assert client.post(remove).status_code == 403
    application_transition(
        application=complete_application, action=Action.RETURN, by=cast.city_a_reviewer,
        note="请补充",
    )  # fmt: skip
    # Returned: a new version supersedes the old one, which stays in the history.
    _upload(client, complete_application, "v2.pdf", PDF + b"%v2\n", item, replaces=first.pk)
    first.refresh_from_db()
    second = Evidence.objects.exclude(pk=first.pk).get()
    assert first.frozen
    assert first.removed_at is not None
    assert (second.round, second.replaces, second.frozen) == (2, first, False)
    # Removing a submitted file keeps it too.
    client.post(reverse("applications:evidence_remove", args=[complete_application.pk, second.pk]))
    assert not Evidence.objects.filter(pk=second.pk).exists()  # never submitted: deleted
    assert Evidence.objects.filter(pk=first.pk).exists()


def test_draft_file_is_deleted_with_its_stored_copy(
    county_client, application, django_capture_on_commit_callbacks
):
    _upload(county_client, application, "a.pdf", PDF, _item(application))
    evidence = Evidence.objects.get()
    assert evidence.stored_name in _stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        county_client.post(
            reverse("applications:evidence_remove", args=[application.pk, evidence.pk])
        )
    assert not Evidence.objects.exists()
    assert evidence.stored_name not in _stored_files()
