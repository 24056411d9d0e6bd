"""The inspection report read back: each photo shown with its caption and time, a signature
line for every member of the team."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.inspections import inspection_schedule
from tests.documents import assert_fonts_embedded, png_of, text_of

from .test_inspections import S, _at

pytestmark = pytest.mark.django_db


@pytest.fixture
def passed_written(complete_application):
    return _at(complete_application, S.WRITTEN_PASSED)


def _photo(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (1600, 1200), colour).save(out, format="JPEG")
    return out.getvalue()


def test_report_shows_the_photos_and_a_signature_line_per_member(
    client,
    cast,
    passed_written,
    tmp_path,
):
    import pdfplumber

    inspection = inspection_schedule(
        application=passed_written,
        visit_date=date(2026, 9, 8),
        team=[cast.evaluator_publicity, cast.evaluator_grassroots],
        itinerary="",
        by=cast.office,
    )
    client.force_login(cast.evaluator_publicity)
    client.post(
        reverse("evaluation:inspection", args=[inspection.pk]),
        {
            "result": "passed",
            "summary": "各项工作扎实",
            "photos": [
                SimpleUploadedFile("司法所窗口.jpg", _photo((200, 30, 30))),
                SimpleUploadedFile("调解室.jpg", _photo((30, 30, 200))),
            ],
        },
    )
    assert inspection.photos.count() == 2
    path = tmp_path / "report.pdf"
    path.write_bytes(
        client.get(reverse("evaluation:inspection_report", args=[inspection.pk])).content
    )
    assert_fonts_embedded(path)
    with pdfplumber.open(path) as pdf:
        images = [image for page in pdf.pages for image in page.images]
        # Downscaled from storage to at most 1200 px, shown 80 mm wide.
        assert len(images) == 2
        assert all(image["srcsize"][0] <= 1200 for image in images)
        assert all(abs((image["x1"] - image["x0"]) * 25.4 / 72 - 80) < 1 for image in images)
    text = text_of(path, flat=True)
    assert "1. 司法所窗口.jpg" in text
    assert "2. 调解室.jpg" in text
    assert f"{inspection.photos.first().uploaded_at:%Y}年" in text
    for member in (cast.evaluator_publicity, cast.evaluator_grassroots):
        assert (member.get_full_name() or member.username) in text
    assert "考评组成员签字" in text
    assert "（组长）" in text
    png_of(path)  # renders as a reader's viewer would
