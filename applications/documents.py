"""Documents generated from an application (WeasyPrint, CJK fonts embedded)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .completeness import completeness_of
from .models import Application


def render_pdf(template: str, context: dict) -> bytes:
    """Render ``template`` to PDF bytes. WeasyPrint is imported here, not at module top."""
    from weasyprint import HTML

    with translation.override("zh-hans"):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def application_form_pdf(application: Application, *, may_see_contact: bool = True) -> bytes:
    """The application form (申报表) with every item's self-assessment and indicator check; the
    contact's name and phone masked unless ``may_see_contact``."""
    return render_pdf(
        "applications/application_pdf.html",
        {
            "application": application,
            "may_see_contact": may_see_contact,
            "report": completeness_of(application),
            "printed_at": timezone.localtime(),
        },
    )
