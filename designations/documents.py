"""Certificates, the naming notice and the public list as PDFs (CJK fonts embedded)."""

from pathlib import Path

from django.utils import timezone

from applications.documents import render_pdf


def certificate_pdf(designations) -> bytes:
    """One A4-landscape page per designation."""
    return render_pdf("designations/certificate_pdf.html", {"designations": designations})


def notice_pdf(publication) -> bytes:
    """The naming notice (命名通报) in the red-header style, the bureaus listed by city."""
    designations = publication.designations.select_related("bureau__parent").order_by(
        "bureau__parent__code", "bureau__code"
    )
    groups: dict = {}
    for designation in designations:
        groups.setdefault(designation.bureau.parent.name, []).append(designation)
    return render_pdf(
        "designations/notice_pdf.html",
        {"publication": publication, "groups": list(groups.items()), "count": len(designations)},
    )


def public_list_pdf(rows) -> bytes:
    return render_pdf(
        "designations/public_list_pdf.html", {"rows": rows, "printed_at": timezone.localtime()}
    )


def certificate_page_pdf(designation) -> bytes:
    """One designation's certificate, alone: a page of a batch."""
    return certificate_pdf([designation])


def certificates_join(pages: list[Path], target: Path) -> None:
    """Join one-page PDFs into ``target``, in the order given (an empty file for none)."""
    from pypdf import PdfWriter

    if not pages:
        target.write_bytes(b"")
        return
    writer = PdfWriter()
    for page in pages:
        writer.append(page)
    partial = target.with_name(target.name + ".part")
    with partial.open("wb") as out:
        writer.write(out)
    # Whole or absent: a reader never sees half a file.
    partial.replace(target)
