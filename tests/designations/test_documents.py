"""The naming notice and the certificates read back as a reader sees them: page, margins,
fonts, the texts at their places (GB/T 9704-2012), the picture, the signature."""

from datetime import date

import pytest
from django.urls import reverse

from designations.services import designation_grant, publication_publish
from tests.documents import (
    assert_fonts_embedded,
    page_sizes,
    place_of,
    png_of,
    red_share,
    text_box,
    text_of,
)

from .factories import noticed_application

pytestmark = pytest.mark.django_db


def _designate(cycle, cast, code, reward="collective", head_name=""):
    return designation_grant(
        application=noticed_application(cycle, cast.office, code),
        by=cast.office,
        designated_on=date(2026, 12, 2),
        reward=reward,
        head_name=head_name,
    )


@pytest.fixture
def publication(cycle, cast):
    designations = [
        _designate(cycle, cast, "230102"),
        _designate(cycle, cast, "230202", reward="personal", head_name="周正言"),
    ]
    return publication_publish(
        cycle=cycle,
        by=cast.office,
        document_number="黑司通〔2026〕30号",
        published_on=date(2026, 12, 5),
        designations=designations,
    )


def _notice(client, publication, tmp_path):
    response = client.get(reverse("designations:notice", args=[publication.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "notice.pdf"
    path.write_bytes(response.content)
    return path


def test_notice_is_laid_out_as_gb_t_9704(client, publication, tmp_path):
    path = _notice(client, publication, tmp_path)
    assert_fonts_embedded(path)
    sizes = page_sizes(path)
    assert set(sizes) == {(210, 297)}
    # 版心 156 × 225 mm from 37 mm at the top and 28 mm at the left: nothing printed outside
    # it but the page number under it.
    left, top, right, _bottom = text_box(path)
    assert 27.5 <= left < 29
    assert right <= 184.5
    assert top >= 36.5
    # 发文机关标志 in red, 35 mm under the 版心's top edge; the 发文字号 centred under it.
    mark = place_of(path, "黑龙江省司法厅文件")
    assert 71 <= mark.top <= 74
    number = place_of(path, "黑司通〔2026〕30号")
    assert abs(number.centre - 105) < 1.5
    assert number.top > mark.bottom
    assert number.size == 16
    png = png_of(path)
    assert red_share(png, (0.1, mark.top / 297 - 0.01, 0.9, mark.bottom / 297 + 0.01)) > 0.05
    # The title in 二号 (22 pt), two lines under the red rule; body in 三号 (16 pt).
    title = place_of(path, "全省示范县（市、区）司法局的通报")
    assert title.size == 22
    assert title.top > number.bottom + 10
    recipients = place_of(path, "各市（地）司法局：")
    assert recipients.size == 16
    assert abs(recipients.left - 28) < 0.5
    text = text_of(path, flat=True)
    assert "哈尔滨市道里区司法局" in text
    assert "齐齐哈尔市龙沙区司法局" in text
    assert "记集体二等功" in text
    assert "周正言同志记个人二等功" in text
    # 成文日期 in the standard's Arabic numerals, four characters in from the right.
    signed_on = place_of(path, "2026年12月5日")
    assert 184 - 4 * 5.7 - 2 < signed_on.right < 184 - 4 * 5.7 + 2
    # 版记 at the foot of the last page: 抄送 over 印发机关 and 印发日期, its last line on
    # the 版心's lower edge (262 mm).
    last = len(sizes)
    copy_to = place_of(path, "抄送：司法部，省委政法委。")
    printed = place_of(path, "黑龙江省司法厅办公室")
    printed_on = place_of(path, "2026年12月5日印发")
    assert copy_to.page == printed.page == printed_on.page == last
    assert copy_to.size == printed.size == 14
    assert copy_to.bottom < printed.top
    assert 250 < printed.bottom < 262
    assert abs(printed.top - printed_on.top) < 0.5
    assert abs(printed.left - (28 + 14 / 72 * 25.4)) < 1  # one character in
    # Page numbers — 1 — 7 mm under the 版心, odd pages at the right.
    page_number = place_of(path, r"—\s*1\s*—", regex=True)
    assert page_number.page == 1
    assert 268.5 < page_number.top < 270.5
    assert page_number.right > 170


def test_supplement_notice_says_it_supplements(client, cycle, cast, tmp_path):
    publication_publish(
        cycle=cycle, by=cast.office, document_number="黑司通〔2026〕30号",
        published_on=date(2026, 12, 5), designations=[_designate(cycle, cast, "230202")],
    )  # fmt: skip
    designation = _designate(cycle, cast, "230102")
    supplement = publication_publish(
        cycle=cycle, by=cast.office, document_number="黑司通〔2027〕2号",
        published_on=date(2027, 3, 1), designations=[designation],
    )  # fmt: skip
    assert supplement.kind == "supplement"
    text = text_of(_notice(client, supplement, tmp_path), flat=True)
    assert "关于增补2026年度" in text
    assert "决定增补以下1个单位" in text


def test_certificate_is_one_landscape_page_dated_in_chinese_numerals(client, cast, cycle, tmp_path):
    designation = _designate(cycle, cast, "230202", reward="personal", head_name="周正言")
    client.force_login(cast.office)
    response = client.get(reverse("designations:certificate", args=[designation.pk]))
    path = tmp_path / "certificate.pdf"
    path.write_bytes(response.content)
    assert page_sizes(path) == [(297, 210)]
    assert_fonts_embedded(path)
    text = text_of(path, flat=True)
    assert "二〇二六年十二月二日" in text
    assert "2026年" not in text.replace("〔2026〕", "")
    assert "周正言同志记个人二等功" in text
    assert designation.number in text
    # The issuer over the date, inside the seal area at the right.
    signed_on = place_of(path, "二〇二六年十二月二日")
    assert signed_on.left > 297 / 2
    assert signed_on.top > 150
    png = png_of(path)
    assert red_share(png, (0.3, 0.1, 0.7, 0.3)) > 0.01  # 荣誉证书 in red
