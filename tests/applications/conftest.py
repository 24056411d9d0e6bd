import pytest
from django.utils import timezone

from applications.models import Application, Cycle
from applications.services import application_create, cycle_create, cycle_open
from organizations.models import Bureau
from portal.demo import application_fill_example
from standards.models import CriteriaVersion


@pytest.fixture
def cycle(db) -> Cycle:
    version = CriteriaVersion.objects.get(name="2017年试行版")
    year = timezone.localdate().year
    created = cycle_create(
        year=year,
        criteria_version=version,
        city_deadline=timezone.now() + timezone.timedelta(days=60),
        parameters={"legal_aid_provincial_average": "120"},
    )
    return cycle_open(cycle=created)


@pytest.fixture
def application(cycle, cast) -> Application:
    """County A's application, a draft."""
    return application_create(
        cycle=cycle, county=Bureau.objects.get(code="230102"), by=cast.county_a_applicant
    )


@pytest.fixture
def complete_application(application, cast) -> Application:
    """County A's application with the form, every answer and every indicator filled in."""
    application_fill_example(application, by=cast.county_a_applicant)
    return application


@pytest.fixture
def application_b(cycle, cast) -> Application:
    """County B's (another city) application, a draft."""
    return application_create(
        cycle=cycle, county=Bureau.objects.get(code="230202"), by=cast.county_b_applicant
    )
