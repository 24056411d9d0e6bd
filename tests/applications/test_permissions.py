"""The named predicates, for every role of the cast and every state of the application."""

import pytest

from applications.enums import ApplicationState, CycleState
from applications.permissions import (
    can_create_application,
    can_edit_application,
    can_manage_cycles,
    can_set_county_deadline,
    can_submit_application,
    can_withdraw_application,
)
from applications.services import cycle_close, cycle_create
from core.actors import SystemActor

from .helpers import reach

pytestmark = pytest.mark.django_db

S = ApplicationState
CAST = (
    "county_a_applicant",
    "county_a_head",
    "county_a2_applicant",
    "county_b_applicant",
    "county_b_head",
    "city_a_reviewer",
    "city_a_head",
    "city_b_reviewer",
    "office",
    "evaluator_publicity",
    "evaluator_grassroots",
    "sysadmin",
    "nobody",
)
EDITABLE = {S.DRAFT, S.RETURNED}


def _holders(predicate, cast, *args) -> set[str]:
    return {who for who in CAST if predicate(getattr(cast, who), *args)}


@pytest.mark.parametrize("state", list(S))
def test_application_predicates_in_every_state(complete_application, cast, state):
    application = reach(complete_application, state)
    county_a = {"county_a_applicant", "county_a_head"}
    assert _holders(can_edit_application, cast, application) == (
        county_a if state in EDITABLE else set()
    )
    assert _holders(can_submit_application, cast, application) == (
        {"county_a_head"} if state in EDITABLE else set()
    )
    # Whether the state still allows a withdrawal is the workflow's answer (a message).
    assert _holders(can_withdraw_application, cast, application) == {"county_a_head"}


def test_county_roles_create_applications(cast):
    assert _holders(can_create_application, cast) == {
        "county_a_applicant",
        "county_a_head",
        "county_a2_applicant",
        "county_b_applicant",
        "county_b_head",
    }


def test_only_the_office_manages_cycles(cast):
    assert _holders(can_manage_cycles, cast) == {"office"}


@pytest.mark.parametrize("state", list(CycleState))
def test_city_heads_set_county_deadlines_until_the_cycle_closes(cycle, cast, state):
    if state == CycleState.DRAFT:
        cycle = cycle_create(
            year=cycle.year + 1, criteria_version=cycle.criteria_version, by=SystemActor.LOADER
        )
    elif state == CycleState.CLOSED:
        cycle = cycle_close(cycle=cycle, by=SystemActor.LOADER)
    assert cycle.state == state
    expected = set() if state == CycleState.CLOSED else {"city_a_head"}
    assert _holders(can_set_county_deadline, cast, cycle) == expected
    assert _holders(can_set_county_deadline, cast) == {"city_a_head"}
