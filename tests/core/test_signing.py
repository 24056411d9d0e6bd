"""PAdES signatures of the notice and the certificates, and the public verification page."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.signing import _signer, sign_pdf, verify_pdf
from designations.services import designation_grant, publication_publish
from tests.designations.factories import noticed_application
from tests.documents import make_signing_p12

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(cycle, cast):
    designation = designation_grant(
        application=noticed_application(cycle, cast.office, "230102"),
        by=cast.office,
        designated_on=date(2026, 12, 2),
        reward="collective",
    )
    return publication_publish(
        cycle=cycle,
        by=cast.office,
        document_number="黑司通〔2026〕30号",
        published_on=date(2026, 12, 5),
        designations=[designation],
    )


def _pdf(client, publication) -> bytes:
    return client.get(reverse("designations:notice", args=[publication.pk])).content


def test_nothing_is_signed_without_a_certificate(client, notice):
    data = _pdf(client, notice)
    assert b"/ByteRange" not in data
    assert sign_pdf(data) is data
    assert not verify_pdf(data).signed


def test_the_notice_is_signed_by_the_department_and_verifies(client, notice, signing):
    result = verify_pdf(_pdf(client, notice))
    assert (result.signed, result.valid, result.intact, result.whole_file, result.ours) == (
        True, True, True, True, True,
    )  # fmt: skip
    assert "黑龙江省司法厅" in result.signer


def test_a_certificate_is_signed(client, cast, cycle, signing):
    designation = designation_grant(
        application=noticed_application(cycle, cast.office, "230202"),
        by=cast.office,
        designated_on=date(2026, 12, 2),
        reward="collective",
    )
    client.force_login(cast.office)
    data = client.get(reverse("designations:certificate", args=[designation.pk])).content
    assert verify_pdf(data).valid


def test_any_change_to_the_signed_bytes_breaks_the_signature(client, notice, signing):
    data = bytearray(_pdf(client, notice))
    # A byte of the page content, inside the range the signature covers.
    at = data.index(b"stream") + 20
    data[at] = (data[at] + 1) % 256
    result = verify_pdf(bytes(data))
    assert result.signed
    assert not result.valid
    assert not result.intact


def test_a_revision_added_after_signing_is_reported(client, notice, signing):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(_pdf(client, notice)))
    writer.set_info(
        generic.DictionaryObject({generic.pdf_name("/Title"): generic.pdf_string("改")})
    )
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    assert result.signed
    assert result.intact
    assert not result.whole_file
    assert not result.valid


def test_a_signature_by_another_certificate_is_not_the_departments(
    client, notice, signing, settings, tmp_path
):
    # Signed by someone else's certificate…
    other, password = make_signing_p12(tmp_path, name="某某单位")
    settings.DOCUMENT_SIGNING_P12, settings.DOCUMENT_SIGNING_PASSWORD = str(other), password
    forged = _pdf(client, notice)
    # …and checked against the department's.
    settings.DOCUMENT_SIGNING_P12, settings.DOCUMENT_SIGNING_PASSWORD = str(signing), "s3cret"
    _signer.cache_clear()
    result = verify_pdf(forged)
    assert result.signed
    assert result.intact
    assert not result.ours
    assert not result.valid


def test_verification_page_answers_anyone(client, notice, signing):
    url = reverse("public_verify")
    page = client.get(url)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    good = client.post(url, {"document": SimpleUploadedFile("通报.pdf", _pdf(client, notice))})
    assert "签名有效" in good.content.decode()
    tampered = bytearray(_pdf(client, notice))
    tampered[tampered.index(b"stream") + 20] ^= 1
    bad = client.post(url, {"document": SimpleUploadedFile("通报.pdf", bytes(tampered))})
    assert bad.status_code == 200
    assert "无效" in bad.content.decode()


def test_verification_page_refuses_what_is_not_a_pdf_or_too_large(client, settings):
    url = reverse("public_verify")
    response = client.post(url, {"document": SimpleUploadedFile("x.pdf", b"<html>")})
    assert response.status_code == 400
    settings.DOCUMENT_VERIFY_MAX_BYTES = 10
    response = client.post(url, {"document": SimpleUploadedFile("x.pdf", b"%PDF-1.7 " + b"0" * 20)})
    assert response.status_code == 400
