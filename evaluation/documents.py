"""The on-site inspection report (PDF)."""

import base64
from io import BytesIO

from django.utils import timezone

from applications.documents import render_pdf
from applications.enums import EvidenceKind
from core.storage import private_open

from .enums import Decision
from .models import Inspection, ProvincialDecision
from .selectors import written_result


def _thumbnail(photo) -> str:
    """The photo from private storage as a data URI, at most 1200 px on its longer side (a
    printed thumbnail needs no more); empty when it is not an image or does not open."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if photo.kind not in (EvidenceKind.JPEG, EvidenceKind.PNG):
        return ""
    try:
        with private_open(photo.stored_name) as stored, Image.open(stored) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((1200, 1200))
            out = BytesIO()
            image.save(out, format="JPEG", quality=80)
    except (OSError, UnidentifiedImageError):
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def inspection_report_pdf(inspection: Inspection) -> bytes:
    """The on-site inspection report: team, findings per section, each photo shown with its
    caption and time, the result, and a signature line for every member of the team."""
    photos = [
        {"photo": photo, "src": _thumbnail(photo)}
        for photo in inspection.photos.order_by("uploaded_at", "pk")
    ]
    return render_pdf(
        "evaluation/inspection_report_pdf.html",
        {
            "inspection": inspection,
            "members": inspection.members.select_related("evaluator").order_by("pk"),
            "findings": inspection.findings.select_related("section").order_by("section__number"),
            "photos": photos,
            "written": written_result(inspection.application),
            "printed_at": timezone.localtime(),
        },
    )


def form_department_opinion(application) -> dict:
    """The department's opinion for the application form (hook ``FORM_OPINIONS``): the
    Party committee's decision (meeting date and number), once recorded."""
    decision = (
        ProvincialDecision.objects.filter(application=application).select_related("meeting").first()
    )
    if decision is None:
        return {}
    return {
        "department_opinion": {
            "held_on": decision.meeting.held_on,
            "number": decision.meeting.number,
            "approved": decision.decision == Decision.APPROVED,
        }
    }
