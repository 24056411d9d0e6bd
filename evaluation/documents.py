"""The on-site inspection report (PDF)."""

from django.utils import timezone

from applications.documents import render_pdf

from .models import Inspection
from .written_review import written_result


def inspection_report_pdf(inspection: Inspection) -> bytes:
    """The on-site inspection report: team, findings per section, photos listed, result."""
    return render_pdf(
        "evaluation/inspection_report_pdf.html",
        {
            "inspection": inspection,
            "members": inspection.members.select_related("evaluator"),
            "findings": inspection.findings.select_related("section").order_by("section__number"),
            "photos": inspection.photos.all(),
            "written": written_result(inspection.application),
            "printed_at": timezone.localtime(),
        },
    )
