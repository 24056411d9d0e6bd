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
        documents[0].copy(pages).write_pdf(private_root() / stored_name)
    else:
        (private_root() / stored_name).write_bytes(b"")
    return stored_name
