"""State factories: an application brought to a state through the workflow services, the way
users would bring it there (never by setting ``state``).

``reach(application, ApplicationState.WRITTEN_PASSED)`` submits it as its county head, has its
city review, sign off and forward it, the evaluators score and sign every section and the
office confirm the result. The actors are users holding the roles in the application's own
county and city (created once, ``state_*`` usernames), so any county can be brought along.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from guardian.models import UserObjectPermission

from applications.completeness import completeness_of
from applications.enums import Action
from applications.enums import ApplicationState as S
from applications.models import (
    FORM_FIELDS,
    Application,
    ApplicationEvent,
    CountyDeadline,
    Cycle,
    Evidence,
    IndicatorFigure,
    ReviewComment,
    SelfAssessment,
)
from applications.workflow import application_transition
from audit.enums import AuditAction
from audit.models import AuditEntry
from core.actors import SystemActor
from designations.models import CertificateBatch, Designation, DesignationEvent, Publication
from evaluation.decisions import decision_in_force, provincial_meeting_record
from evaluation.enums import Decision, InspectionResult, Rating
from evaluation.inspections import inspection_record, inspection_schedule
from evaluation.models import (
    Assignment,
    Inspection,
    InspectionPhoto,
    ItemScore,
    ProvincialDecision,
    ScoreSheet,
)
from evaluation.written_review import evaluator_assign, score_sheets_ensure, sheet_save, sheet_sign
from notices.models import CalendarDay, HolidayCalendarYear, NoticeEvent, Objection, PublicNotice
from organizations.enums import Role
from organizations.models import (
    Bureau,
    Division,
    Membership,
    Notification,
    PasswordHistory,
    User,
)
from organizations.services import membership_grant
from portal.demo import application_fill_example
from reinspections.models import (
    Rectification,
    RectificationEvent,
    RectificationFile,
    RectificationRequirement,
    Reinspection,
)
from review.enums import MeetingKind, SignOffOutcome
from review.models import DeadlineExtension, ForwardingBatch, ForwardingScan, PartyMeeting, SignOff
from review.services import forwarding_batch_create, party_meeting_record, review_decide
from tests.applications.files import PDF
from tests.factories import UserFactory

# The main line of the campaign, in order; each step's predecessor is the entry before it.
MAIN_LINE = (
    S.DRAFT,
    S.SUBMITTED,
    S.CITY_APPROVED,
    S.SIGNED_OFF,
    S.FORWARDED,
    S.WRITTEN_PASSED,
    S.INSPECTED_PASSED,
    S.APPROVED,
    S.DESIGNATED,
)
# Side states: (the main-line state they branch from, how to get there).
BRANCHES = {
    S.RETURNED: S.SUBMITTED,
    S.WITHDRAWN: S.DRAFT,
    S.NOT_RECOMMENDED: S.SUBMITTED,
    S.WRITTEN_FAILED: S.FORWARDED,
    S.INSPECTED_FAILED: S.WRITTEN_PASSED,
    S.NOT_APPROVED: S.INSPECTED_PASSED,
}


# The Party committee's meeting in these factories was two weeks ago: a public notice opened
# after it has closed by today, so the bureau can be named today.
DECIDED_DAYS_AGO = 14


def actor(role: str, *, bureau: Bureau | None = None, division: Division | None = None) -> User:
    """A user holding ``role`` in ``bureau`` (or ``division``): the first one there is (the
    cast's, where the test has one), else a new one. The one way tests find who acts."""
    held = Membership.objects.filter(role=role, bureau=bureau, division=division)
    found = held.select_related("user").order_by("user_id").first()
    if found is not None:
        return found.user
    anchor = bureau.code if bureau else (division.code if division else "none")
    user = UserFactory(username=f"state_{role}_{anchor}")
    membership_grant(user=user, role=role, bureau=bureau, division=division, by=SystemActor.LOADER)
    return user


def office() -> User:
    """The campaign office of the provincial department."""
    return actor(Role.CAMPAIGN_OFFICE, bureau=Bureau.objects.get(level="province"))


def evaluator_of(division: Division) -> User:
    return actor(Role.EVALUATOR, division=division)


def _minutes(name: str = "纪要.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


def _step(application: Application, target: str) -> None:
    """One step from the predecessor state to ``target``."""
    county, city = application.county, application.county.parent
    cycle = application.cycle
    if target == S.SUBMITTED:
        if completeness_of(application).blocking:
            application_fill_example(application, by=actor(Role.COUNTY_HEAD, bureau=county))
        application_transition(
            application=application,
            action=Action.SUBMIT,
            by=actor(Role.COUNTY_HEAD, bureau=county),
            pledge=True,
            acknowledged=True,
        )
    elif target == S.WITHDRAWN:
        application_transition(
            application=application,
            action=Action.WITHDRAW,
            by=actor(Role.COUNTY_HEAD, bureau=county),
            note="撤回",
        )
    elif target in (S.CITY_APPROVED, S.RETURNED, S.NOT_RECOMMENDED):
        action = {
            S.CITY_APPROVED: Action.APPROVE,
            S.RETURNED: Action.RETURN,
            S.NOT_RECOMMENDED: Action.DECLINE,
        }[target]
        review_decide(
            application=application,
            action=action,
            by=actor(Role.CITY_REVIEWER, bureau=city),
            reasons="" if action == Action.APPROVE else "材料不全",
        )
    elif target == S.SIGNED_OFF:
        party_meeting_record(
            cycle=cycle,
            city=city,
            by=actor(Role.CITY_HEAD, bureau=city),
            meeting_kind=MeetingKind.PARTY_COMMITTEE,
            held_on=timezone.localdate(),
            minutes_number=f"党委会议〔{application.pk}〕号",
            minutes_upload=_minutes(),
            outcomes={application.pk: SignOffOutcome.APPROVED},
        )
    elif target == S.FORWARDED:
        form_scan_upload(application)
        forwarding_batch_create(
            cycle=cycle,
            city=city,
            by=actor(Role.CITY_HEAD, bureau=city),
            applications=[Application.objects.get(pk=application.pk)],
            letter_number=f"上报函〔{application.pk}〕号",
        )
    elif target in (S.WRITTEN_PASSED, S.WRITTEN_FAILED):
        score_all(application, rating=Rating.MET if target == S.WRITTEN_PASSED else Rating.NOT_MET)
        application_transition(
            application=application,
            action=Action.WRITTEN_PASS if target == S.WRITTEN_PASSED else Action.WRITTEN_FAIL,
            by=office(),
            note="" if target == S.WRITTEN_PASSED else "未达合格线",
        )
    elif target in (S.INSPECTED_PASSED, S.INSPECTED_FAILED):
        team = [evaluator_of(Division.objects.order_by("order").first())]
        inspection = inspection_schedule(
            application=application,
            # A visit already made (its result is recorded at once), on a day of its own.
            visit_date=timezone.localdate() - datetime.timedelta(days=application.pk % 300),
            team=team,
            itinerary="",
            by=office(),
        )
        inspection_record(
            inspection=inspection,
            by=team[0],
            findings={},
            result=InspectionResult.PASSED
            if target == S.INSPECTED_PASSED
            else InspectionResult.FAILED,
            summary="现场核查",
        )
    elif target in (S.APPROVED, S.NOT_APPROVED):
        provincial_meeting_record(
            cycle=cycle,
            by=office(),
            held_on=timezone.localdate() - datetime.timedelta(days=DECIDED_DAYS_AGO),
            number=f"厅党委〔{application.pk}〕号",
            minutes_upload=_minutes(),
            decisions={
                application.pk: (
                    Decision.APPROVED if target == S.APPROVED else Decision.NOT_APPROVED,
                    "超出名额的理由" if target == S.APPROVED else "",
                )
            },
        )
    elif target == S.DESIGNATED:
        from designations.services import designation_grant

        notice_closed(application)
        designation_grant(
            application=application,
            by=office(),
            designated_on=timezone.localdate(),
            reward="collective",
        )
    else:  # pragma: no cover - a state nobody reaches by a step
        raise ValueError(target)


def notice_closed(application: Application, *, starts_on: datetime.date | None = None):
    """Put an approved ``application`` on a public notice (公示) that has closed, as the office
    would have: one working day from the day after the Party committee's meeting (or from
    ``starts_on``), opened on its first day (``public_notice_open``'s ``today``). Naming needs
    it (``notices.guards.naming_blocked``)."""
    from notices.services import public_notice_open

    if starts_on is None:
        starts_on = decision_in_force(application).meeting.held_on + datetime.timedelta(days=1)
    notice = public_notice_open(
        cycle=application.cycle,
        applications=[application],
        starts_on=starts_on,
        working_days=1,
        contact_office="省司法厅示范创建办公室",
        contact_phone="0451-00000000",
        by=office(),
        today=starts_on,
    )
    assert notice.closes_on < timezone.localdate(), (notice.closes_on, "has not closed")
    return notice


def form_scan_upload(application: Application) -> Evidence:
    """The county's stamped, signed form (盖章申报表扫描件), which the city needs to forward."""
    from applications.services import evidence_add

    existing = application.evidence.filter(item__isnull=True, removed_at__isnull=True).first()
    if existing is not None:
        return existing
    return evidence_add(
        application=application,
        item=None,
        upload=SimpleUploadedFile("盖章申报表.pdf", PDF),
        by=actor(Role.COUNTY_HEAD, bureau=application.county),
    )


def score_all(
    application: Application, *, rating: str = Rating.MET, sign: bool = True, **overrides
) -> None:
    """Every section assigned to an evaluator of its owning division, rated and signed."""
    for sheet in score_sheets_ensure(application=application):
        evaluator = evaluator_of(sheet.section.owners.order_by("order").first())
        evaluator_assign(sheet=sheet, evaluator=evaluator, by=office())
        ratings = {
            item.pk: (overrides.get(item.code, rating), False, "")
            for item in sheet.section.items.all()
        }
        sheet = sheet_save(sheet=sheet, by=evaluator, version=sheet.version, ratings=ratings)
        if sign:
            sheet_sign(sheet=sheet, by=evaluator)


def path_to(state: str) -> list[str]:
    if state in BRANCHES:
        return [*path_to(BRANCHES[state]), state]
    return list(MAIN_LINE[1 : MAIN_LINE.index(state) + 1])


def reach(application: Application, state: str) -> Application:
    """Bring a draft ``application`` to ``state`` through the services; returns it fresh."""
    for target in path_to(state):
        application.refresh_from_db()
        _step(application, target)
    application.refresh_from_db()
    assert application.state == state, (application.state, state)
    return application


# A re-inspection round's line: the head reports straight to the province (no city step),
# then the same written review and on-site check as an application.
REINSPECTION_LINE = (S.DRAFT, S.FORWARDED, S.WRITTEN_PASSED, S.INSPECTED_PASSED)
REINSPECTION_BRANCHES = {S.WRITTEN_FAILED: S.FORWARDED, S.INSPECTED_FAILED: S.WRITTEN_PASSED}


def _reinspection_path(state: str) -> list[str]:
    if state in REINSPECTION_BRANCHES:
        return [*_reinspection_path(REINSPECTION_BRANCHES[state]), state]
    return list(REINSPECTION_LINE[1 : REINSPECTION_LINE.index(state) + 1])


def reach_reinspection(application: Application, state: str, **overrides) -> Application:
    """Bring a re-inspection round's draft report to ``state`` through the services: filled
    in (if incomplete) and reported by its county head with the pledge, scored (``overrides``:
    ratings by item code) and confirmed by the office, inspected. Returns it fresh."""
    for target in _reinspection_path(state):
        application.refresh_from_db()
        if target == S.FORWARDED:
            head = actor(Role.COUNTY_HEAD, bureau=application.county)
            if completeness_of(application).blocking:
                application_fill_example(application, by=head)
            application_transition(
                application=application,
                action=Action.REPORT,
                by=head,
                pledge=True,
                acknowledged=True,
            )
        elif target in (S.WRITTEN_PASSED, S.WRITTEN_FAILED) and overrides:
            score_all(application, **overrides)
            application_transition(
                application=application,
                action=Action.WRITTEN_PASS if target == S.WRITTEN_PASSED else Action.WRITTEN_FAIL,
                by=office(),
                note="" if target == S.WRITTEN_PASSED else "未达合格线",
            )
        else:
            _step(application, target)
    application.refresh_from_db()
    assert application.state == state, (application.state, state)
    return application


@contextmanager
def stored_copy(stored_name: str) -> Iterator[Path]:
    """A stored file copied to a temporary file, for the tools that read a path (pdftotext)."""
    import tempfile

    from core.storage import private_read

    with tempfile.NamedTemporaryFile(prefix="stored-") as copy:
        copy.write(private_read(stored_name))
        copy.flush()
        yield Path(copy.name)


def stored_files() -> set[str]:
    """The stored names of every file in private storage (the session's bucket)."""
    from core.storage import private_names

    return private_names()


def stock() -> dict:
    """Everything a refused request must leave as it was: every workflow's rows and history,
    accounts, roles and grants, notices and objections, the calendar, publications, the audit
    trail, stored files and mail. Each designation's row is whole."""
    return {
        "applications": list(
            Application.objects.order_by("pk").values_list(
                "pk", "state", "round", "pledged_at", "submitted_at", *FORM_FIELDS
            )
        ),
        "events": list(ApplicationEvent.objects.order_by("pk").values_list("pk", flat=True)),
        "evidence": list(Evidence.objects.order_by("pk").values_list("pk", "frozen", "removed_at")),
        "assessments": list(
            SelfAssessment.objects.order_by("pk").values_list("pk", "answer", "explanation")
        ),
        "figures": list(
            IndicatorFigure.objects.order_by("pk").values_list(
                "pk", "numerator", "denominator", "value"
            )
        ),
        "cycles": list(Cycle.objects.order_by("pk").values_list("pk", "state", "parameters")),
        "county_deadlines": list(
            CountyDeadline.objects.order_by("pk").values_list("pk", "deadline")
        ),
        "comments": ReviewComment.objects.count(),
        "meetings": list(PartyMeeting.objects.order_by("pk").values_list("pk", flat=True)),
        "sign_offs": list(SignOff.objects.order_by("pk").values_list("pk", "outcome")),
        "batches": list(ForwardingBatch.objects.order_by("pk").values_list("pk", flat=True)),
        "extensions": DeadlineExtension.objects.count(),
        "sheets": list(ScoreSheet.objects.order_by("pk").values_list("pk", "version", "signed_at")),
        "scores": list(
            ItemScore.objects.order_by("pk").values_list("pk", "rating", "veto_failed", "comment")
        ),
        "assignments": list(Assignment.objects.order_by("pk").values_list("pk", flat=True)),
        "grants": UserObjectPermission.objects.count(),
        "inspections": list(
            Inspection.objects.order_by("pk").values_list("pk", "visit_date", "result")
        ),
        "photos": InspectionPhoto.objects.count(),
        "decisions": list(ProvincialDecision.objects.order_by("pk").values_list("pk", "decision")),
        "designations": list(
            Designation.objects.order_by("pk").values_list(
                *(f.attname for f in Designation._meta.concrete_fields)
            )
        ),
        "designation_events": DesignationEvent.objects.count(),
        "reinspections": list(
            Reinspection.objects.order_by("pk").values_list("pk", "outcome", "decided_at")
        ),
        "rectifications": list(
            Rectification.objects.order_by("pk").values_list(
                "pk", "state", "deadline", "submitted_at", "concluded_at"
            )
        ),
        "requirements": list(
            RectificationRequirement.objects.order_by("pk").values_list(
                "pk", "text", "met", "judgement_note", "division", "division_view"
            )
        ),
        "rectification_files": list(
            RectificationFile.objects.order_by("pk").values_list("pk", "stored_name")
        ),
        "rectification_events": RectificationEvent.objects.count(),
        "notifications": Notification.objects.count(),
        # Every entry but the test's own log-ins and log-outs (``client.force_login`` inside
        # the block).
        "audit": list(
            AuditEntry.objects.exclude(action__in=(AuditAction.AUTH_LOGIN, AuditAction.AUTH_LOGOUT))
            .order_by("id")
            .values_list("id", flat=True)
        ),
        "users": list(
            User.objects.order_by("pk").values_list(
                "pk", "username", "full_name", "is_active", "is_staff", "is_superuser", "password"
            )
        ),
        "groups": list(User.groups.through.objects.order_by("pk").values_list("pk", flat=True)),
        "user_permissions": list(
            User.user_permissions.through.objects.order_by("pk").values_list("pk", flat=True)
        ),
        "memberships": list(
            Membership.objects.order_by("pk").values_list("pk", "user", "role", "bureau")
        ),
        "password_history": PasswordHistory.objects.count(),
        "devices": TOTPDevice.objects.count(),
        "bureaus": list(Bureau.objects.order_by("pk").values_list("pk", "is_active")),
        "publications": list(Publication.objects.order_by("pk").values_list("pk", flat=True)),
        "notices": list(
            PublicNotice.objects.order_by("pk").values_list("pk", "starts_on", "closes_on")
        ),
        "notice_events": NoticeEvent.objects.count(),
        "objections": list(
            Objection.objects.order_by("pk").values_list("pk", "outcome", "handled_at")
        ),
        "calendar": list(
            HolidayCalendarYear.objects.order_by("pk").values_list("pk", "year", "entered_by")
        ),
        "calendar_days": CalendarDay.objects.count(),
        "certificate_batches": CertificateBatch.objects.count(),
        "scans": ForwardingScan.objects.count(),
        "files": stored_files(),
        "mail": len(mail.outbox),
    }


@contextmanager
def nothing_moves() -> Iterator[None]:
    """Take stock, run the block with its on-commit work (notifications, mail), check again."""
    before = stock()
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
    after = stock()
    assert after == before, {k: (before[k], after[k]) for k in before if before[k] != after[k]}
