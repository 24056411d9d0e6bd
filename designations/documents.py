"""Certificates, the naming notice and the public list as PDFs (CJK fonts embedded)."""

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


def certificate_batch_render(batch) -> None:
    """Render every holding designation of the batch's cycle, one at a time (progress saved
    after each), then join the pages into one PDF in private storage."""
    import secrets

    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    from applications.evidence import private_root

    from .enums import HOLDING_STATES
    from .models import CertificateBatch, Designation

    designations = list(
        Designation.objects.filter(cycle=batch.cycle, state__in=HOLDING_STATES)
        .select_related("bureau")
        .order_by("bureau__code")
    )
    CertificateBatch.objects.filter(pk=batch.pk).update(
        state="running", total=len(designations), done=0
    )
    documents = []
    with translation.override("zh-hans"):
        for index, designation in enumerate(designations, start=1):
            html = render_to_string(
                "designations/certificate_pdf.html", {"designations": [designation]}
            )
            documents.append(HTML(string=html).render())
            CertificateBatch.objects.filter(pk=batch.pk).update(done=index)
    stored_name = secrets.token_hex(20)
    pages = [page for document in documents for page in document.pages]
    if documents:
        documents[0].copy(pages).write_pdf(private_root() / stored_name)
    else:
        (private_root() / stored_name).write_bytes(b"")
    CertificateBatch.objects.filter(pk=batch.pk).update(
        state="done", stored_name=stored_name, finished_at=timezone.now()
    )
