"""The transition table and the one service that performs it."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from applications.enums import Action, ApplicationState
from applications.models import Application, ApplicationEvent, Cycle, Evidence
from applications.services import application_create, county_deadline_set, cycle_close
from applications.workflow import TRANSITIONS, TransitionError
from core.actors import SystemActor
from core.dates import day_end
from designations.models import Designation
from organizations.models import Bureau
from tests.states import nothing_moves

from .helpers import actor_for, fire, prepare, reach

pytestmark = pytest.mark.django_db

S = ApplicationState


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_every_action_from_every_state(complete_application, state, action):
    application = reach(complete_application, state)
    transition = TRANSITIONS[action]
    prepare(application, action)
    user = actor_for(application, action)
    if application.kind not in transition.kinds:
        # A re-inspection round's own step (``report``): never one of an application's.
        with nothing_moves(), pytest.raises(TransitionError) as error:
            fire(application, action)
        assert "办理环节" in error.value.messages[0]
    elif state in transition.sources:
        before = ApplicationEvent.objects.count()
        result = fire(application, action)
        assert result.state == transition.target
        application.refresh_from_db()
        assert application.state == transition.target
        event = ApplicationEvent.objects.latest("id")
        assert (event.action, event.from_state, event.to_state, event.actor) == (
            action,
            state,
            transition.target,
            user,
        )
        assert ApplicationEvent.objects.count() == before + 1
    else:
        with nothing_moves(), pytest.raises(TransitionError) as error:
            fire(application, action)
        assert "不能" in error.value.messages[0]


def test_create_writes_the_create_event(application, cast):
    event = application.events.get()
    assert (event.action, event.from_state, event.to_state) == ("create", "", "draft")
    assert event.actor == cast.county_a_applicant


def test_one_application_per_county_per_cycle(application, cycle, cast):
    with nothing_moves(), pytest.raises(TransitionError) as error:
        application_create(cycle=cycle, county=application.county, by=cast.county_a_head)
    assert "已有" in error.value.messages[0]
    assert Application.objects.filter(cycle=cycle, county=application.county).count() == 1


def test_a_county_holding_the_title_cannot_apply(cycle, cast):
    county = Bureau.objects.get(code="230202")
    Designation.objects.create(
        bureau=county, number="黑司示〔2025〕1号", designated_on="2025-12-01"
    )
    with nothing_moves(), pytest.raises(TransitionError) as error:
        application_create(cycle=cycle, county=county, by=cast.county_b_applicant)
    assert "复检" in error.value.messages[0]
    assert not Application.objects.filter(county=county).exists()


def test_no_application_when_the_cycle_is_closed(cycle, cast):
    cycle_close(cycle=cycle, by=SystemActor.LOADER)
    with nothing_moves(), pytest.raises(TransitionError):
        application_create(
            cycle=cycle, county=Bureau.objects.get(code="230102"), by=cast.county_a_head
        )
    assert not Application.objects.exists()


def test_applicant_cannot_submit_only_the_head_can(complete_application, cast):
    with nothing_moves(), pytest.raises(PermissionDenied):
        fire(complete_application, Action.SUBMIT, by=cast.county_a_applicant)
    complete_application.refresh_from_db()
    assert complete_application.state == S.DRAFT


def test_another_countys_head_cannot_submit(complete_application, cast):
    with nothing_moves(), pytest.raises(PermissionDenied):
        fire(complete_application, Action.SUBMIT, by=cast.county_b_head)
    assert complete_application.events.count() == 1


def test_another_citys_reviewer_cannot_return(complete_application, cast):
    fire(complete_application, Action.SUBMIT, by=cast.county_a_head)
    with nothing_moves(), pytest.raises(PermissionDenied):
        fire(complete_application, Action.RETURN, by=cast.city_b_reviewer)
    complete_application.refresh_from_db()
    assert complete_application.state == S.SUBMITTED


def test_submission_needs_the_pledge(complete_application, cast):
    with nothing_moves(), pytest.raises(TransitionError) as error:
        fire(complete_application, Action.SUBMIT, by=cast.county_a_head, pledge=False)
    assert any("承诺" in message for message in error.value.messages)
    complete_application.refresh_from_db()
    assert complete_application.state == S.DRAFT
    assert complete_application.pledged_at is None


def test_submission_records_the_pledge_and_freezes_evidence(complete_application, cast):
    Evidence.objects.create(
        application=complete_application, original_name="a.pdf", stored_name="x" * 40,
        kind="pdf", size=10, sha256="0" * 64, round=1, uploaded_by=cast.county_a_applicant,
    )  # fmt: skip
    fire(complete_application, Action.SUBMIT, by=cast.county_a_head)
    complete_application.refresh_from_db()
    assert complete_application.pledged_by == cast.county_a_head
    assert complete_application.submitted_at is not None
    assert Evidence.objects.get(application=complete_application).frozen


def test_incomplete_application_is_refused_with_what_is_missing(application, cast):
    with nothing_moves(), pytest.raises(TransitionError) as error:
        fire(application, Action.SUBMIT, by=cast.county_a_head)
    text = " ".join(error.value.messages)
    assert "未填写" in text or "尚未" in text
    assert "1.1" in text
    application.refresh_from_db()
    assert application.state == S.DRAFT


def test_warnings_must_be_acknowledged(complete_application, cast):
    # No evidence uploaded: a warning the head must acknowledge.
    with nothing_moves(), pytest.raises(TransitionError):
        fire(complete_application, Action.SUBMIT, by=cast.county_a_head, acknowledged=False)
    fire(complete_application, Action.SUBMIT, by=cast.county_a_head, acknowledged=True)
    complete_application.refresh_from_db()
    assert complete_application.state == S.SUBMITTED


def test_submission_after_the_citys_county_deadline_is_refused(complete_application, cast):
    cycle: Cycle = complete_application.cycle
    county_deadline_set(
        cycle=cycle,
        city=Bureau.objects.get(code="230100"),
        deadline=timezone.localdate() - timedelta(days=1),
        by=cast.city_a_head,
    )
    with nothing_moves(), pytest.raises(TransitionError) as error:
        fire(complete_application, Action.SUBMIT, by=cast.county_a_head)
    assert any("截止" in message for message in error.value.messages)


@pytest.mark.parametrize("whose", ["the cycle's", "the city's"])
@pytest.mark.parametrize(
    ("before_midnight", "allowed"),
    [(timedelta(milliseconds=1), True), (timedelta(0), False)],
    ids=["23:59:59.999", "00:00:00"],
)
def test_the_deadline_day_ends_at_midnight_beijing_time(
    complete_application, cast, whose, before_midnight, allowed
):
    """The July deadline and a city's earlier one alike: the county submits until the end of
    the day, Beijing time, and not a moment later."""
    cycle: Cycle = complete_application.cycle
    deadline = timezone.localdate() + timedelta(days=5)
    if whose == "the city's":
        county_deadline_set(
            cycle=cycle,
            city=Bureau.objects.get(code="230100"),
            deadline=deadline,
            by=cast.city_a_head,
        )
    else:
        cycle.city_deadline = deadline
        cycle.save(update_fields=["city_deadline"])
    with time_machine.travel(day_end(deadline) - before_midnight, tick=False):
        if allowed:
            fire(complete_application, Action.SUBMIT, by=cast.county_a_head)
        else:
            with nothing_moves(), pytest.raises(TransitionError) as error:
                fire(complete_application, Action.SUBMIT, by=cast.county_a_head)
            assert error.value.messages == [f"提交截止时间（{deadline.isoformat()}）已过。"]
    complete_application.refresh_from_db()
    assert complete_application.state == (S.SUBMITTED if allowed else S.DRAFT)


def test_return_needs_reasons_and_opens_a_new_round(complete_application, cast):
    fire(complete_application, Action.SUBMIT, by=cast.county_a_head)
    with nothing_moves(), pytest.raises(TransitionError):
        fire(complete_application, Action.RETURN, by=cast.city_a_reviewer, note="  ")
    fire(complete_application, Action.RETURN, by=cast.city_a_reviewer, note="请补充3.2佐证")
    complete_application.refresh_from_db()
    assert complete_application.state == S.RETURNED
    assert complete_application.round == 2
    fire(complete_application, Action.RESUBMIT, by=cast.county_a_head)
    complete_application.refresh_from_db()
    assert complete_application.state == S.SUBMITTED
    actions = list(complete_application.events.values_list("action", flat=True))
    assert actions == ["create", "submit", "return", "resubmit"]


def test_submission_mails_the_city_reviewers_after_commit(
    complete_application, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fire(complete_application, Action.SUBMIT, by=cast.county_a_head)
        assert mail.outbox == []  # nothing before the commit
    assert len(mail.outbox) == 1
    inbox = cast.city_a_reviewer.notifications.get()
    assert inbox.read_at is None
    assert inbox.url == f"/applications/{complete_application.pk}/"
    message = mail.outbox[0]
    assert message.to == [cast.city_a_reviewer.email]
    assert "哈尔滨市道里区司法局" in message.subject
    assert "提交" in message.subject


def test_refused_transition_sends_nothing(complete_application, cast):
    with nothing_moves(), pytest.raises(TransitionError):
        fire(complete_application, Action.SUBMIT, by=cast.county_a_head, pledge=False)
    assert mail.outbox == []
    assert not cast.city_a_reviewer.notifications.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_make_one_change(cast, django_db_blocker):
    from applications.services import cycle_create, cycle_open
    from portal.demo import application_fill_example
    from standards.models import CriteriaVersion

    cycle = cycle_open(
        cycle=cycle_create(
            year=2099,
            criteria_version=CriteriaVersion.objects.get(name="2017年试行版"),
            city_deadline=timezone.localdate() + timedelta(days=30),
            parameters={"legal_aid_provincial_average": "120"},
            by=SystemActor.LOADER,
        ),
        by=SystemActor.LOADER,
    )
    app = application_create(
        cycle=cycle, county=Bureau.objects.get(code="230102"), by=cast.county_a_head
    )
    application_fill_example(app, by=cast.county_a_head)

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit():
        try:
            barrier.wait()
            fire(Application.objects.get(pk=app.pk), Action.SUBMIT, by=cast.county_a_head)
            outcomes.append("ok")
        except TransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert ApplicationEvent.objects.filter(application=app, action=Action.SUBMIT).count() == 1
    assert Application.objects.get(pk=app.pk).state == S.SUBMITTED
