"""The city's cover letter read back: the letter layout of GB/T 9704-2012 (信函格式)."""

import pytest
from django.urls import reverse

from review.models import ForwardingBatch
from tests.documents import MM, assert_fonts_embedded, page_sizes, place_of, text_of

from .helpers import signed_off

pytestmark = pytest.mark.django_db


def test_cover_letter_is_laid_out_as_a_letter(client, cast, complete_application, tmp_path):
    import pdfplumber

    signed_off(complete_application, cast)
    client.force_login(cast.city_a_head)
    client.post(
        reverse("review:forward"),
        {"letter_number": "哈司函〔2026〕12号", "applications": [str(complete_application.pk)]},
    )
    batch = ForwardingBatch.objects.get()
    path = tmp_path / "letter.pdf"
    path.write_bytes(client.get(reverse("review:cover_letter", args=[batch.pk])).content)
    assert_fonts_embedded(path)
    assert page_sizes(path)[0] == (210, 297)
    # The city's name in red 30 mm from the top edge, the number at the 版心's right edge.
    mark = place_of(path, batch.city.name)
    assert 29 <= mark.top <= 34
    number = place_of(path, "哈司函〔2026〕12号")
    assert abs(number.right - 184) < 1
    assert number.top > mark.bottom
    assert place_of(path, "黑龙江省司法厅：").size == 16
    assert "哈尔滨市道里区司法局" in text_of(path, flat=True)
    with pdfplumber.open(path) as pdf:
        first = pdf.pages[0]
        # Two red double rules 170 mm long: under the mark, and 20 mm above the bottom edge.
        long_rules = [r for r in first.rects if abs((r["x1"] - r["x0"]) / MM - 170) < 1]
        tops = sorted(round(r["top"] / MM) for r in long_rules)
        assert len(tops) >= 4
        assert tops[-1] in (276, 277)
        # No page number on a letter's first page.
        assert not first.search(r"—\s*1\s*—", regex=True)


def test_application_form_carries_the_citys_opinion_with_its_party_meeting(
    client, cast, complete_application, tmp_path
):
    url = reverse("applications:pdf", args=[complete_application.pk])
    client.force_login(cast.county_a_head)
    before = tmp_path / "before.pdf"
    before.write_bytes(client.get(url).content)
    text = text_of(before, flat=True)
    # Blank opinion blocks, with their signature and seal lines, until the city has decided.
    assert "市级司法行政机关初审意见" in text
    assert "省司法厅意见" in text
    assert "局长（签字）" in text
    assert "申报单位（盖章）" in text
    assert "纪要" not in text
    signed_off(complete_application, cast)
    client.force_login(cast.city_a_head)
    after = tmp_path / "after.pdf"
    after.write_bytes(client.get(url).content)
    text = text_of(after, flat=True)
    assert "党委会议（2026年6月30日，纪要哈司党〔2026〕3号）审议，同意推荐上报" in text
    assert place_of(after, "市级司法行政机关初审意见").top < place_of(after, "省司法厅意见").top


def test_application_form_as_word_has_the_same_content(
    client, cast, complete_application, tmp_path
):
    from docx import Document

    signed_off(complete_application, cast)
    client.force_login(cast.city_a_reviewer)
    response = client.get(reverse("applications:docx", args=[complete_application.pk]))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    path = tmp_path / "form.docx"
    path.write_bytes(response.content)
    document = Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "全省示范县（市、区）司法局创建申报表"
    assert "市级司法行政机关初审意见" in paragraphs
    assert "省司法厅意见" in paragraphs
    opinion = paragraphs[paragraphs.index("市级司法行政机关初审意见") + 1]
    assert opinion.endswith("党委会议（2026年6月30日，纪要哈司党〔2026〕3号）审议，同意推荐上报。")
    assert any(p.startswith("本单位承诺：") for p in paragraphs)
    facts, items = document.tables
    assert facts.cell(0, 1).text == "哈尔滨市道里区司法局"
    codes = [row.cells[0].text for row in items.rows]
    assert "1.1" in codes
    assert "7.9" in codes
    assert "{%tr" not in "".join(codes)
    assert len(items.rows) == 1 + 7 + 59  # header, a row per section, a row per item
