"""The designations' predicates for every member of the cast (and nobody logged in)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.actors import SystemActor
from designations.permissions import can_manage_designations, can_view_designations

pytestmark = pytest.mark.django_db

CAST = [
    "county_a_applicant",
    "county_a_head",
    "county_b_head",
    "city_a_reviewer",
    "city_a_head",
    "office",
    "evaluator_publicity",
    "evaluator_grassroots",
    "sysadmin",
    "nobody",
]


@pytest.mark.parametrize("who", CAST)
def test_the_register_is_the_offices(cast, who):
    user = getattr(cast, who)
    assert can_view_designations(user) is (who == "office")
    assert can_manage_designations(user) is (who == "office")


def test_nobody_logged_in_and_the_daily_job_manage_nothing():
    assert can_view_designations(AnonymousUser()) is False
    assert can_manage_designations(AnonymousUser()) is False
    assert can_manage_designations(None) is False
    for system in SystemActor:
        assert can_manage_designations(system) is False
