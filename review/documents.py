"""The city's cover letter for a forwarding batch (PDF)."""

from django.utils import timezone

from applications.documents import render_pdf

from .models import ForwardingBatch


def cover_letter_pdf(batch: ForwardingBatch) -> bytes:
    return render_pdf(
        "review/cover_letter_pdf.html",
        {
            "batch": batch,
            "applications": batch.applications.select_related("county").order_by("county__code"),
            "printed_at": timezone.localtime(),
        },
    )


def inspection_report_pdf(inspection) -> bytes:
    """The on-site inspection report: team, findings per section, photos listed, result."""
    from .evaluation import written_result

    return render_pdf(
        "review/inspection_report_pdf.html",
        {
            "inspection": inspection,
            "members": inspection.members.select_related("evaluator"),
            "findings": inspection.findings.select_related("section").order_by("section__number"),
            "photos": inspection.photos.all(),
            "written": written_result(inspection.application),
            "printed_at": timezone.localtime(),
        },
    )
