"""Certificates, the naming notice and the public list as PDFs (CJK fonts embedded)."""

import io
from typing import IO

from django.utils import timezone

from applications.documents import render_pdf
from core.signing import sign_pdf

from .enums import PublicationKind, Reward


def certificate_pdf(designations) -> bytes:
    """One A4-landscape page per designation: the number, the merit recommended, the date in
    Chinese numerals, the seal area; signed when a signing key is configured."""
    return sign_pdf(
        render_pdf("designations/certificate_pdf.html", {"designations": designations}),
        reason="全省示范县（市、区）司法局证书",
    )


def notice_pdf(publication) -> bytes:
    """The naming notice (命名通报) or its supplement in the layout of GB/T 9704-2012: the
    bureaus by city, the merit recommended for each, signed when a signing key is configured."""
    designations = list(
        publication.designations.select_related("bureau__parent").order_by(
            "bureau__parent__code", "bureau__code"
        )
    )
    groups: dict = {}
    for designation in designations:
        groups.setdefault(designation.bureau.parent.region_name, []).append(designation)
    pdf = render_pdf(
        "designations/notice_pdf.html",
        {
            "publication": publication,
            "supplement": publication.kind == PublicationKind.SUPPLEMENT,
            "groups": list(groups.items()),
            "count": len(designations),
            "collective": [d for d in designations if d.reward == Reward.COLLECTIVE],
            "personal": [d for d in designations if d.reward == Reward.PERSONAL],
        },
    )
    return sign_pdf(pdf, reason=f"{publication.document_number}")


def public_list_pdf(rows) -> bytes:
    return render_pdf(
        "designations/public_list_pdf.html", {"rows": rows, "printed_at": timezone.localtime()}
    )


def certificate_page_pdf(designation) -> bytes:
    """One designation's certificate, alone: a page of a batch (signed only once joined)."""
    return render_pdf("designations/certificate_pdf.html", {"designations": [designation]})


def certificates_join(pages: list[IO[bytes]]) -> bytes:
    """One-page PDFs (open files) joined in the order given (empty for none)."""
    from pypdf import PdfWriter

    if not pages:
        return b""
    writer = PdfWriter()
    for page in pages:
        writer.append(page)
    joined = io.BytesIO()
    writer.write(joined)
    # The joined file is what the department hands out: signed as a whole (the pages alone
    # are not), when a signing key is configured.
    return sign_pdf(joined.getvalue(), reason="全省示范县（市、区）司法局证书")
