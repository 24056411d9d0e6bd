"""Demo people and their roles. Every person here is fictitious.

What a person does in the demo is done by the demo person who would do it (the county head
submits, the office designates); what nobody does — opening the accounts, granting their roles,
setting up and closing the cycles — is done by the demo itself, ``SystemActor.DEMO``."""

import datetime
import time
from fractions import Fraction

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.enums import Action
from applications.models import Application, Cycle
from applications.services import (
    application_create,
    application_update_form,
    assessment_save,
    cycle_close,
    cycle_create,
    cycle_open,
    evidence_add,
    figure_save,
)
from applications.workflow import application_transition
from core.actors import SystemActor
from core.dates import add_years
from designations.jobs import reinspection_jobs
from designations.models import Designation
from designations.services import (
    designation_grant,
    designation_record_historical,
    designation_revoke,
    publication_publish,
)
from evaluation.decisions import provincial_meeting_record
from evaluation.enums import InspectionResult, Rating
from evaluation.inspections import inspection_record, inspection_schedule
from evaluation.written_review import (
    evaluator_assign,
    score_sheets_ensure,
    sheet_save,
    sheet_sign,
)
from notices.models import HolidayCalendarYear
from notices.services import (
    calendar_year_enter,
    objection_submit,
    public_notice_open,
    schedule_parse,
)
from organizations.enums import Role
from organizations.models import Bureau, Division, Membership, User
from organizations.permissions import otp_required
from organizations.services import membership_grant
from reinspections.rounds import reinspection_decide, reinspection_open
from review.services import forwarding_batch_create, party_meeting_record, review_decide
from standards.enums import UNIT_SCALE, IndicatorKind
from standards.models import CriteriaVersion, Indicator, Item

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
    ("secadmin", "严守安（演示）", Role.SECURITY_ADMIN, ""),
    ("auditor", "齐明察（演示）", Role.AUDIT_ADMIN, ""),
)
# The demo's second factor, one published key for every demo account (debug mode only; outside
# it each device gets a random key). Base32: MRSW23ZNN52HALLTMVRXEZLUFUZDAMRW
DEMO_OTP_KEY = b"demo-otp-secret-2026".hex()


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
        membership_grant(
            user=user, role=role, bureau=bureau, division=division, by=SystemActor.DEMO
        )
    return created


def demo_usernames() -> set[str]:
    """Every demo account's username."""
    names = {u[0] for u in DEMO_USERS} | {e[0] for e in DEMO_EVALUATORS}
    return names | {c[1] for c in DEMO_PROVINCE_COUNTIES}


@transaction.atomic
def demo_second_factors_load() -> int:
    """A confirmed TOTP device for every demo account whose role requires a second factor, so
    that a newcomer logs in with ``manage.py demo_otp_code USERNAME``. Idempotent; returns the
    devices created. The key is ``DEMO_OTP_KEY`` in debug mode, random otherwise."""
    created = 0
    for user in User.objects.filter(username__in=demo_usernames()).order_by("username"):
        if not otp_required(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            continue
        extra = {"key": DEMO_OTP_KEY} if settings.DEVELOPMENT else {}
        TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True, **extra)
        created += 1
    return created


def totp_code_now(device) -> str:
    """The device's code that it accepts now and has not seen yet (a code is used once: after
    a log-in in this time step, the next step's, which the device accepts too)."""
    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step) + device.drift
    drift = device.drift + max(0, device.last_t + 1 - now)
    if drift - device.drift > device.tolerance:
        time.sleep(device.step)
        return totp_code_now(device)
    code = totp(device.bin_key, device.step, device.t0, device.digits, drift)
    return f"{code:0{device.digits}d}"


def example_figures(indicator, parameters: dict) -> dict[str, str]:
    """Figures that meet ``indicator``'s rule, as a county that meets it would report them."""
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


# Who signs and who answers the telephone for a demo application: 道里区's people (Harbin,
# 0451) unless a county has its own (DEMO_COUNTY_PEOPLE).
DEMO_PEOPLE = {"head_name": "周正言（演示）", "contact_name": "林晓申（演示）"}
DEMO_PHONE = "0451-00000000"
DEMO_COUNTY_PEOPLE: dict[str, dict[str, str]] = {
    # 龙沙区 (齐齐哈尔市, area code 0452): ls_head and ls_applicant.
    "230202": {
        "head_name": "宋守成（演示）",
        "contact_name": "韩知远（演示）",
        "contact_phone": "0452-00000000",
    },
}


def application_fill_example(application, *, by, answer: str = "met") -> None:
    """Fill the form, every self-assessment and every indicator of ``application``."""
    application_update_form(
        application=application,
        by=by,
        data={
            **DEMO_PEOPLE,
            "contact_phone": DEMO_PHONE,
            **DEMO_COUNTY_PEOPLE.get(application.county.code, {}),
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


def _demo_pdf(title: str) -> bytes:
    """A small valid one-page PDF (ASCII title), standing in for a scanned document."""
    content = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    out += trailer.encode()
    return bytes(out)


def demo_applications_load() -> int:
    """An open cycle, a draft in 道里区 and a submitted application in 龙沙区. Idempotent.

    Returns the number of applications created.
    """
    today = timezone.localdate()
    # The cycle whose 31 July deadline is still ahead.
    year = today.year if (today.month, today.day) <= (7, 31) else today.year + 1
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None:
        cycle = cycle_create(
            year=year,
            criteria_version=CriteriaVersion.objects.get(name="2017年试行版"),
            parameters={"legal_aid_provincial_average": "120"},
            by=SystemActor.DEMO,
        )
    if cycle.state == "draft":
        cycle = cycle_open(cycle=cycle, by=SystemActor.DEMO)
    created = 0
    plans = (
        ("230102", "dl_applicant", "dl_head", False),
        ("230202", "ls_applicant", "ls_head", True),
    )
    for code, applicant_name, head_name, submit in plans:
        county = Bureau.objects.get(code=code)
        if Application.objects.filter(cycle=cycle, county=county).exists():
            continue
        applicant = User.objects.get(username=applicant_name)
        application = application_create(cycle=cycle, county=county, by=applicant)
        created += 1
        application_fill_example(application, by=applicant)
        items = Item.objects.filter(section__version=cycle.criteria_version)
        for code_ in ("1.1", "2.4.2", "5.2", "7.7"):
            evidence_add(
                application=application,
                item=items.get(code=code_),
                upload=SimpleUploadedFile(f"{code_}-佐证材料.pdf", _demo_pdf(f"Evidence {code_}")),
                by=applicant,
            )
        if submit:
            application_transition(
                application=application,
                action=Action.SUBMIT,
                by=User.objects.get(username=head_name),
                pledge=True,
                acknowledged=True,
            )
    return created


# Evaluators of the divisions not in DEMO_USERS, so that every section has one.
DEMO_EVALUATORS: tuple[tuple[str, str, str], ...] = (
    ("eval_office", "安办公（演示）", "general_office"),
    ("eval_org", "纪组宣（演示）", "org_publicity"),
    ("eval_finance", "钱计财（演示）", "finance_equipment"),
    ("eval_notary", "郑公证（演示）", "notary"),
    ("eval_lawyer", "黎律管（演示）", "lawyer"),
    ("eval_legal_aid", "袁援助（演示）", "legal_aid"),
    ("eval_corrections", "康矫正（演示）", "community_corrections"),
)
# Counties whose applications are already with the province in the demo.
DEMO_PROVINCE_COUNTIES: tuple[tuple[str, str, str], ...] = (
    ("230103", "ng_head", "南启航（演示）"),  # in the written review, partly scored
    ("230110", "xf_head", "向福来（演示）"),  # passed the written review, visit scheduled
    ("230184", "wc_head", "吴常青（演示）"),  # inspected and passed
    ("230113", "sc_head", "石承远（演示）"),  # inspected and passed, named in a supplement
    ("230112", "ac_head", "安成林（演示）"),  # inspected, approved, on public notice (公示)
)


def _demo_user(username: str, full_name: str, role: str, *, bureau=None, division=None) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "email": f"{username}@demo.invalid"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    membership_grant(user=user, role=role, bureau=bureau, division=division, by=SystemActor.DEMO)
    return user


def demo_evaluation_load() -> int:
    """Three Harbin applications with the province: one being scored, one with a visit
    scheduled, one inspected and passed. Idempotent; returns the applications created."""
    cycle = Cycle.objects.filter(state="open").first()
    if (
        cycle is None
        or Application.objects.filter(
            cycle=cycle, county__code=DEMO_PROVINCE_COUNTIES[0][0]
        ).exists()
    ):
        return 0
    for username, full_name, division in DEMO_EVALUATORS:
        _demo_user(
            username, full_name, Role.EVALUATOR, division=Division.objects.get(code=division)
        )
    reviewer = User.objects.get(username="hrb_reviewer")
    city_head = User.objects.get(username="hrb_head")
    office = User.objects.get(username="office")
    applications = []
    for code, username, full_name in DEMO_PROVINCE_COUNTIES:
        county = Bureau.objects.get(code=code)
        head = _demo_user(username, full_name, Role.COUNTY_HEAD, bureau=county)
        application = application_create(cycle=cycle, county=county, by=head)
        application_fill_example(application, by=head)
        application_transition(
            application=application, action=Action.SUBMIT, by=head, pledge=True, acknowledged=True
        )
        review_decide(application=application, action=Action.APPROVE, by=reviewer)
        applications.append(application)
    party_meeting_record(
        cycle=cycle,
        city=Bureau.objects.get(code="230100"),
        by=city_head,
        meeting_kind="party_group",
        held_on=timezone.localdate(),
        minutes_number="哈司党组〔演示〕1号",
        minutes_upload=SimpleUploadedFile("党组会议纪要.pdf", _demo_pdf("Minutes")),
        outcomes={a.pk: "approved" for a in applications},
    )
    for application in applications:
        # The county's stamped, signed form, which the city needs to forward.
        evidence_add(
            application=application,
            item=None,
            upload=SimpleUploadedFile("盖章申报表.pdf", _demo_pdf("Stamped application form")),
            by=application.created_by,
        )
    forwarding_batch_create(
        cycle=cycle,
        city=Bureau.objects.get(code="230100"),
        by=city_head,
        applications=[Application.objects.get(pk=a.pk) for a in applications],
        letter_number="哈司函〔演示〕1号",
    )
    evaluators = {
        m.division.code: m.user
        for m in Membership.objects.filter(role=Role.EVALUATOR).select_related("division", "user")
    }
    for index, application in enumerate(applications):
        application.refresh_from_db()
        for sheet in score_sheets_ensure(application=application):
            owner = sheet.section.owners.order_by("order").first()
            evaluator = evaluators[owner.code]
            evaluator_assign(sheet=sheet, evaluator=evaluator, by=office)
            if index == 0 and sheet.section.number > 3:
                continue  # still being scored
            ratings = {item.pk: (Rating.MET, False, "") for item in sheet.section.items.all()}
            sheet = sheet_save(sheet=sheet, by=evaluator, version=sheet.version, ratings=ratings)
            sheet_sign(sheet=sheet, by=evaluator)
        if index == 0:
            continue
        application_transition(application=application, action=Action.WRITTEN_PASS, by=office)
        application.refresh_from_db()
        team = [evaluators["legal_publicity"], evaluators["grassroots"]]
        # A result is recorded from the visit's day on: the visits recorded were made already,
        # the one left to record is today's.
        visit = timezone.localdate() - datetime.timedelta(days=0 if index < 2 else index)
        inspection = inspection_schedule(
            application=application,
            visit_date=visit,
            team=team,
            itinerary="上午听取汇报、查阅台账；下午走访司法所。（演示）",
            by=office,
        )
        if index >= 2:
            inspection_record(
                inspection=inspection,
                by=team[0],
                findings={},
                result=InspectionResult.PASSED,
                summary="各项工作扎实，台账规范。（演示）",
            )
    return len(applications)


def demo_designations_load() -> int:
    """Designations in every state: 五常市 designated this cycle (published), and three titles
    from the paper register — one due for re-inspection, one rectifying, one revoked.
    Idempotent; returns the designations created."""
    # The title due for re-inspection (``demo_reinspection_load``) is loaded before these.
    if Designation.objects.exclude(bureau__code=DEMO_REINSPECTION_COUNTY).exists():
        return 0
    office = User.objects.get(username="office")
    today = timezone.localdate()
    created = 0
    wuchang = Application.objects.filter(county__code="230184", state="inspected_passed").first()
    shuangcheng = Application.objects.filter(
        county__code="230113", state="inspected_passed"
    ).first()
    if wuchang is not None and shuangcheng is not None:
        # The committee met a month ago and the two bureaus' public notice has closed since.
        held_on = today - datetime.timedelta(days=30)
        provincial_meeting_record(
            cycle=wuchang.cycle,
            by=office,
            held_on=held_on,
            number="厅党委〔演示〕1号",
            minutes_upload=SimpleUploadedFile("厅党委会议纪要.pdf", _demo_pdf("Committee")),
            decisions={wuchang.pk: ("approved", ""), shuangcheng.pk: ("approved", "")},
        )
        _demo_window_held(
            [Application.objects.get(pk=a.pk) for a in (wuchang, shuangcheng)],
            after=held_on,
            by=office,
        )
        named = []
        for application, reward, head in (
            (wuchang, "collective", ""),
            (shuangcheng, "personal", "石承远（演示）"),
        ):
            application.refresh_from_db()
            named.append(
                designation_grant(
                    application=application,
                    by=office,
                    designated_on=today,
                    reward=reward,
                    head_name=head,
                )
            )
        # The cycle's list names 五常市; a supplement (增补) names 双城区 later.
        for number, designation in zip(
            ("黑司通〔演示〕1号", "黑司通〔演示〕2号"), named, strict=True
        ):
            publication_publish(
                cycle=wuchang.cycle,
                by=office,
                document_number=number,
                published_on=today,
                designations=[designation],
            )
        created += len(named)
    history = (
        ("230302", "黑司示〔2023〕11号", today - datetime.timedelta(days=3 * 365 + 10)),
        ("230402", "黑司示〔2023〕12号", today - datetime.timedelta(days=3 * 365 + 40)),
        ("230203", "黑司示〔2023〕13号", today - datetime.timedelta(days=2 * 365)),
    )
    registered = [
        designation_record_historical(
            bureau=Bureau.objects.get(code=code),
            number=number,
            designated_on=on,
            document_number="黑司通〔2023〕18号",
            published_on=on,
            by=office,
        )
        for code, number, on in history
    ]
    created += len(registered)
    reinspection_jobs(today=today)  # the first two are due now
    _due, rectifying, revoked = (Designation.objects.get(pk=d.pk) for d in registered)
    _demo_round_rectify(
        rectifying,
        office=office,
        deadline=today + datetime.timedelta(days=90),
        requirements=[
            "健全“谁执法谁普法”普法责任制清单并报备。（演示）",
            "村（社区）公共法律服务工作室覆盖率恢复到100%。（演示）",
        ],
    )
    designation_revoke(
        designation=revoked,
        by=office,
        ground="violation",
        decision="黑司发〔演示〕2号",
        revoked_on=today,
        plaque_removed_on=today,
        note="发生违法违纪行为并造成不良社会影响。（演示）",
    )
    return created


def _demo_round_rectify(
    designation: Designation, *, office: User, deadline: datetime.date, requirements: list[str]
) -> None:
    """The re-inspection of ``designation`` (向阳区) through its round, as the office runs it:
    opened, reported by the county head ``xy_head``, scored below the standard (the first item
    of each section not met), the written review confirmed as failed, and rectification
    decided by ``deadline``."""
    round_ = reinspection_open(
        designation=designation,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        by=office,
    )
    report = round_.application
    head = _demo_user("xy_head", "项远阳（演示）", Role.COUNTY_HEAD, bureau=designation.bureau)
    application_fill_example(report, by=head)
    application_transition(
        application=report, action=Action.REPORT, by=head, pledge=True, acknowledged=True
    )
    evaluators = {
        m.division.code: m.user
        for m in Membership.objects.filter(role=Role.EVALUATOR).select_related("division", "user")
    }
    report.refresh_from_db()
    for sheet in score_sheets_ensure(application=report):
        evaluator = evaluators[sheet.section.owners.order_by("order").first().code]
        evaluator_assign(sheet=sheet, evaluator=evaluator, by=office)
        items = list(sheet.section.items.all())
        ratings = {item.pk: (Rating.MET, False, "") for item in items}
        ratings[items[0].pk] = (Rating.NOT_MET, False, "工作有所滑坡。（演示）")
        sheet = sheet_save(sheet=sheet, by=evaluator, version=sheet.version, ratings=ratings)
        sheet_sign(sheet=sheet, by=evaluator)
    application_transition(
        application=report, action=Action.WRITTEN_FAIL, by=office, note="工作有所滑坡。（演示）"
    )
    reinspection_decide(
        reinspection=round_,
        by=office,
        kept=False,
        deadline=deadline,
        requirements=requirements,
        note="工作有所滑坡。（演示）",
    )


# The demo's title due for re-inspection with figures at naming: 道外区, named three years ago
# through the whole workflow of that year's cycle (closed since).
DEMO_REINSPECTION_COUNTY = "230104"


def demo_reinspection_load() -> int:
    """A designation due for re-inspection with the figures of its naming year, so that the
    re-inspection round can be run in the demo: 道外区 applied in the cycle of three years ago,
    went through the whole workflow (every item met, every indicator at its threshold), was
    named a little over three years ago and is marked due by the daily job. The office opens
    the round (``reinspections:reinspection_start``); the county head ``dw_head`` reports.

    Runs before the current cycle opens (one cycle is open at a time) and walks the old cycle
    through the services; as the workflow refuses a submission after the deadline, that
    cycle's deadline is the day the demo was loaded. Idempotent; returns 1 when it created
    the designation."""
    today = timezone.localdate()
    named_on = add_years(today, -settings.REINSPECTION_PERIOD_YEARS) - datetime.timedelta(days=20)
    if (
        Cycle.objects.filter(year=named_on.year).exists()
        or Cycle.objects.filter(state="open").exists()
    ):
        return 0
    for username, full_name, division in DEMO_EVALUATORS:
        _demo_user(
            username, full_name, Role.EVALUATOR, division=Division.objects.get(code=division)
        )
    county = Bureau.objects.get(code=DEMO_REINSPECTION_COUNTY)
    city = county.parent
    _demo_user("dw_applicant", "杜文申（演示）", Role.COUNTY_APPLICANT, bureau=county)
    head = _demo_user("dw_head", "戴维正（演示）", Role.COUNTY_HEAD, bureau=county)
    reviewer = User.objects.get(username="hrb_reviewer")
    city_head = User.objects.get(username="hrb_head")
    office = User.objects.get(username="office")
    cycle = cycle_open(
        cycle=cycle_create(
            year=named_on.year,
            criteria_version=CriteriaVersion.objects.get(name="2017年试行版"),
            city_deadline=timezone.localdate(),
            parameters={"legal_aid_provincial_average": "120"},
            by=SystemActor.DEMO,
        ),
        by=SystemActor.DEMO,
    )
    application = application_create(cycle=cycle, county=county, by=head)
    application_fill_example(application, by=head)
    application_transition(
        application=application, action=Action.SUBMIT, by=head, pledge=True, acknowledged=True
    )
    review_decide(application=application, action=Action.APPROVE, by=reviewer)
    party_meeting_record(
        cycle=cycle,
        city=city,
        by=city_head,
        meeting_kind="party_group",
        held_on=today,
        minutes_number="哈司党组〔演示〕0号",
        minutes_upload=SimpleUploadedFile("党组会议纪要.pdf", _demo_pdf("Minutes")),
        outcomes={application.pk: "approved"},
    )
    # The county's stamped, signed form, which the city needs to forward.
    evidence_add(
        application=application,
        item=None,
        upload=SimpleUploadedFile("盖章申报表.pdf", _demo_pdf("Stamped application form")),
        by=head,
    )
    forwarding_batch_create(
        cycle=cycle,
        city=city,
        by=city_head,
        applications=[Application.objects.get(pk=application.pk)],
        letter_number="哈司函〔演示〕0号",
    )
    evaluators = {
        m.division.code: m.user
        for m in Membership.objects.filter(role=Role.EVALUATOR).select_related("division", "user")
    }
    application.refresh_from_db()
    for sheet in score_sheets_ensure(application=application):
        evaluator = evaluators[sheet.section.owners.order_by("order").first().code]
        evaluator_assign(sheet=sheet, evaluator=evaluator, by=office)
        ratings = {item.pk: (Rating.MET, False, "") for item in sheet.section.items.all()}
        sheet = sheet_save(sheet=sheet, by=evaluator, version=sheet.version, ratings=ratings)
        sheet_sign(sheet=sheet, by=evaluator)
    application_transition(application=application, action=Action.WRITTEN_PASS, by=office)
    application.refresh_from_db()
    team = [evaluators["legal_publicity"], evaluators["grassroots"]]
    inspection = inspection_schedule(
        application=application,
        visit_date=named_on - datetime.timedelta(days=40),
        team=team,
        itinerary="听取汇报、查阅台账、走访司法所。（演示）",
        by=office,
    )
    inspection_record(
        inspection=inspection,
        by=team[0],
        findings={},
        result=InspectionResult.PASSED,
        summary="各项工作达到示范标准。（演示）",
    )
    held_on = named_on - datetime.timedelta(days=25)
    provincial_meeting_record(
        cycle=cycle,
        by=office,
        held_on=held_on,
        number="厅党委〔演示〕0号",
        minutes_upload=SimpleUploadedFile("厅党委会议纪要.pdf", _demo_pdf("Committee")),
        decisions={application.pk: ("approved", "演示数据")},
    )
    application.refresh_from_db()
    _demo_window_held([application], after=held_on, by=office)
    designation = designation_grant(
        application=application,
        by=office,
        designated_on=named_on,
        reward="collective",
    )
    publication_publish(
        cycle=cycle,
        by=office,
        document_number="黑司通〔演示〕0号",
        published_on=named_on,
        designations=[designation],
    )
    cycle_close(cycle=cycle, by=SystemActor.DEMO)
    reinspection_jobs(today=today)  # due a little over three years after naming
    return 1


# A plausible 2027 schedule of holidays and make-up working days (调休), for the demo only: the
# State Council's notice for 2027 is entered by the office when it is published.
DEMO_CALENDAR_2027 = """
2027-01-01 holiday 元旦
2027-01-02 holiday 元旦
2027-01-03 holiday 元旦
2027-02-06 holiday 春节
2027-02-07 holiday 春节
2027-02-08 holiday 春节
2027-02-09 holiday 春节
2027-02-10 holiday 春节
2027-02-11 holiday 春节
2027-02-12 holiday 春节
2027-02-13 holiday 春节
2027-02-14 holiday 春节
2027-02-20 workday 春节
2027-04-03 holiday 清明节
2027-04-04 holiday 清明节
2027-04-05 holiday 清明节
2027-05-01 holiday 劳动节
2027-05-02 holiday 劳动节
2027-05-03 holiday 劳动节
2027-05-04 holiday 劳动节
2027-05-05 holiday 劳动节
2027-04-25 workday 劳动节
2027-05-08 workday 劳动节
2027-06-09 holiday 端午节
2027-09-15 holiday 中秋节
2027-09-26 workday 国庆节
2027-10-01 holiday 国庆节
2027-10-02 holiday 国庆节
2027-10-03 holiday 国庆节
2027-10-04 holiday 国庆节
2027-10-05 holiday 国庆节
2027-10-06 holiday 国庆节
2027-10-07 holiday 国庆节
2027-10-09 workday 国庆节
"""


def demo_calendar_schedule(year: int) -> str:
    """A demo schedule for ``year`` when the demo reaches a year nobody has entered: the
    holidays on fixed dates only (元旦, 劳动节, 国庆节), the 2027 one in full. Marked as demo
    data; the office enters the State Council's notice for a real year."""
    if year == 2027:
        return DEMO_CALENDAR_2027
    days = [(1, 1, "元旦"), *((5, d, "劳动节") for d in range(1, 6))]
    days += [(10, d, "国庆节") for d in range(1, 8)]
    return "\n".join(f"{year}-{m:02d}-{d:02d} holiday {name}" for m, d, name in days)


def demo_calendars_ensure() -> int:
    """Demo schedules (marked as demo data) for the years from 2027 to next year that have no
    calendar, so that the demo's windows can be counted whatever day it is loaded. Returns the
    years entered."""
    office = User.objects.get(username="office")
    entered = 0
    for year in range(2027, timezone.localdate().year + 2):
        if HolidayCalendarYear.objects.filter(year=year).exists():
            continue
        calendar_year_enter(
            year=year,
            lines=schedule_parse(demo_calendar_schedule(year), year=year),
            by=office,
            notice_reference="演示数据，非国务院办公厅通知",
            is_demo=True,
        )
        entered += 1
    return entered


def _demo_window_held(applications, *, after, by):
    """A public notice (公示) the office held for ``applications`` from the day after the
    Party committee's meeting of ``after``, five working days, closed since; naming needs it."""
    demo_calendars_ensure()
    starts_on = after + datetime.timedelta(days=1)
    return public_notice_open(
        cycle=applications[0].cycle,
        applications=applications,
        starts_on=starts_on,
        contact_office="省司法厅示范创建领导小组办公室",
        contact_phone="0451-00000000（演示）",
        by=by,
        today=starts_on,
    )


def demo_notice_load() -> int:
    """One open public notice (公示) for 阿城区, approved by the Party committee, with one
    objection waiting (the demo calendars, ``demo_calendars_ensure``, cover the years its
    window is counted in). Idempotent; returns the windows opened."""
    office = User.objects.get(username="office")
    demo_calendars_ensure()
    acheng = Application.objects.filter(county__code="230112").first()
    if acheng is None or acheng.public_notices.exists():
        return 0
    today = timezone.localdate()
    if acheng.state == "inspected_passed":
        provincial_meeting_record(
            cycle=acheng.cycle,
            by=office,
            held_on=today,
            number="厅党委〔演示〕2号",
            minutes_upload=SimpleUploadedFile("厅党委会议纪要2.pdf", _demo_pdf("Committee 2")),
            decisions={acheng.pk: ("approved", "经厅党委研究，同意超出名额命名。（演示）")},
        )
        acheng.refresh_from_db()
    notice = public_notice_open(
        cycle=acheng.cycle,
        applications=[acheng],
        starts_on=today,
        contact_office="省司法厅示范创建领导小组办公室",
        contact_phone="0451-00000000（演示）",
        by=office,
    )
    objection_submit(
        notice=notice,
        application=acheng,
        name="周明远（演示）",
        phone="13800000000",
        facts="反映阿城区司法局部分司法所台账为集中补做，请核实。（演示）",
        ip="127.0.0.1",
    )
    return 1
