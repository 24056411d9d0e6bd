"""The system as an actor: recorded without a user and by its name, holding no role."""

import pytest

from applications.services import cycle_create
from audit.models import AuditEntry
from core.actors import SystemActor, is_system, user_or_none
from designations.enums import DesignationState
from designations.jobs import reinspection_jobs
from organizations.selectors import memberships_of
from standards.models import CriteriaVersion
from tests.designations.factories import DUE_ON, at_state

pytestmark = pytest.mark.django_db


def test_the_kinds_are_a_closed_set_with_their_names_in_the_trail():
    assert [actor.trail_name for actor in SystemActor] == [
        "system:job",
        "system:loader",
        "system:demo",
    ]
    assert is_system(SystemActor.JOB)
    assert is_system(SystemActor.DEMO, SystemActor.LOADER, SystemActor.DEMO)
    assert not is_system(SystemActor.JOB, SystemActor.LOADER)
    assert not is_system(None)
    assert user_or_none(SystemActor.JOB) is None


def test_a_system_actor_holds_no_role():
    for actor in SystemActor:
        assert memberships_of(actor) == []


def test_the_daily_job_is_recorded_without_a_user_and_by_its_name(cast):
    designation = at_state(cast.office, DesignationState.ACTIVE)
    before = AuditEntry.objects.count()
    assert reinspection_jobs(today=DUE_ON) == {"due": 1}
    designation.refresh_from_db()
    assert designation.state == DesignationState.REINSPECTION_DUE
    event = designation.events.latest("pk")
    assert event.actor is None
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1
    assert (entry.actor, entry.actor_name, entry.roles, entry.bureau) == (
        None,
        "system:job",
        "",
        "",
    )
    assert entry.object_id == str(designation.pk)


def test_a_loader_is_recorded_by_its_name():
    cycle = cycle_create(
        year=2040,
        criteria_version=CriteriaVersion.objects.get(name="2017年试行版"),
        by=SystemActor.LOADER,
    )
    entry = AuditEntry.objects.get(object_type="applications.cycle", object_id=str(cycle.pk))
    assert (entry.actor, entry.actor_name) == (None, "system:loader")
