"""Every service that changes state refuses an outsider, itself, whatever the view does.

One world is reached through the services, once for the module (``rows_for_the_module``): an
application of a Harbin county in each state, a designation in each state, a rectification open
and one submitted, a re-inspection round, a public notice with an objection waiting. Each case
calls one service as someone with no role for the object — a county or city of Qiqihar for
Harbin's objects, an evaluator for the campaign office's acts, an administrator of the wrong
kind for accounts and roles — and as the system (``SystemActor``) where only a person may act,
and asserts that it is refused (``PermissionDenied``) before it wrote anything (no INSERT,
UPDATE or DELETE statement, no file stored) and that nothing moved: no state, no row, no audit
entry, no file, no notification, no mail.
"""

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import workflow as application_workflow
from applications.enums import Action
from applications.enums import ApplicationState as S
from applications.models import Application
from applications.services import (
    application_create,
    application_update_form,
    assessment_save,
    county_deadline_set,
    cycle_close,
    cycle_create,
    cycle_open,
    cycle_set_parameters,
    evidence_add,
    evidence_remove,
    figure_save,
)
from core.actors import SystemActor
from designations import workflow as designation_workflow
from designations.batches import certificate_batch_start
from designations.enums import DesignationAction as DA
from designations.enums import DesignationState as D
from designations.enums import RevocationGround
from designations.services import (
    designation_grant,
    designation_record_historical,
    designation_revoke,
    publication_publish,
)
from evaluation.decisions import provincial_meeting_record
from evaluation.inspections import inspection_record, inspection_schedule
from evaluation.models import Assignment
from evaluation.written_review import (
    evaluator_assign,
    evaluator_unassign,
    evaluators_assign_section,
    score_sheets_ensure,
    sheet_save,
    sheet_sign,
)
from notices.selectors import window_start
from notices.services import (
    ScheduleLine,
    calendar_year_enter,
    calendar_year_import,
    objection_handle,
    objection_submit,
    public_notice_open,
)
from organizations.enums import BureauLevel, Role
from organizations.models import Bureau, Division, Membership, User
from organizations.services import (
    bureau_create,
    bureau_set_active,
    membership_grant,
    membership_revoke,
    password_set,
    user_create,
    user_update,
)
from organizations.two_factor import otp_reset
from portal.demo import application_fill_example
from reinspections.rectifications import (
    rectification_conclude,
    rectification_file_add,
    rectification_file_remove,
    rectification_judge,
    rectification_order,
    rectification_submit,
)
from reinspections.rounds import reinspection_decide, reinspection_open
from review.models import ForwardingBatch
from review.services import (
    deadline_extension_grant,
    forwarding_batch_create,
    forwarding_scan_add,
    party_meeting_record,
    review_decide,
)
from standards.models import Indicator
from tests import objectstore
from tests.applications.files import PDF
from tests.conftest import cast_make, cycle_make, rows_for_the_module
from tests.designations.factories import at_state
from tests.states import actor, notice_closed, reach, stock

pytestmark = pytest.mark.django_db

HARBIN, QIQIHAR = "230100", "230200"
WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE")
# Every person-only service refuses each kind of system actor.
SYSTEM = tuple(SystemActor)


def _pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


@dataclass
class World:
    """The objects the services are called on, and the outsiders who call them."""

    objects: dict
    people: dict

    def __getattr__(self, name: str):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def _application(cycle, code: str, state: str) -> Application:
    county = Bureau.objects.get(code=code)
    created = application_create(
        cycle=cycle, county=county, by=actor(Role.COUNTY_HEAD, bureau=county)
    )
    return created if state == S.DRAFT else reach(created, state)


def _world_build(cast, cycle) -> World:
    office = cast.office
    today = timezone.localdate()
    o: dict = {"cycle": cycle}
    o["draft_cycle"] = cycle_create(
        year=cycle.year + 1, criteria_version=cycle.criteria_version, by=SystemActor.LOADER
    )
    # Harbin's counties, one a state (county A, 道里区, is the cast's draft).
    draft = _application(cycle, "230102", S.DRAFT)
    application_fill_example(draft, by=cast.county_a_head)
    o["item"] = draft.cycle.criteria_version.sections.get(number=5).items.first()
    o["indicator"] = Indicator.objects.filter(item__section__version=cycle.criteria_version).first()
    o["evidence"] = evidence_add(
        application=draft, item=o["item"], upload=_pdf(), by=cast.county_a_head
    )
    o["draft"] = draft
    for key, code, state in (
        ("submitted", "230103", S.SUBMITTED),
        ("returned", "230123", S.RETURNED),
        ("city_approved", "230104", S.CITY_APPROVED),
        ("signed_off", "230108", S.SIGNED_OFF),
        ("forwarded", "230109", S.FORWARDED),
        ("written", "230110", S.WRITTEN_PASSED),
        ("scheduled", "230111", S.WRITTEN_PASSED),
        ("inspected", "230112", S.INSPECTED_PASSED),
        ("ready", "230113", S.APPROVED),
        ("on_notice", "230183", S.APPROVED),
        ("designated", "230184", S.DESIGNATED),
    ):
        o[key] = _application(cycle, code, state)
    o["batch"] = ForwardingBatch.objects.get(applications=o["forwarded"])
    o["sheet"] = next(
        s for s in score_sheets_ensure(application=o["forwarded"]) if s.section.number == 5
    )
    o["assignment"] = evaluator_assign(
        sheet=o["sheet"], evaluator=cast.evaluator_publicity, by=office
    )
    o["inspection"] = inspection_schedule(
        application=o["scheduled"],
        visit_date=today - timedelta(days=1),
        team=[cast.evaluator_publicity],
        itinerary="",
        by=office,
    )
    notice_closed(o["ready"])
    # A window held after the committee's meeting, closed since, with an objection taken on
    # its first day still waiting (a past window: no calendar of a year to come is needed).
    o["notice"] = notice_closed(o["on_notice"])
    o["objection"] = objection_submit(
        notice=o["notice"],
        application=o["on_notice"],
        name="张三",
        phone="13800000001",
        facts="反映的问题经过与事实。",
        now=window_start(o["notice"]) + timedelta(hours=10),
    )
    o["designation"] = o["designated"].designation
    # Titles of 鸡西市 from the paper register; each ``at_state`` runs the daily job of the
    # due date, so the one left active is entered last.
    o["rectifying"] = at_state(office, D.RECTIFYING, "230302").rectifications.get()
    county_head = actor(Role.COUNTY_HEAD, bureau=Bureau.objects.get(code="230302"))
    o["rectification_file"] = rectification_file_add(
        requirement=o["rectifying"].requirements.first(),
        upload=_pdf("整改报告.pdf"),
        role="report",
        by=county_head,
    )
    submitted = at_state(office, D.RECTIFYING, "230303").rectifications.get()
    county_head = actor(Role.COUNTY_HEAD, bureau=Bureau.objects.get(code="230303"))
    for requirement in submitted.requirements.all():
        rectification_file_add(
            requirement=requirement, upload=_pdf("整改报告.pdf"), role="report", by=county_head
        )
    o["rectification_submitted"] = rectification_submit(rectification=submitted, by=county_head)
    o["due"] = at_state(office, D.REINSPECTION_DUE, "230304")
    o["round"] = reinspection_open(
        designation=at_state(office, D.REINSPECTION_DUE, "230305"),
        deadline=timezone.localdate() + timedelta(days=30),
        by=office,
    )
    o["active"] = at_state(office, D.ACTIVE, "230306")
    o["membership"] = Membership.objects.get(user=cast.county_a_applicant)
    people = {
        "county": cast.county_b_head,
        "reviewer": cast.city_b_reviewer,
        "city": actor(Role.CITY_HEAD, bureau=Bureau.objects.get(code=QIQIHAR)),
        "evaluator": cast.evaluator_grassroots,
        "office": office,
        "secadmin": cast.secadmin,
        "sysadmin": cast.sysadmin,
        "nobody": cast.nobody,
    }
    return World(objects=o, people=people)


@pytest.fixture(scope="module")
def _made_once(django_db_blocker, object_store):
    def build():
        cast = cast_make()
        return _world_build(cast, cycle_make())

    yield from rows_for_the_module(django_db_blocker, object_store, build)


@pytest.fixture
def world(_made_once, db) -> World:
    return _made_once


# What a refused call must leave as it was -----------------------------------------------------


@contextmanager
def nothing_moves() -> Iterator[None]:
    """Take stock of everything, run the block with its on-commit work, check again; and the
    block wrote nothing even for a moment: no INSERT, UPDATE or DELETE reached the database (a
    write rolled back by a later refusal would pass the stock), no file was stored."""
    before = stock()
    stored = len(objectstore.WRITTEN)
    with (
        CaptureQueriesContext(connection) as queries,
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        yield
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITE_STATEMENTS)]
    assert writes == []
    assert objectstore.WRITTEN[stored:] == []
    assert stock() == before


# The cases: (the service's call, who is the outsider, whether the system may run it) --------

PERSON = "person"  # only a person may: every system actor is refused
SYSTEM_MAY = "system"  # the loaders and the demo may; the job is refused


@dataclass(frozen=True)
class Case:
    name: str
    call: Callable[[World, object], object]
    outsider: str
    who: str = PERSON


def _later(days: int = 10):
    return timezone.localdate() + timedelta(days=days)


CASES: list[Case] = [
    # applications
    Case(
        "cycle_create",
        lambda w, by: cycle_create(
            year=w.cycle.year + 2, criteria_version=w.cycle.criteria_version, by=by
        ),
        "city",
        SYSTEM_MAY,
    ),
    Case("cycle_open", lambda w, by: cycle_open(cycle=w.draft_cycle, by=by), "city", SYSTEM_MAY),
    Case("cycle_close", lambda w, by: cycle_close(cycle=w.cycle, by=by), "city", SYSTEM_MAY),
    Case(
        "cycle_set_parameters",
        lambda w, by: cycle_set_parameters(cycle=w.cycle, parameters={"x": "1"}, by=by),
        "city",
        SYSTEM_MAY,
    ),
    Case(
        "county_deadline_set",
        lambda w, by: county_deadline_set(
            cycle=w.cycle, city=Bureau.objects.get(code=HARBIN), deadline=_later(), by=by
        ),
        "city",
    ),
    Case(
        "application_create",
        lambda w, by: application_create(
            cycle=w.cycle, county=Bureau.objects.get(code="230124"), by=by
        ),
        "county",
    ),
    Case(
        "application_update_form",
        lambda w, by: application_update_form(
            application=w.draft, by=by, data={"summary": "外人改写"}
        ),
        "county",
    ),
    Case(
        "assessment_save",
        lambda w, by: assessment_save(
            application=w.draft, item=w.item, by=by, answer="not_met", explanation="外人"
        ),
        "county",
    ),
    Case(
        "figure_save",
        lambda w, by: figure_save(application=w.draft, indicator=w.indicator, by=by, value="0"),
        "county",
    ),
    Case(
        "evidence_add",
        lambda w, by: evidence_add(application=w.draft, item=w.item, upload=_pdf(), by=by),
        "county",
    ),
    Case(
        "evidence_add_form_scan",
        lambda w, by: evidence_add(application=w.draft, item=None, upload=_pdf(), by=by),
        "county",
    ),
    Case("evidence_remove", lambda w, by: evidence_remove(evidence=w.evidence, by=by), "county"),
    # review
    Case(
        "review_decide",
        lambda w, by: review_decide(
            application=w.submitted, action=Action.APPROVE, by=by, comments={w.item.pk: "好"}
        ),
        "reviewer",
    ),
    Case(
        "party_meeting_record",
        lambda w, by: party_meeting_record(
            cycle=w.cycle,
            city=Bureau.objects.get(code=HARBIN),
            by=by,
            meeting_kind="party_group",
            held_on=timezone.localdate(),
            minutes_number="外人〔1〕号",
            minutes_upload=_pdf("纪要.pdf"),
            outcomes={w.city_approved.pk: "approved"},
        ),
        "city",
    ),
    Case(
        "forwarding_batch_create",
        lambda w, by: forwarding_batch_create(
            cycle=w.cycle,
            city=Bureau.objects.get(code=HARBIN),
            by=by,
            applications=[w.signed_off],
            letter_number="外人〔1〕号",
        ),
        "city",
    ),
    Case(
        "forwarding_scan_add",
        lambda w, by: forwarding_scan_add(batch=w.batch, upload=_pdf("盖章.pdf"), by=by),
        "city",
    ),
    Case(
        "deadline_extension_grant",
        lambda w, by: deadline_extension_grant(
            cycle=w.cycle, city=Bureau.objects.get(code=HARBIN), by=by, until=_later(), reason="x"
        ),
        "city",
    ),
    # evaluation
    Case(
        "evaluator_assign",
        lambda w, by: evaluator_assign(sheet=w.sheet, evaluator=w.people["evaluator"], by=by),
        "evaluator",
    ),
    Case(
        "evaluator_unassign",
        lambda w, by: evaluator_unassign(
            assignment=Assignment.objects.get(pk=w.assignment.pk), by=by
        ),
        "evaluator",
    ),
    Case(
        "evaluators_assign_section",
        lambda w, by: evaluators_assign_section(
            cycle=w.cycle,
            section_number=5,
            division=Division.objects.get(code="legal_publicity"),
            by=by,
        ),
        "evaluator",
    ),
    Case(
        "sheet_save",
        lambda w, by: sheet_save(
            sheet=w.sheet,
            by=by,
            version=w.sheet.version,
            ratings={i.pk: ("not_met", False, "") for i in w.sheet.section.items.all()},
        ),
        "evaluator",
    ),
    Case("sheet_sign", lambda w, by: sheet_sign(sheet=w.sheet, by=by), "evaluator"),
    Case(
        "inspection_schedule",
        lambda w, by: inspection_schedule(
            application=w.written,
            visit_date=timezone.localdate() + timedelta(days=10),
            team=[w.people["evaluator"]],
            itinerary="",
            by=by,
        ),
        "evaluator",
    ),
    Case(
        "inspection_record",
        lambda w, by: inspection_record(
            inspection=w.inspection, by=by, findings={}, result="failed", summary="外人"
        ),
        "evaluator",
    ),
    Case(
        "provincial_meeting_record",
        lambda w, by: provincial_meeting_record(
            cycle=w.cycle,
            by=by,
            held_on=timezone.localdate(),
            number="外人〔1〕号",
            minutes_upload=_pdf("纪要.pdf"),
            decisions={w.inspected.pk: ("not_approved", "")},
        ),
        "evaluator",
    ),
    # designations
    Case(
        "designation_grant",
        lambda w, by: designation_grant(
            application=w.ready, by=by, designated_on=timezone.localdate(), reward="collective"
        ),
        "city",
    ),
    Case(
        "publication_publish",
        lambda w, by: publication_publish(
            cycle=w.cycle,
            by=by,
            document_number="外人〔1〕号",
            published_on=timezone.localdate(),
            designations=[w.designation],
        ),
        "city",
    ),
    Case(
        "designation_record_historical",
        lambda w, by: designation_record_historical(
            bureau=Bureau.objects.get(code="230307"),
            number="外人〔2023〕1号",
            designated_on=date(2023, 1, 10),
            document_number="外人〔2023〕2号",
            published_on=date(2023, 1, 10),
            by=by,
        ),
        "city",
    ),
    Case(
        "designation_revoke",
        lambda w, by: designation_revoke(
            designation=w.active,
            by=by,
            ground="violation",
            decision="外人〔1〕号",
            revoked_on=timezone.localdate(),
            plaque_removed_on=timezone.localdate(),
            note="外人",
        ),
        "city",
    ),
    Case(
        "rectification_order",
        lambda w, by: rectification_order(
            designation=w.due,
            deadline=timezone.localdate() + timedelta(days=30),
            requirements=["外人的要求"],
            by=by,
        ),
        "city",
    ),
    Case(
        "rectification_file_add",
        lambda w, by: rectification_file_add(
            requirement=w.rectifying.requirements.first(), upload=_pdf(), role="evidence", by=by
        ),
        "county",
    ),
    Case(
        "rectification_file_remove",
        lambda w, by: rectification_file_remove(file=w.rectification_file, by=by),
        "county",
    ),
    Case(
        "rectification_submit",
        lambda w, by: rectification_submit(rectification=w.rectifying, by=by),
        "county",
    ),
    Case(
        "rectification_judge",
        lambda w, by: rectification_judge(
            requirement=w.rectification_submitted.requirements.first(), met=True, note="", by=by
        ),
        "city",
    ),
    Case(
        "rectification_conclude",
        lambda w, by: rectification_conclude(
            rectification=w.rectification_submitted, by=by, decision="外人〔1〕号"
        ),
        "city",
    ),
    Case(
        "reinspection_open",
        lambda w, by: reinspection_open(designation=w.due, deadline=_later(30), by=by),
        "city",
    ),
    Case(
        "reinspection_decide",
        lambda w, by: reinspection_decide(reinspection=w.round, by=by, kept=True),
        "city",
    ),
    Case(
        "certificate_batch_start",
        lambda w, by: certificate_batch_start(cycle=w.cycle, by=by),
        "city",
    ),
    Case(
        "calendar_year_enter",
        lambda w, by: calendar_year_enter(
            year=2031, lines=[ScheduleLine(date(2031, 1, 1), "holiday", "元旦")], by=by
        ),
        "city",
    ),
    Case(
        "calendar_year_import",
        lambda w, by: calendar_year_import(
            year=2031, content="2031-01-01,holiday,元旦\n".encode(), by=by
        ),
        "city",
    ),
    Case(
        "public_notice_open",
        lambda w, by: public_notice_open(
            cycle=w.cycle,
            applications=[w.ready],
            starts_on=timezone.localdate(),
            contact_office="外人",
            contact_phone="0451-00000000",
            by=by,
        ),
        "city",
    ),
    Case(
        "objection_handle",
        lambda w, by: objection_handle(
            objection=w.objection, outcome="upheld_withdrawn", note="外人", by=by
        ),
        "city",
    ),
    # organizations
    Case(
        "membership_grant",
        lambda w, by: membership_grant(
            user=w.people["nobody"],
            role=Role.COUNTY_HEAD,
            bureau=Bureau.objects.get(code="230102"),
            by=by,
        ),
        "office",
        SYSTEM_MAY,
    ),
    Case(
        "membership_revoke",
        lambda w, by: membership_revoke(membership=w.membership, by=by),
        "office",
        SYSTEM_MAY,
    ),
    Case(
        "user_create",
        lambda w, by: user_create(username="outsider_made", full_name="外人", by=by),
        "secadmin",
        SYSTEM_MAY,
    ),
    Case(
        "user_update",
        lambda w, by: user_update(user=_renamed(w.people["nobody"]), changed=["full_name"], by=by),
        "secadmin",
        SYSTEM_MAY,
    ),
    Case(
        "bureau_create",
        lambda w, by: bureau_create(
            code="230199",
            region_name="外人开发区",
            level=BureauLevel.COUNTY,
            parent=Bureau.objects.get(code=HARBIN),
            by=by,
        ),
        "secadmin",
        SYSTEM_MAY,
    ),
    Case(
        "bureau_set_active",
        lambda w, by: bureau_set_active(
            bureau=Bureau.objects.get(code="230102"), active=False, by=by
        ),
        "secadmin",
        SYSTEM_MAY,
    ),
    Case(
        "password_set_reset",
        lambda w, by: password_set(
            user=w.people["nobody"], password="Wai@Ren2026x", by=by, reset=True
        ),
        "sysadmin",
    ),
    Case(
        "password_set_change",
        lambda w, by: password_set(user=w.people["nobody"], password="Wai@Ren2026x", by=by),
        "office",
    ),
    Case("otp_reset", lambda w, by: otp_reset(user=w.people["office"], by=by), "sysadmin"),
]


def _renamed(user: User) -> User:
    fresh = User.objects.get(pk=user.pk)
    fresh.full_name = "外人改名"
    return fresh


# Every row of each workflow table, from a state it starts from, by someone outside its scope.
APPLICATION_ACTIONS = {
    Action.SUBMIT: "draft",
    Action.WITHDRAW: "draft",
    Action.RESUBMIT: "returned",
    Action.RETURN: "submitted",
    Action.APPROVE: "submitted",
    Action.DECLINE: "submitted",
    Action.WITHDRAW_APPROVAL: "city_approved",
    Action.SIGN_OFF: "city_approved",
    Action.SIGN_OFF_DECLINE: "city_approved",
    Action.FORWARD: "signed_off",
    Action.WRITTEN_PASS: "forwarded",
    Action.WRITTEN_FAIL: "forwarded",
    Action.REOPEN_WRITTEN: "written",
    Action.INSPECTION_PASS: "scheduled",
    Action.INSPECTION_FAIL: "scheduled",
    Action.DECIDE_APPROVE: "inspected",
    Action.DECIDE_REJECT: "inspected",
    Action.DESIGNATE: "ready",
    Action.REPORT: "round_report",
    Action.NOTICE_BACK: "on_notice",
    Action.APPROVAL_WITHDRAW: "on_notice",
}
SCOPE_OUTSIDER = {"county": "county", "city": "city", "province": "evaluator"}


def _application_of(w: World, key: str) -> Application:
    if key == "round_report":
        return w.round.application
    return getattr(w, key)


for _action, _key in APPLICATION_ACTIONS.items():
    CASES.append(
        Case(
            f"application_transition[{_action}]",
            lambda w, by, action=_action, key=_key: application_workflow.application_transition(
                application=_application_of(w, key),
                action=action,
                by=by,
                note="外人",
                pledge=True,
                acknowledged=True,
            ),
            SCOPE_OUTSIDER[application_workflow.TRANSITIONS[_action].scope],
        )
    )

DESIGNATION_ACTIONS = {
    DA.REINSPECTION_PASS: "due",
    DA.RECTIFY: "due",
    DA.RECTIFICATION_PASS: "rectified",
    DA.RECTIFICATION_FAIL: "rectifying_designation",
    DA.REVOKE: "active",
}


def _designation_of(w: World, key: str):
    if key == "rectified":
        return w.rectification_submitted.designation
    if key == "rectifying_designation":
        return w.rectifying.designation
    return getattr(w, key)


for _action, _key in DESIGNATION_ACTIONS.items():
    CASES.append(
        Case(
            f"designation_transition[{_action}]",
            lambda w, by, action=_action, key=_key: designation_workflow.designation_transition(
                designation=_designation_of(w, key),
                action=action,
                by=by,
                note="外人",
                deadline=timezone.localdate() + timedelta(days=30),
                decision="外人〔1〕号",
                ground=RevocationGround.VIOLATION,
                revoked_on=timezone.localdate(),
                plaque_removed_on=timezone.localdate(),
            ),
            "city",
        )
    )


def _params():
    for case in CASES:
        yield pytest.param(case, case.outsider, id=f"{case.name}-{case.outsider}")
        refused = SYSTEM if case.who == PERSON else (SystemActor.JOB,)
        for system in refused:
            yield pytest.param(case, system, id=f"{case.name}-{system}")
    # The daily job's own move: no person (not even the office), no loader, not the demo.
    job_only = Case(
        "designation_transition[reinspection_due]",
        lambda w, by: designation_workflow.designation_transition(
            designation=w.active, action=DA.REINSPECTION_DUE, by=by, today=date(2026, 1, 10)
        ),
        "office",
    )
    for who in ("office", "city", SystemActor.LOADER, SystemActor.DEMO):
        yield pytest.param(job_only, who, id=f"{job_only.name}-{who}")


def test_every_row_of_both_workflows_is_covered():
    assert set(APPLICATION_ACTIONS) == set(application_workflow.TRANSITIONS)
    assert set(DESIGNATION_ACTIONS) | {DA.REINSPECTION_DUE} == set(designation_workflow.TRANSITIONS)


@pytest.mark.parametrize(("case", "who"), list(_params()))
def test_an_outsider_is_refused_and_nothing_moves(world, case, who):
    by = who if isinstance(who, SystemActor) else world.people[who]
    with nothing_moves(), pytest.raises(PermissionDenied):
        case.call(world, by)


SERVICES = (
    cycle_create,
    cycle_open,
    cycle_close,
    cycle_set_parameters,
    county_deadline_set,
    application_create,
    application_update_form,
    assessment_save,
    figure_save,
    evidence_add,
    evidence_remove,
    application_workflow.application_transition,
    review_decide,
    party_meeting_record,
    forwarding_batch_create,
    forwarding_scan_add,
    deadline_extension_grant,
    evaluator_assign,
    evaluator_unassign,
    evaluators_assign_section,
    sheet_save,
    sheet_sign,
    inspection_schedule,
    inspection_record,
    provincial_meeting_record,
    designation_grant,
    publication_publish,
    designation_record_historical,
    designation_revoke,
    designation_workflow.designation_transition,
    rectification_order,
    rectification_file_add,
    rectification_file_remove,
    rectification_submit,
    rectification_judge,
    rectification_conclude,
    reinspection_open,
    reinspection_decide,
    certificate_batch_start,
    calendar_year_enter,
    calendar_year_import,
    public_notice_open,
    objection_handle,
    membership_grant,
    membership_revoke,
    user_create,
    user_update,
    bureau_create,
    bureau_set_active,
    password_set,
    otp_reset,
)


def test_every_service_requires_its_actor():
    """``by`` has no default: a caller that forgets the actor fails at once."""
    covered = {case.name.split("[")[0] for case in CASES}
    for service in SERVICES:
        by = inspect.signature(service).parameters["by"]
        assert by.kind is inspect.Parameter.KEYWORD_ONLY, service.__name__
        assert by.default is inspect.Parameter.empty, service.__name__
        assert any(name.startswith(service.__name__) for name in covered), service.__name__
