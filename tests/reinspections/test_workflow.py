"""The rectification's workflow table: every move of its state through
``rectification_transition``, one history row each; a move the table does not allow is refused
with nothing changed; an immediate revocation ends a running rectification through it."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.workflow import TransitionError
from audit.enums import AuditAction
from audit.models import AuditEntry
from designations.enums import DesignationState as D
from designations.services import designation_revoke
from reinspections.enums import RectificationAction as RA
from reinspections.enums import RectificationState as R
from reinspections.models import RectificationEvent
from reinspections.rectifications import (
    rectification_conclude,
    rectification_file_add,
    rectification_submit,
)
from reinspections.workflow import TRANSITIONS, rectification_transition
from tests.designations.factories import at_state
from tests.states import nothing_moves

from .test_rectifications import (
    IN_TIME,
    ONE_SECOND_LATER,
    _pdf,
    judged,
    ordered,
    reported,
)

pytestmark = pytest.mark.django_db


def _history(rectification) -> list[tuple]:
    return list(
        RectificationEvent.objects.filter(rectification=rectification)
        .order_by("id")
        .values_list("action", "from_state", "to_state", "actor")
    )


def test_the_table_names_every_state_change():
    assert set(TRANSITIONS) == {RA.SUBMIT, RA.REOPEN, RA.PASS, RA.FAIL, RA.END}
    assert {t.target for t in TRANSITIONS.values()} == {R.SUBMITTED, R.OPEN, R.PASSED, R.FAILED}


def test_each_move_to_the_title_kept_writes_one_history_row(cast):
    rectification = ordered(cast)
    office, head = cast.office.pk, cast.county_a_head.pk
    assert _history(rectification) == [(RA.ORDER, "", R.OPEN, office)]
    reported(cast, rectification)
    assert _history(rectification)[1:] == [(RA.SUBMIT, R.OPEN, R.SUBMITTED, head)]
    # Judged not met in time: reopened to the county (one row), then submitted again.
    judged(cast, rectification, True, False)
    assert _history(rectification)[2:] == [(RA.REOPEN, R.SUBMITTED, R.OPEN, office)]
    with time_machine.travel(IN_TIME, tick=False):
        rectification_submit(rectification=rectification, by=cast.county_a_head)
    judged(cast, rectification, True, True)
    # A judgement that leaves the state as it is writes no row of the state's history.
    assert _history(rectification)[3:] == [(RA.SUBMIT, R.OPEN, R.SUBMITTED, head)]
    with time_machine.travel(IN_TIME, tick=False):
        rectification_conclude(rectification=rectification, by=cast.office, note="整改到位")
    assert _history(rectification)[4:] == [(RA.PASS, R.SUBMITTED, R.PASSED, office)]
    rectification.refresh_from_db()
    assert (rectification.state, rectification.concluded_by) == (R.PASSED, cast.office)
    assert rectification.events.latest("id").note == "整改到位"


def test_failing_after_the_deadline_writes_one_history_row(cast):
    rectification = ordered(cast)
    with time_machine.travel(ONE_SECOND_LATER, tick=False):
        rectification_conclude(
            rectification=rectification, by=cast.office, decision="黑司发〔1〕号"
        )
    assert _history(rectification) == [
        (RA.ORDER, "", R.OPEN, cast.office.pk),
        (RA.FAIL, R.OPEN, R.FAILED, cast.office.pk),
    ]
    rectification.designation.refresh_from_db()
    assert rectification.designation.state == D.REVOKED


@pytest.mark.parametrize("action", [RA.SUBMIT, RA.REOPEN, RA.PASS, RA.END])
def test_a_move_the_state_does_not_allow_is_refused_with_nothing_changed(cast, action):
    # An open rectification with nothing judged: only SUBMIT's source, refused by its guard.
    rectification = ordered(cast)
    by = cast.county_a_head if action == RA.SUBMIT else cast.office
    with (
        nothing_moves(),
        pytest.raises(TransitionError) as refused,
        time_machine.travel(IN_TIME, tick=False),
    ):
        rectification_transition(rectification=rectification, action=action, by=by)
    assert refused.value.messages
    rectification.refresh_from_db()
    assert rectification.state == R.OPEN


def test_a_move_before_the_deadline_that_needs_it_passed_is_refused(cast):
    rectification = ordered(cast)
    with (
        nothing_moves(),
        pytest.raises(TransitionError, match="2026-03-31"),
        time_machine.travel(IN_TIME, tick=False),
    ):
        rectification_transition(
            rectification=rectification, action=RA.FAIL, by=cast.office, decision="1号"
        )


@pytest.mark.parametrize(("action", "who"), [(RA.SUBMIT, "office"), (RA.PASS, "county_a_head")])
def test_a_move_by_someone_the_table_does_not_name_is_refused(cast, action, who):
    rectification = reported(cast, ordered(cast)) if action == RA.PASS else ordered(cast)
    with nothing_moves(), pytest.raises(PermissionDenied):
        rectification_transition(rectification=rectification, action=action, by=getattr(cast, who))


def test_a_refused_submission_keeps_the_service_message_and_writes_nothing(cast):
    rectification = ordered(cast)
    with time_machine.travel(IN_TIME, tick=False):
        rectification_file_add(
            requirement=rectification.requirements.get(position=1),
            upload=_pdf(),
            role="report",
            by=cast.county_a_applicant,
        )
        with nothing_moves(), pytest.raises(ValidationError, match="2"):
            rectification_submit(rectification=rectification, by=cast.county_a_head)


@pytest.mark.parametrize("submitted", [False, True])
def test_an_immediate_revocation_ends_the_running_rectification_with_a_history_row(cast, submitted):
    rectification = ordered(cast)
    if submitted:
        reported(cast, rectification)
    before = R.SUBMITTED if submitted else R.OPEN
    designation_revoke(
        designation=rectification.designation,
        by=cast.office,
        ground="violation",
        decision="黑司发〔2026〕2号",
        revoked_on=date(2026, 3, 2),
        plaque_removed_on=date(2026, 3, 2),
        note="违法违纪",
    )
    rectification.refresh_from_db()
    assert (rectification.state, rectification.concluded_by) == (R.FAILED, cast.office)
    assert _history(rectification)[-1] == (RA.END, before, R.FAILED, cast.office.pk)
    assert rectification.events.latest("id").note == "黑司发〔2026〕2号"
    entry = AuditEntry.objects.get(action=AuditAction.RECTIFICATION_END)
    assert (entry.actor, entry.object_id) == (cast.office, str(rectification.pk))
    assert rectification.designation.events.latest("id").action == "revoke"


def test_a_revocation_without_a_running_rectification_ends_none(cast):
    designation = at_state(cast.office, D.ACTIVE)
    designation_revoke(
        designation=designation,
        by=cast.office,
        ground="violation",
        decision="黑司发〔2026〕3号",
        revoked_on=date(2026, 3, 2),
        plaque_removed_on=date(2026, 3, 2) + timedelta(days=1),
        note="违法违纪",
    )
    assert not RectificationEvent.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.RECTIFICATION_END).exists()


def test_the_rectification_page_shows_its_history(client, cast):
    rectification = reported(cast, ordered(cast))
    client.force_login(cast.office)
    page = client.get(reverse("reinspections:rectification", args=[rectification.pk]))
    history = page.content.decode().split('id="history-title"', 1)[1]
    assert history.index("限期整改") < history.index("提交整改报告")
