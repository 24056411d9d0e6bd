"""Designations reached through the services, the way the campaign reaches them.

An approved application walks the whole workflow (submitted with the pledge, approved by its
city, signed off, forwarded, scored and passed, inspected, approved by the Party committee),
so a designation test never starts from a state the workflow cannot reach.
"""

import itertools
from datetime import date

from applications.enums import ApplicationState
from applications.models import Application, Cycle
from applications.services import application_create
from designations.enums import DesignationState, RevocationGround, Reward
from designations.jobs import reinspection_jobs
from designations.models import Designation
from designations.services import (
    designation_grant,
    designation_record_historical,
    designation_revoke,
)
from organizations.enums import Role
from organizations.models import Bureau, User
from tests.reinspections.factories import round_rectify
from tests.states import actor, notice_closed, reach

_serial = itertools.count(1)


def approved_application(cycle: Cycle, office: User, code: str) -> Application:
    """County ``code``'s application of ``cycle``, approved by the provincial Party committee
    (``tests.states.reach``: the whole workflow through the services)."""
    county = Bureau.objects.get(code=code)
    application = application_create(
        cycle=cycle, county=county, by=actor(Role.COUNTY_HEAD, bureau=county)
    )
    return reach(application, ApplicationState.APPROVED)


def noticed_application(cycle: Cycle, office: User, code: str) -> Application:
    """County ``code``'s application approved by the Party committee and through its public
    notice (公示): the window closed, no objection. Ready to be named."""
    application = approved_application(cycle, office, code)
    notice_closed(application)
    return application


def designated(
    cycle: Cycle, office: User, code: str = "230102", on: date = date(2026, 12, 1)
) -> Designation:
    """County ``code`` designated on ``on`` through the whole workflow (its public notice
    closed), collective merit."""
    return designation_grant(
        application=noticed_application(cycle, office, code),
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
    60 days from today (decided through its re-inspection round), or revoked at once."""
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
    round_rectify(designation, by=office)
    designation.refresh_from_db()
    return designation
