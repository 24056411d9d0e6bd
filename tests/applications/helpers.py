"""Reach any application state through the workflow, and take stock of what a refusal must not move.

``reach`` fires the transitions of the plan's path one by one with ``application_transition``;
before each, ``prepare`` records what its guard reads (a Party meeting's outcome, the signed
score sheets, the inspection's result, the committee's decision, the designation), as the
review and the designations would leave them. No state is ever set by ``.update()``.
"""

import secrets

from django.utils import timezone

from applications.enums import Action, ApplicationState
from applications.models import (
    Application,
)
from applications.permissions import FORM_SCAN_STATES
from applications.workflow import application_transition
from organizations.enums import BureauLevel, Role
from organizations.models import Bureau, User
from tests.states import actor, form_scan_upload

S = ApplicationState
A = Action

# The plan's path to each state, from a draft.
_FORWARDED = (A.SUBMIT, A.APPROVE, A.SIGN_OFF, A.FORWARD)
_WRITTEN_PASSED = (*_FORWARDED, A.WRITTEN_PASS)
_INSPECTED_PASSED = (*_WRITTEN_PASSED, A.INSPECTION_PASS)
PATHS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (),
    S.SUBMITTED: (A.SUBMIT,),
    S.RETURNED: (A.SUBMIT, A.RETURN),
    S.WITHDRAWN: (A.WITHDRAW,),
    S.CITY_APPROVED: (A.SUBMIT, A.APPROVE),
    S.NOT_RECOMMENDED: (A.SUBMIT, A.DECLINE),
    S.SIGNED_OFF: (A.SUBMIT, A.APPROVE, A.SIGN_OFF),
    S.FORWARDED: _FORWARDED,
    S.WRITTEN_PASSED: _WRITTEN_PASSED,
    S.WRITTEN_FAILED: (*_FORWARDED, A.WRITTEN_FAIL),
    S.INSPECTED_PASSED: _INSPECTED_PASSED,
    S.INSPECTED_FAILED: (*_WRITTEN_PASSED, A.INSPECTION_FAIL),
    S.APPROVED: (*_INSPECTED_PASSED, A.DECIDE_APPROVE),
    S.NOT_APPROVED: (*_INSPECTED_PASSED, A.DECIDE_REJECT),
    S.DESIGNATED: (*_INSPECTED_PASSED, A.DECIDE_APPROVE, A.DESIGNATE),
}
assert set(PATHS) == set(S), "every state has a path"

# Who fires each action: the county's head, its city's reviewer or head, or the office.
ACTOR_ROLE = {
    A.SUBMIT: Role.COUNTY_HEAD,
    A.RESUBMIT: Role.COUNTY_HEAD,
    A.REPORT: Role.COUNTY_HEAD,
    A.WITHDRAW: Role.COUNTY_HEAD,
    A.RETURN: Role.CITY_REVIEWER,
    A.APPROVE: Role.CITY_REVIEWER,
    A.DECLINE: Role.CITY_REVIEWER,
    A.SIGN_OFF: Role.CITY_HEAD,
    A.SIGN_OFF_DECLINE: Role.CITY_HEAD,
    A.FORWARD: Role.CITY_HEAD,
    A.WRITTEN_PASS: Role.CAMPAIGN_OFFICE,
    A.WRITTEN_FAIL: Role.CAMPAIGN_OFFICE,
    A.INSPECTION_PASS: Role.CAMPAIGN_OFFICE,
    A.INSPECTION_FAIL: Role.CAMPAIGN_OFFICE,
    A.DECIDE_APPROVE: Role.CAMPAIGN_OFFICE,
    A.DECIDE_REJECT: Role.CAMPAIGN_OFFICE,
    A.DESIGNATE: Role.CAMPAIGN_OFFICE,
    A.WITHDRAW_APPROVAL: Role.CITY_REVIEWER,
    A.REOPEN_WRITTEN: Role.CAMPAIGN_OFFICE,
    A.NOTICE_BACK: Role.CAMPAIGN_OFFICE,
    A.APPROVAL_WITHDRAW: Role.CAMPAIGN_OFFICE,
}


def actor_for(application: Application, action: str) -> User:
    role = ACTOR_ROLE[action]
    if role == Role.COUNTY_HEAD:
        return actor(role, bureau=application.county)
    if role in (Role.CITY_REVIEWER, Role.CITY_HEAD):
        return actor(role, bureau=application.county.parent)
    return actor(role, bureau=Bureau.objects.get(level=BureauLevel.PROVINCE))


def _file_fields() -> dict:
    return {
        "original_name": "纪要.pdf",
        "stored_name": secrets.token_hex(20),
        "kind": "pdf",
        "size": 1,
        "sha256": "0" * 64,
    }


def record_sign_off(application: Application, outcome: str, by: User) -> None:
    """The city's Party meeting outcome for ``application``, as the review records it."""
    from review.models import PartyMeeting, SignOff

    meeting = PartyMeeting.objects.create(
        cycle=application.cycle,
        city=application.county.parent,
        meeting_kind="party_group",
        held_on="2026-06-30",
        minutes_number="会议纪要〔2026〕5号",
        recorded_by=by,
        **_file_fields(),
    )
    SignOff.objects.update_or_create(
        application=application, defaults={"meeting": meeting, "outcome": outcome}
    )


def record_written_review(application: Application, by: User, rating: str = "met") -> None:
    """Every section scored and signed, as the evaluators would leave it."""
    from evaluation.models import ItemScore, ScoreSheet

    if ScoreSheet.objects.filter(application=application).exists():
        return
    for section in application.cycle.criteria_version.sections.all():
        sheet = ScoreSheet.objects.create(
            application=application, section=section, signed_by=by, signed_at=timezone.now()
        )
        ItemScore.objects.bulk_create(
            ItemScore(sheet=sheet, item=item, rating=rating, updated_by=by)
            for item in section.items.all()
        )


def record_inspection(application: Application, result: str, by: User) -> None:
    from evaluation.models import Inspection

    Inspection.objects.update_or_create(
        application=application,
        defaults={"visit_date": "2026-09-01", "scheduled_by": by, "result": result},
    )


def record_decision(application: Application, decision: str, by: User) -> None:
    from evaluation.models import ProvincialDecision, ProvincialMeeting

    meeting = ProvincialMeeting.objects.create(
        cycle=application.cycle,
        held_on="2026-10-10",
        number="厅党委〔2026〕8号",
        recorded_by=by,
        **_file_fields(),
    )
    ProvincialDecision.objects.update_or_create(
        application=application,
        defaults={"meeting": meeting, "decision": decision, "decided_by": by},
    )


def record_notice_closed(application: Application, by: User) -> None:
    """A public notice (公示) for ``application``, opened after its approval and closed, with
    no objection waiting: what the naming guard reads."""
    import datetime

    from notices.models import PublicNotice

    notice = PublicNotice.objects.create(
        cycle=application.cycle,
        starts_on=datetime.date(2026, 10, 12),
        closes_on=datetime.date(2026, 10, 12),
        working_days=1,
        contact_office="办公室",
        contact_phone="0451-1",
        opened_by=by,
    )
    notice.applications.add(application)


def record_designation(application: Application) -> None:
    from designations.models import Designation

    Designation.objects.get_or_create(
        application=application,
        defaults={
            "bureau": application.county,
            "number": f"黑司示〔2026〕{application.pk}号",
            "designated_on": "2026-12-01",
        },
    )


def record_upheld_objection(application: Application, outcome: str, by: User) -> None:
    """An objection about ``application`` during a public notice, verified and upheld."""
    import datetime

    from django.utils import timezone

    from notices.models import Objection, PublicNotice

    notice = PublicNotice.objects.create(
        cycle=application.cycle,
        starts_on=datetime.date(2026, 9, 30),
        closes_on=datetime.date(2026, 10, 12),
        contact_office="办公室",
        contact_phone="0451-1",
        opened_by=by,
    )
    notice.applications.add(application)
    Objection.objects.create(
        notice=notice,
        application=application,
        reference=f"TEST-{application.pk}",
        name="张三",
        phone="13800000000",
        facts="事实",
        outcome=outcome,
        handling_note="属实",
        handled_by=by,
        handled_at=timezone.now(),
    )


def prepare(application: Application, action: str) -> None:
    """Record what the guard of ``action`` reads, so that only the state can refuse it."""
    by = actor_for(application, action)
    if action in (A.SIGN_OFF, A.FORWARD):
        record_sign_off(application, "approved", by)
    if action == A.FORWARD and application.state in FORM_SCAN_STATES:
        # The county's stamped form, while the county may still upload it.
        form_scan_upload(application)
    elif action == A.SIGN_OFF_DECLINE:
        record_sign_off(application, "declined", by)
    elif action in (A.WRITTEN_PASS, A.WRITTEN_FAIL):
        record_written_review(application, by)
    elif action == A.INSPECTION_PASS:
        record_inspection(application, "passed", by)
    elif action == A.INSPECTION_FAIL:
        record_inspection(application, "failed", by)
    elif action == A.DECIDE_APPROVE:
        record_decision(application, "approved", by)
    elif action == A.DECIDE_REJECT:
        record_decision(application, "not_approved", by)
    elif action == A.DESIGNATE:
        record_notice_closed(application, by)
        record_designation(application)
    elif action == A.NOTICE_BACK:
        record_upheld_objection(application, "upheld_back", by)
    elif action == A.APPROVAL_WITHDRAW:
        record_upheld_objection(application, "upheld_withdrawn", by)


def fire(application: Application, action: str, **kwargs) -> Application:
    """``action`` by its usual actor, with the pledge, the acknowledgement and a reason."""
    kwargs.setdefault("by", actor_for(application, action))
    kwargs.setdefault("pledge", True)
    kwargs.setdefault("acknowledged", True)
    kwargs.setdefault("note", "第3.2项佐证材料不全")
    return application_transition(application=application, action=action, **kwargs)


def reach(application: Application, state: str) -> Application:
    """Walk a complete draft along the plan's path to ``state`` through the workflow."""
    for action in PATHS[state]:
        prepare(application, action)
        application = fire(application, action)
    assert application.state == state
    return application
