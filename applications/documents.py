"""Documents generated from an application (WeasyPrint, CJK fonts embedded)."""

from io import BytesIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.hooks import hooks
from core.privacy import mask_name, mask_phone

from .completeness import completeness_of
from .hooks import FORM_OPINIONS
from .models import Application


def render_pdf(template: str, context: dict) -> bytes:
    """Render ``template`` to PDF bytes. WeasyPrint is imported here, not at module top."""
    from weasyprint import HTML

    with translation.override("zh-hans"):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def application_form_context(application: Application, *, may_see_contact: bool) -> dict:
    """What the form says, in PDF and in Word: the bureau's facts, every item's
    self-assessment and indicator check, the pledge, and the opinions the apps above know
    (the city's preliminary opinion with its Party meeting, the department's decision)."""
    context = {
        "application": application,
        "may_see_contact": may_see_contact,
        "report": completeness_of(application),
        "printed_at": timezone.localtime(),
        "city_opinion": None,
        "department_opinion": None,
    }
    for opinions in hooks.all(FORM_OPINIONS):
        context.update(opinions(application))
    context["pledge"] = PLEDGE + (
        f"（已于{_day(timezone.localtime(application.pledged_at))}在平台确认承诺）"
        if application.pledged_at
        else ""
    )
    context["city_opinion_text"] = _city_opinion_text(context["city_opinion"])
    context["department_opinion_text"] = _department_opinion_text(context["department_opinion"])
    return context


PLEDGE = (
    "本单位承诺：所报申报表及佐证材料客观、真实，无形式主义和弄虚作假现象；"
    "如有不实，愿承担相应责任。"
)


def _day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _city_opinion_text(opinion: dict | None) -> str:
    if not opinion:
        return ""
    verdict = "同意推荐上报" if opinion["approved"] else "不同意推荐上报"
    return (
        f"经初审，并经{opinion['city']}{opinion['meeting']}（{_day(opinion['held_on'])}，"
        f"纪要{opinion['minutes_number']}）审议，{verdict}。"
    )


def _department_opinion_text(opinion: dict | None) -> str:
    if not opinion:
        return ""
    verdict = "同意命名为“全省示范县（市、区）司法局”" if opinion["approved"] else "不予命名"
    return (
        f"经书面审查、实地考核验收，并经省司法厅党委会议（{_day(opinion['held_on'])}，"
        f"{opinion['number']}）审议，{verdict}。"
    )


def application_form_docx(application: Application, *, may_see_contact: bool = True) -> bytes:
    """The application form as Word, from ``APPLICATION_FORM_DOCX_TEMPLATE`` (docxtpl tags; the
    bundled one is built by ``applications/word/build_template.py``): the same content as the
    PDF, for offices that edit and print Word."""
    from docxtpl import DocxTemplate

    context = application_form_context(application, may_see_contact=may_see_contact)
    contact = (
        f"{application.contact_name} {application.contact_phone}"
        if may_see_contact
        else f"{mask_name(application.contact_name or '')} "
        f"{mask_phone(application.contact_phone or '')}"
    )
    items = []
    for rows in context["report"].sections:
        items.append(
            {
                "code": str(rows.section.number),
                "title": rows.section.name,
                "answer": "",
                "notes": "",
            }
        )
        for row in rows.items:
            notes = (
                [row.assessment.explanation]
                if row.assessment and row.assessment.explanation
                else []
            )
            notes += [f"{ind.indicator.name}：{ind.evaluation.reason}" for ind in row.indicators]
            items.append(
                {
                    "code": row.item.code,
                    "title": row.item.title + ("（一票否决）" if row.item.is_veto else ""),
                    "answer": row.assessment.get_answer_display() if row.assessment else "未填",
                    "notes": "\n".join(notes),
                }
            )

    def number(value) -> str:
        return "" if value is None else str(value)

    template = DocxTemplate(settings.APPLICATION_FORM_DOCX_TEMPLATE)
    with translation.override("zh-hans"):
        template.render(
            {
                "year": application.cycle.year,
                "county": application.county.name,
                "city": application.county.parent.name,
                "code": application.county.code,
                "head_name": application.head_name,
                "contact": contact,
                "staff_authorized": number(application.staff_authorized),
                "staff_actual": number(application.staff_actual),
                "judicial_offices": number(application.judicial_office_count),
                "legal_service_offices": number(application.legal_service_office_count),
                "summary": application.summary,
                "items": items,
                "pledge": context["pledge"],
                "city_opinion": context["city_opinion_text"],
                "department_opinion": context["department_opinion_text"],
                "printed_at": f"{context['printed_at']:%Y-%m-%d %H:%M}",
                "state": str(application.get_state_display()),
            },
            autoescape=True,
        )
    out = BytesIO()
    template.save(out)
    return out.getvalue()


def application_form_pdf(application: Application, *, may_see_contact: bool = True) -> bytes:
    """The application form (申报表) to print, sign, stamp and scan back; the contact's name
    and phone masked unless ``may_see_contact``."""
    return render_pdf(
        "applications/application_pdf.html",
        application_form_context(application, may_see_contact=may_see_contact),
    )
