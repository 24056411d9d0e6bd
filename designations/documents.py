"""Certificates, the naming notice and the public list as PDFs (CJK fonts embedded)."""

from django.utils import timezone

from applications.documents import render_pdf
from core.signing import sign_pdf


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
    from .enums import PublicationKind, Reward

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


def certificates_store(designations, *, on_page) -> str:
    """Render the certificates one page at a time (``on_page(done)`` after each), join them
    into one PDF in private storage and return its stored name."""
    import secrets

    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    from applications.evidence import private_root

    documents = []
    with translation.override("zh-hans"):
        for index, designation in enumerate(designations, start=1):
            html = render_to_string(
                "designations/certificate_pdf.html", {"designations": [designation]}
            )
            documents.append(HTML(string=html).render())
            on_page(index)
    stored_name = secrets.token_hex(20)
    pages = [page for document in documents for page in document.pages]
    if documents:
        (private_root() / stored_name).write_bytes(
            sign_pdf(documents[0].copy(pages).write_pdf(), reason="全省示范县（市、区）司法局证书")
        )
    else:
        (private_root() / stored_name).write_bytes(b"")
    return stored_name
