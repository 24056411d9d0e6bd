"""Demo people and their roles. Every person here is fictitious."""

from django.db import transaction

from organizations.enums import Role
from organizations.models import Bureau, Division, User
from organizations.services import membership_grant

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - the documented demo password, demo data only

# username, full name, role, bureau code or division code
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("dl_applicant", "林晓申（演示）", Role.COUNTY_APPLICANT, "230102"),
    ("dl_head", "周正言（演示）", Role.COUNTY_HEAD, "230102"),
    ("ls_applicant", "韩知远（演示）", Role.COUNTY_APPLICANT, "230202"),
    ("ls_head", "宋守成（演示）", Role.COUNTY_HEAD, "230202"),
    ("hrb_reviewer", "高审一（演示）", Role.CITY_REVIEWER, "230100"),
    ("hrb_head", "钱立诚（演示）", Role.CITY_HEAD, "230100"),
    ("qqhr_reviewer", "白审二（演示）", Role.CITY_REVIEWER, "230200"),
    ("qqhr_head", "孟定远（演示）", Role.CITY_HEAD, "230200"),
    ("office", "罗创建（演示）", Role.CAMPAIGN_OFFICE, "230000"),
    ("eval_publicity", "范普法（演示）", Role.EVALUATOR, "legal_publicity"),
    ("eval_grassroots", "程基层（演示）", Role.EVALUATOR, "grassroots"),
    ("sysadmin", "管系统（演示）", Role.SYSTEM_ADMIN, ""),
)


@transaction.atomic
def demo_users_load() -> int:
    """Create the demo users and their roles; a second run changes nothing. Returns new users."""
    created = 0
    for username, full_name, role, anchor in DEMO_USERS:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "email": f"{username}@demo.invalid"},
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created += 1
        bureau = division = None
        if role == Role.EVALUATOR:
            division = Division.objects.get(code=anchor)
        elif anchor:
            bureau = Bureau.objects.get(code=anchor)
        membership_grant(user=user, role=role, bureau=bureau, division=division)
    return created


def example_figures(indicator, parameters: dict) -> dict[str, str]:
    """Figures that meet ``indicator``'s rule, as a county that meets it would report them."""
    from fractions import Fraction

    from standards.enums import UNIT_SCALE, IndicatorKind

    if indicator.threshold_parameter:
        limit = Fraction(str(parameters.get(indicator.threshold_parameter, 0)))
    else:
        limit = Fraction(str(indicator.threshold))
    target = {"gte": limit, "eq": limit, "lte": limit, "gt": limit + 1, "lt": Fraction(0)}[
        indicator.operator
    ]
    if indicator.kind == IndicatorKind.COUNT:
        return {"value": str(int(target) if target.denominator == 1 else float(target))}
    denominator = 10_000 * target.denominator
    numerator = target * denominator / UNIT_SCALE[indicator.unit]
    return {"numerator": str(int(numerator)), "denominator": str(denominator)}


def application_fill_example(application, *, by, answer: str = "met") -> None:
    """Fill the form, every self-assessment and every indicator of ``application``."""
    from applications.services import (
        application_update_form,
        assessment_save,
        figure_save,
    )
    from standards.models import Indicator, Item

    application_update_form(
        application=application,
        by=by,
        data={
            "head_name": "周正言（演示）",
            "contact_name": "林晓申（演示）",
            "contact_phone": "0451-00000000",
            "staff_authorized": 42,
            "staff_actual": 39,
            "judicial_office_count": 9,
            "legal_service_office_count": 6,
            "summary": "本局按照全省示范司法局创建标准，逐项对照落实各项工作。（演示数据）",
        },
    )
    version = application.cycle.criteria_version
    explanation = "" if answer == "met" else "正在整改。（演示数据）"
    for item in Item.objects.filter(section__version=version).select_related("section"):
        assessment_save(
            application=application, item=item, by=by, answer=answer, explanation=explanation
        )
    parameters = application.cycle.parameters or {}
    for indicator in Indicator.objects.filter(item__section__version=version).select_related(
        "item__section"
    ):
        figure_save(
            application=application,
            indicator=indicator,
            by=by,
            **example_figures(indicator, parameters),
        )
