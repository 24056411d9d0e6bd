"""``manage.py perf_dataset``: the history it bulk-inserts is what the services would write."""

import io

import pytest
from django.core.management import call_command

from applications.enums import ApplicationState
from applications.models import Application
from core.actors import SystemActor
from evaluation.models import ScoreSheet, WrittenTotal
from evaluation.pass_rule import rating_factors, sheet_points
from evaluation.selectors import sheets_for, written_result
from organizations.models import Notification
from portal.management.commands.perf_dataset import PATH

pytestmark = pytest.mark.django_db


def _run(**options):
    out = io.StringIO()
    call_command(
        "perf_dataset", cycles=2, notifications=30, no_national=True, stdout=out, **options
    )
    return out.getvalue()


def test_the_history_is_consistent_with_the_services(cast, cycle):
    # The evaluators of the other sections' divisions, as the demo has them.
    from organizations.models import Division
    from organizations.services import membership_grant

    for division in Division.objects.exclude(code__in=["legal_publicity", "grassroots"]):
        membership_grant(
            user=cast.evaluator_publicity,
            role="evaluator",
            division=division,
            by=SystemActor.LOADER,
        )
    assert "242 applications" in _run()
    history = Application.objects.exclude(cycle=cycle)
    assert history.count() == 2 * 121
    assert set(history.values_list("state", flat=True)) == {ApplicationState.WRITTEN_FAILED}
    assert set(history.values_list("cycle__state", flat=True)) == {"closed"}
    for application in history.order_by("?")[:12]:
        events = list(application.events.order_by("id"))
        assert [(e.action, e.from_state, e.to_state) for e in events] == list(PATH)
        assert events[-1].to_state == application.state
        assert application.assessments.count() == 59
        sheets = list(ScoreSheet.objects.filter(application=application))
        assert len(sheets) == 7
        assert all(s.signed_at is not None for s in sheets)
        factor = rating_factors(application.cycle.criteria_version)
        for sheet in sheets:
            points, vetoes = sheet_points(sheet.scores.select_related("item"), factor)
            assert (sheet.points, sheet.vetoes_failed) == (points, vetoes)
            assert sheet.assignments.count() == 1
        result = written_result(application)
        assert WrittenTotal.objects.get(application=application).points == result.total
        assert result.complete
        assert not result.passed  # written_failed agrees with the pass rule
    # The evaluators' object permissions, as evaluator_assign grants them.
    mine = sheets_for(user=cast.evaluator_grassroots).exclude(application__cycle=cycle)
    assert mine.count() == 2 * 121
    assert Notification.objects.filter(key__startswith="perf:").count() == 30


def test_a_second_run_adds_nothing(cast, cycle):
    _run()
    before = (Application.objects.count(), Notification.objects.count())
    assert "0 applications" in _run()
    assert (Application.objects.count(), Notification.objects.count()) == before
