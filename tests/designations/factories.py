"""Designations reached through the services, the way the campaign reaches them.

An approved application walks the whole workflow (submitted with the pledge, approved by its
city, signed off, forwarded, scored and passed, inspected, approved by the Party committee),
so a designation test never starts from a state the workflow cannot reach.
"""

import itertools
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.enums import Action
from applications.models import Application, Cycle
from applications.services import application_create
from applications.workflow import application_transition
from designations.enums import DesignationState, RevocationGround, Reward
from designations.jobs import reinspection_jobs
from designations.models import Designation
from designations.services import (
    designation_grant,
    designation_record_historical,
    designation_revoke,
    reinspection_record,
)
from organizations.enums import Role
from organizations.models import Bureau, Division, User
from organizations.selectors import users_with_role
from organizations.services import membership_grant
from portal.demo import application_fill_example
from review.enums import Rating
from review.evaluation import evaluator_assign, score_sheets_ensure, sheet_save, sheet_sign
from review.inspections import inspection_record, inspection_schedule, provincial_meeting_record
from review.services import forwarding_batch_create, party_meeting_record, review_decide
from tests.applications.files import PDF
from tests.factories import UserFactory

_serial = itertools.count(1)


def role_holder(role: str, bureau: Bureau) -> User:
    """A user holding ``role`` in ``bureau``: the cast's when there is one, else a new one."""
    existing = users_with_role(bureau=bureau, roles=[role]).order_by("pk").first()
    if existing is not None:
        return existing
    user = UserFactory(username=f"{role}_{bureau.code}")
    membership_grant(user=user, role=role, bureau=bureau)
    return user


def division_evaluator(division: Division) -> User:
    existing = (
        User.objects.filter(memberships__role=Role.EVALUATOR, memberships__division=division)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    user = UserFactory(username=f"evaluator_{division.code}")
    membership_grant(user=user, role=Role.EVALUATOR, division=division)
    return user


def _minutes(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def approved_application(cycle: Cycle, office: User, code: str) -> Application:
    """County ``code``'s application of ``cycle``, approved by the provincial Party committee."""
    county = Bureau.objects.get(code=code)
    city = county.parent
    head = role_holder(Role.COUNTY_HEAD, county)
    city_head = role_holder(Role.CITY_HEAD, city)
    today = timezone.localdate()
    serial = next(_serial)

    application = application_create(cycle=cycle, county=county, by=head)
    application_fill_example(application, by=head)
    application_transition(
        application=application, action=Action.SUBMIT, by=head, pledge=True, acknowledged=True
    )
    review_decide(
        application=application,
        action=Action.APPROVE,
        by=role_holder(Role.CITY_REVIEWER, city),
    )
    party_meeting_record(
        cycle=cycle,
        city=city,
        by=city_head,
        meeting_kind="party_committee",
        held_on=today,
        minutes_number=f"市党委〔{cycle.year}〕{serial}号",
        minutes_upload=_minutes("纪要.pdf"),
        outcomes={application.pk: "approved"},
    )
    application.refresh_from_db()
    forwarding_batch_create(
        cycle=cycle,
        city=city,
        by=city_head,
        applications=[application],
        letter_number=f"市函〔{cycle.year}〕{serial}号",
    )
    application.refresh_from_db()
    for sheet in score_sheets_ensure(application=application):
        evaluator = division_evaluator(sheet.section.owners.order_by("order").first())
        evaluator_assign(sheet=sheet, evaluator=evaluator, by=office)
        ratings = {item.pk: (Rating.MET, False, "") for item in sheet.section.items.all()}
        sheet = sheet_save(sheet=sheet, by=evaluator, version=sheet.version, ratings=ratings)
        sheet_sign(sheet=sheet, by=evaluator)
    application_transition(application=application, action=Action.WRITTEN_PASS, by=office)
    application.refresh_from_db()
    inspector = division_evaluator(Division.objects.get(code="grassroots"))
    inspection = inspection_schedule(
        application=application,
        # One visit a day for the inspector: a new day for every application.
        visit_date=today + timedelta(days=serial),
        team=[inspector],
        itinerary="",
        by=office,
    )
    inspection_record(
        inspection=inspection, by=inspector, findings={}, result="passed", summary="达标"
    )
    provincial_meeting_record(
        cycle=cycle,
        by=office,
        held_on=today,
        number=f"厅党委〔{cycle.year}〕{serial}号",
        minutes_upload=_minutes("厅党委会议纪要.pdf"),
        decisions={application.pk: ("approved", "")},
    )
    application.refresh_from_db()
    return application


def designated(
    cycle: Cycle, office: User, code: str = "230102", on: date = date(2026, 12, 1)
) -> Designation:
    """County ``code`` designated on ``on`` through the whole workflow, collective merit."""
    return designation_grant(
        application=approved_application(cycle, office, code),
        by=office,
        designated_on=on,
        reward=Reward.COLLECTIVE,
    )


def registered(
    office: User, code: str, number: str, on: date, document_number: str = "黑司通〔2023〕18号"
) -> Designation:
    """A title entered from the paper register, published by ``document_number``."""
    return designation_record_historical(
        bureau=Bureau.objects.get(code=code),
        number=number,
        designated_on=on,
        document_number=document_number,
        published_on=on,
        by=office,
    )


REGISTERED_ON = date(2023, 1, 10)
DUE_ON = date(2026, 1, 10)


def at_state(office: User, state: str, code: str = "230102") -> Designation:
    """County ``code``'s title from the paper register (designated on 10 Jan 2023), moved to
    ``state`` by the services: due by the daily job of 10 Jan 2026, rectifying with a deadline
    60 days from today, or revoked at once."""
    designation = registered(office, code, f"黑司示〔2023〕{code}号", REGISTERED_ON)
    if state == DesignationState.ACTIVE:
        return designation
    if state == DesignationState.REVOKED:
        return designation_revoke(
            designation=designation,
            by=office,
            ground=RevocationGround.VIOLATION,
            decision="黑司发〔2026〕1号",
            revoked_on=DUE_ON,
            plaque_removed_on=DUE_ON,
            note="违法违纪并造成不良社会影响",
        )
    reinspection_jobs(today=DUE_ON)
    designation.refresh_from_db()
    if state == DesignationState.REINSPECTION_DUE:
        return designation
    return reinspection_record(
        designation=designation,
        by=office,
        passed=False,
        note="工作滑坡",
        deadline=timezone.localdate() + timedelta(days=60),
    )
