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
