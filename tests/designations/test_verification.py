"""Certificates and naming notices anyone can verify: the code and QR code printed on them, and
the public page of each code telling the title's standing today."""

from datetime import date, datetime, time, timedelta

import pytest
import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from designations.enums import DesignationState
from designations.models import Designation, Publication
from designations.services import publication_publish
from designations.verification import (
    CODE_ALPHABET,
    CODE_LENGTH,
    verification_code_new,
    verification_qr_svg,
    verification_url,
)
from reinspections.rectifications import rectification_conclude, rectification_running
from tests.documents import png_of, text_of

from .factories import DUE_ON, at_state, designated

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://portal.example.gov.cn"


def _page(client, code, **extra):
    return client.get(reverse("public_verify_code", args=[code]), **extra)


def _standing(response) -> str:
    html = response.content.decode()
    start = html.index('id="verify-standing"')
    return " ".join(html[start : html.index("</section>", start)].split())


# The code


def test_codes_are_long_random_and_readable():
    codes = {verification_code_new() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == CODE_LENGTH == 12
        assert set(code) <= set(CODE_ALPHABET)
    # No look-alikes: 0 and O, 1 and I.
    assert not set("0O1I") & set(CODE_ALPHABET)
    assert len(CODE_ALPHABET) == 32  # 5 bits a character, 60 bits a code


def test_every_designation_and_publication_gets_its_own_code(cast, cycle):
    a = at_state(cast.office, DesignationState.ACTIVE, "230102")
    b = at_state(cast.office, DesignationState.ACTIVE, "230103")
    c = designated(cycle, cast.office, "230202")
    codes = [d.verification_code for d in (a, b, c)]
    assert len(set(codes)) == 3
    assert all(len(code) == 12 and set(code) <= set(CODE_ALPHABET) for code in codes)
    publication = Publication.objects.get(pk=a.publication_id)  # the paper register's notice
    assert publication.verification_code not in codes
    assert Designation._meta.get_field("verification_code").unique
    assert Publication._meta.get_field("verification_code").unique


# The page of a designation's code, for each standing


@pytest.mark.parametrize("state", [DesignationState.ACTIVE, DesignationState.REINSPECTION_DUE])
def test_a_held_title_says_so(client, cast, state):
    designation = at_state(cast.office, state)
    assert designation.state == state
    response = _page(client, designation.verification_code)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    standing = _standing(response)
    assert "哈尔滨市道里区司法局" in standing
    assert designation.number in standing
    assert "2023-01-10" in standing
    assert "黑司通〔2023〕18号" in standing
    assert "称号有效" in standing
    assert "撤销" not in standing
    assert "整改" not in standing


def test_a_title_under_rectification_shows_its_deadline(client, cast):
    designation = at_state(cast.office, DesignationState.RECTIFYING)
    deadline = timezone.localdate() + timedelta(days=60)
    standing = _standing(_page(client, designation.verification_code))
    assert "限期整改中" in standing
    assert f"整改期限至{deadline:%Y-%m-%d}" in standing
    assert "称号有效" not in standing


def test_a_revoked_title_shows_the_date(client, cast):
    designation = at_state(cast.office, DesignationState.REVOKED)
    response = _page(client, designation.verification_code)
    assert response.status_code == 200
    standing = _standing(response)
    assert "称号已撤销" in standing
    assert f"于{DUE_ON:%Y-%m-%d}撤销" in standing
    assert f"于{DUE_ON:%Y-%m-%d}摘牌" in standing
    assert "已不再是全省示范县（市、区）司法局" in standing
    assert "称号有效" not in standing


def test_a_failed_rectification_turns_the_page_to_revoked(client, cast):
    designation = at_state(cast.office, DesignationState.RECTIFYING)
    before = _standing(_page(client, designation.verification_code))
    assert "限期整改中" in before
    rectification = rectification_running(designation)
    # Nothing reported by the deadline: the office concludes the day after, and revokes.
    after_deadline = timezone.make_aware(
        datetime.combine(rectification.deadline + timedelta(days=1), time(9))
    )
    rectification_conclude(
        rectification=rectification, by=cast.office, note="仍未达标",
        decision="黑司发〔2026〕9号", now=after_deadline,
    )  # fmt: skip
    designation.refresh_from_db()
    assert designation.state == DesignationState.REVOKED
    after = _standing(_page(client, designation.verification_code))
    assert f"于{designation.revoked_on:%Y-%m-%d}撤销" in after


def test_the_page_in_english(client, cast):
    designation = at_state(cast.office, DesignationState.REVOKED)
    standing = _standing(_page(client, designation.verification_code, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Title revoked" in standing
    assert f"revoked on {DUE_ON:%Y-%m-%d}" in standing


def test_a_notice_code_lists_each_designation_with_its_standing(client, cast, cycle):
    kept = designated(cycle, cast.office, "230102")
    other = designated(cycle, cast.office, "230202")
    publication = publication_publish(
        cycle=cycle, by=cast.office, document_number="黑司通〔2026〕30号",
        published_on=date(2026, 12, 5), designations=[kept, other],
    )  # fmt: skip
    from designations.services import designation_revoke

    designation_revoke(
        designation=Designation.objects.get(pk=other.pk), by=cast.office, ground="violation",
        decision="黑司发〔2026〕3号", revoked_on=date(2026, 12, 20),
        plaque_removed_on=date(2026, 12, 21),
        note="违法违纪",
    )  # fmt: skip
    response = _page(client, publication.verification_code)
    assert response.status_code == 200
    standing = _standing(response)
    assert "黑司通〔2026〕30号" in standing
    rows = standing.split("<tr>")[2:]
    assert len(rows) == 2
    assert "哈尔滨市道里区司法局" in rows[0]
    assert "称号有效" in rows[0]
    assert "齐齐哈尔市龙沙区司法局" in rows[1]
    assert "于2026-12-20撤销" in rows[1]


def test_an_unknown_code_is_a_404_that_says_so(client, cast):
    at_state(cast.office, DesignationState.ACTIVE)
    for code in ("ABCDEFGHJKLM", "abc", "0" * 12):
        response = _page(client, code)
        assert response.status_code == 404
        assert "查验码" in response.content.decode()
        assert "不存在" in response.content.decode()


def test_a_typed_code_leads_to_its_page(client, cast):
    designation = at_state(cast.office, DesignationState.ACTIVE)
    code = designation.verification_code
    typed = f" {code[:4].lower()}-{code[4:8]} {code[8:]} "
    response = client.get(reverse("public_verify"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("public_verify_code", args=[code])


def test_a_mistyped_code_is_refused_on_the_form(client):
    response = client.get(reverse("public_verify"), {"code": "ABC-O1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "查验码由12位字母和数字组成" in html
    assert 'value="ABC-O1"' in html  # kept as typed


def test_the_two_verification_pages_link_to_each_other(client, cast):
    designation = at_state(cast.office, DesignationState.ACTIVE)
    page = _page(client, designation.verification_code).content.decode()
    assert f'href="{reverse("public_verify")}"' in page
    upload = client.get(reverse("public_verify")).content.decode()
    assert 'name="code"' in upload


# The rate per address


def test_past_the_rate_an_address_is_refused_with_a_429(client, cast, settings):
    settings.PUBLIC_VERIFY_RATE = "3/m"
    designation = at_state(cast.office, DesignationState.ACTIVE)
    code = designation.verification_code
    assert [_page(client, code).status_code for _ in range(2)] == [200, 200]
    assert _page(client, "ABCDEFGHJKLM").status_code == 404  # guesses count too
    refused = _page(client, code)
    assert refused.status_code == 429
    assert "查询过于频繁" in refused.content.decode()
    assert designation.number not in refused.content.decode()
    # Another address is not held back.
    assert _page(client, code, REMOTE_ADDR="10.1.2.3").status_code == 200


# The printed documents


def _decoded(png) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(Image.open(png))]


def test_the_certificate_carries_the_code_and_a_qr_code_of_its_page(client, cast, cycle, tmp_path):
    designation = designated(cycle, cast.office, "230202")
    url = f"https://portal.example.gov.cn/public/verify/{designation.verification_code}/"
    assert verification_url(designation.verification_code) == url
    # The QR code in the page's HTML is segno's for that address.
    html = render_to_string("designations/certificate_pdf.html", {"designations": [designation]})
    expected = segno.make(url, error="m").svg_inline(scale=0.5, unit="mm", border=4, dark="#000")
    assert expected in html
    assert verification_qr_svg(designation.verification_code) == expected
    client.force_login(cast.office)
    response = client.get(reverse("designations:certificate", args=[designation.pk]))
    path = tmp_path / "certificate.pdf"
    path.write_bytes(response.content)
    assert designation.verification_code in text_of(path, flat=True)
    # Read back from the printed page, as a phone would.
    assert _decoded(png_of(path, dpi=200)) == [url]


def test_the_notice_carries_its_code_and_a_qr_code_of_its_page(client, cast, cycle, tmp_path):
    publication = publication_publish(
        cycle=cycle, by=cast.office, document_number="黑司通〔2026〕30号",
        published_on=date(2026, 12, 5), designations=[designated(cycle, cast.office, "230102")],
    )  # fmt: skip
    url = f"https://portal.example.gov.cn/public/verify/{publication.verification_code}/"
    response = client.get(reverse("designations:notice", args=[publication.pk]))
    path = tmp_path / "notice.pdf"
    path.write_bytes(response.content)
    text = text_of(path, flat=True)
    assert f"查验码：{publication.verification_code}" in text
    pages = text.count("\f")
    found = [u for page in range(1, pages + 1) for u in _decoded(png_of(path, page=page, dpi=200))]
    assert found == [url]
