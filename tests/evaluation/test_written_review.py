"""The province's written review: assignments as object permissions, conflicts, the pass rule."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from applications.enums import Action, ApplicationState
from applications.models import Application
from applications.workflow import TransitionError, application_transition
from core.actors import SystemActor
from evaluation.models import Assignment, ItemScore
from evaluation.permissions import can_score_sheet
from evaluation.selectors import sheets_for, written_result
from evaluation.written_review import (
    ScoreConflict,
    evaluator_assign,
    evaluator_unassign,
    evaluators_assign_section,
    score_sheets_ensure,
    sheet_save,
    sheet_sign,
)
from organizations.models import Division
from tests.states import reach

pytestmark = pytest.mark.django_db


@pytest.fixture
def forwarded(complete_application):
    return reach(complete_application, ApplicationState.FORWARDED)


def _sheet(application, number):
    return next(
        s for s in score_sheets_ensure(application=application) if s.section.number == number
    )


def _rate_all(sheet, by, rating="met", **overrides):
    ratings = {
        item.pk: (overrides.get(item.code, rating), False, "") for item in sheet.section.items.all()
    }
    return sheet_save(sheet=sheet, by=by, version=sheet.version, ratings=ratings)


def _score_everything(application, cast, rating="met", **overrides):
    for sheet in score_sheets_ensure(application=application):
        evaluator = (
            cast.evaluator_grassroots if sheet.section.number == 2 else cast.evaluator_publicity
        )
        if sheet.section.number not in (2, 5):
            # Sections owned by other divisions: give the publicity evaluator that division too.
            from organizations.services import membership_grant

            for division in sheet.section.owners.all():
                membership_grant(
                    user=evaluator, role="evaluator", division=division, by=SystemActor.LOADER
                )
        evaluator_assign(sheet=sheet, evaluator=evaluator, by=cast.office)
        sheet = _rate_all(sheet, evaluator, rating, **overrides)
        sheet_sign(sheet=sheet, by=evaluator)


def _grants() -> list[UserObjectPermission]:
    return list(UserObjectPermission.objects.select_related("user", "permission"))


def test_assignment_grants_the_object_permission_only(forwarded, cast):
    sheet = _sheet(forwarded, 5)
    assert not can_score_sheet(cast.evaluator_publicity, sheet)
    assignment = evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    # The grant is the sheet's permission for that evaluator, and nothing else.
    assert [(g.user, g.content_object, g.permission.codename) for g in _grants()] == [
        (cast.evaluator_publicity, sheet, "score_scoresheet")
    ]
    assert can_score_sheet(cast.evaluator_publicity, sheet)
    assert list(sheets_for(user=cast.evaluator_publicity)) == [sheet]
    assert not can_score_sheet(cast.evaluator_publicity, _sheet(forwarded, 4))
    evaluator_unassign(assignment=assignment, by=cast.office)
    assert not can_score_sheet(cast.evaluator_publicity, sheet)
    assert not Assignment.objects.exists()
    assert _grants() == []


def test_a_global_permission_does_not_open_every_sheet(forwarded, cast):
    assign_perm("evaluation.score_scoresheet", cast.evaluator_publicity)  # global, by mistake
    assert not can_score_sheet(cast.evaluator_publicity, _sheet(forwarded, 5))
    assert list(sheets_for(user=cast.evaluator_publicity)) == []


def test_a_section_goes_only_to_its_owning_division(forwarded, cast):
    with pytest.raises(ValidationError):
        evaluator_assign(
            sheet=_sheet(forwarded, 2), evaluator=cast.evaluator_publicity, by=cast.office
        )
    assert not Assignment.objects.exists()


def test_bulk_assignment_of_a_section_for_a_cycle(forwarded, cast):
    created = evaluators_assign_section(
        cycle=forwarded.cycle,
        section_number=5,
        division=Division.objects.get(code="legal_publicity"),
        by=cast.office,
    )
    assert created == 1
    assignment = Assignment.objects.get()
    assert assignment.evaluator == cast.evaluator_publicity
    assert [(g.user, g.content_object, g.permission.codename) for g in _grants()] == [
        (cast.evaluator_publicity, assignment.sheet, "score_scoresheet")
    ]
    assert can_score_sheet(cast.evaluator_publicity, assignment.sheet)


def test_unassigned_evaluator_cannot_save(forwarded, cast):
    sheet = _sheet(forwarded, 5)
    with pytest.raises(PermissionDenied):
        _rate_all(sheet, cast.evaluator_publicity)
    assert not ItemScore.objects.exists()


def test_two_evaluators_saving_at_once_the_second_gets_a_conflict(forwarded, cast):
    from organizations.services import membership_grant

    colleague = cast.nobody
    membership_grant(
        user=colleague,
        role="evaluator",
        division=Division.objects.get(code="legal_publicity"),
        by=SystemActor.LOADER,
    )
    sheet = _sheet(forwarded, 5)
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    evaluator_assign(sheet=sheet, evaluator=colleague, by=cast.office)
    item = sheet.section.items.first()
    loaded_version = sheet.version
    sheet_save(
        sheet=sheet,
        by=cast.evaluator_publicity,
        version=loaded_version,
        ratings={item.pk: ("met", False, "甲")},
    )
    with pytest.raises(ScoreConflict) as conflict:
        sheet_save(
            sheet=sheet,
            by=colleague,
            version=loaded_version,
            ratings={item.pk: ("not_met", False, "乙")},
        )
    assert conflict.value.current[item.pk].comment == "甲"
    assert ItemScore.objects.get(item=item).rating == "met"


def test_signing_needs_every_item_rated(forwarded, cast):
    sheet = _sheet(forwarded, 5)
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    with pytest.raises(ValidationError):
        sheet_sign(sheet=sheet, by=cast.evaluator_publicity)
    sheet = _rate_all(sheet, cast.evaluator_publicity)
    assert sheet_sign(sheet=sheet, by=cast.evaluator_publicity).signed_at is not None
    with pytest.raises(ValidationError):
        _rate_all(sheet, cast.evaluator_publicity)  # signed: no more changes


def test_all_met_passes_and_the_office_confirms(forwarded, cast):
    _score_everything(forwarded, cast)
    result = written_result(forwarded)
    assert result.complete
    assert result.percent == Decimal("100.00")
    assert result.passed
    application_transition(application=forwarded, action=Action.WRITTEN_PASS, by=cast.office)
    forwarded.refresh_from_db()
    assert forwarded.state == ApplicationState.WRITTEN_PASSED


def test_a_failed_veto_item_fails_a_high_score(forwarded, cast):
    _score_everything(forwarded, cast, **{"7.4": "not_met"})
    result = written_result(forwarded)
    assert result.percent > Decimal(90)
    assert not result.passed
    assert any("7.4" in reason for reason in result.reasons)
    with pytest.raises(TransitionError):
        application_transition(application=forwarded, action=Action.WRITTEN_PASS, by=cast.office)
    application_transition(
        application=forwarded, action=Action.WRITTEN_FAIL, by=cast.office, note="7.4 一票否决"
    )
    forwarded.refresh_from_db()
    assert forwarded.state == ApplicationState.WRITTEN_FAILED


def test_a_section_under_its_minimum_fails(forwarded, cast):
    # Section 3 has five items: three partly met → 70 % < 80 %, total still ≥ 90 %.
    _score_everything(
        forwarded, cast, **{"3.1": "partly_met", "3.4": "partly_met", "3.5": "partly_met"}
    )
    result = written_result(forwarded)
    assert result.percent >= Decimal(90)
    assert [s.percent for s in result.sections if s.section.number == 3] == [Decimal("70.00")]
    assert not result.passed


def test_result_cannot_be_confirmed_before_every_section_is_signed(forwarded, cast):
    with pytest.raises(TransitionError):
        application_transition(
            application=forwarded, action=Action.WRITTEN_FAIL, by=cast.office, note="x"
        )
    forwarded.refresh_from_db()
    assert forwarded.state == ApplicationState.FORWARDED


def _version_marks(application, *, total=None, section=None):
    """The criteria version's pass mark and section minimum, as a department might set them."""
    from standards.models import CriteriaVersion

    changes = {}
    if total is not None:
        changes["pass_total_percent"] = Decimal(total)
    if section is not None:
        changes["section_min_percent"] = Decimal(section)
    CriteriaVersion.objects.filter(pk=application.cycle.criteria_version_id).update(**changes)
    application.cycle.criteria_version.refresh_from_db()


def test_the_pass_mark_is_compared_exactly_not_after_rounding(forwarded, cast):
    # 580 of 590 points is 98.305… %, shown as 98.31 %: below a 98.31 % mark.
    _score_everything(forwarded, cast, **{"2.1.1": "not_met"})
    _version_marks(forwarded, total="98.31")
    result = written_result(Application.objects.get(pk=forwarded.pk))
    assert (result.total, result.maximum, result.percent) == (580, 590, Decimal("98.31"))
    assert not result.passed
    assert any("98.31" in reason for reason in result.reasons)
    _version_marks(forwarded, total="98.30")
    assert written_result(Application.objects.get(pk=forwarded.pk)).passed


def test_a_section_minimum_is_compared_exactly_not_after_rounding(forwarded, cast):
    # Section 2 keeps 130 of 140 points: 92.857… %, shown as 92.86 %: below a 92.86 % minimum.
    _score_everything(forwarded, cast, **{"2.1.1": "not_met"})
    _version_marks(forwarded, total="90", section="92.86")
    result = written_result(Application.objects.get(pk=forwarded.pk))
    section = next(s for s in result.sections if s.section.number == 2)
    assert section.percent == Decimal("92.86")
    assert not result.passed
    assert [r for r in result.reasons if "92.86" in r]
    _version_marks(forwarded, section="92.85")
    assert written_result(Application.objects.get(pk=forwarded.pk)).passed


def _assert_totals_are_fresh(application):
    """The totals ``sheet_save`` kept equal a fresh sum of the item scores."""
    from evaluation.models import ScoreSheet, WrittenTotal
    from evaluation.pass_rule import rating_factors, sheet_points

    factor = rating_factors(application.cycle.criteria_version)
    for sheet in ScoreSheet.objects.filter(application=application):
        points, vetoes = sheet_points(sheet.scores.select_related("item"), factor)
        assert (sheet.points, sheet.vetoes_failed) == (points, vetoes), sheet
    fresh = written_result(Application.objects.get(pk=application.pk))
    kept = WrittenTotal.objects.get(application=application).points
    assert kept == fresh.total


def test_the_kept_totals_match_a_fresh_sum_after_every_save(forwarded, cast):
    five = _sheet(forwarded, 5)
    two = _sheet(forwarded, 2)
    evaluator_assign(sheet=five, evaluator=cast.evaluator_publicity, by=cast.office)
    evaluator_assign(sheet=two, evaluator=cast.evaluator_grassroots, by=cast.office)
    items = list(two.section.items.order_by("order"))
    veto = next(i for i in items if i.is_veto)
    saves = [
        # first ratings of some items
        {items[0].pk: ("met", False, ""), items[1].pk: ("partly_met", False, "")},
        # a rating changed, another added, a veto checked as failed
        {
            items[0].pk: ("not_met", False, "x"),
            items[2].pk: ("met", False, ""),
            veto.pk: ("met", True, ""),
        },
        # nothing changed
        {items[0].pk: ("not_met", False, "x")},
        # a rating cleared, the veto rated not met
        {items[1].pk: ("", False, ""), veto.pk: ("not_met", False, "")},
    ]
    for ratings in saves:
        two = sheet_save(
            sheet=two, by=cast.evaluator_grassroots, version=two.version, ratings=ratings
        )
        _assert_totals_are_fresh(forwarded)
    assert two.vetoes_failed == [f"{veto.code} {veto.title}"]
    five = _rate_all(five, cast.evaluator_publicity, "partly_met")
    _assert_totals_are_fresh(forwarded)
    assert five.points > 0


def test_the_kept_totals_match_a_fresh_sum_when_everything_is_scored(forwarded, cast):
    _score_everything(forwarded, cast, **{"3.1": "partly_met", "7.4": "not_met"})
    _assert_totals_are_fresh(forwarded)


def test_a_refused_save_keeps_the_totals(forwarded, cast):
    from evaluation.models import WrittenTotal

    sheet = _sheet(forwarded, 5)
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    sheet = _rate_all(sheet, cast.evaluator_publicity)
    kept = WrittenTotal.objects.get(application=forwarded).points
    with pytest.raises(ScoreConflict):
        sheet_save(
            sheet=sheet,
            by=cast.evaluator_publicity,
            version=sheet.version - 1,
            ratings={i.pk: ("not_met", False, "") for i in sheet.section.items.all()},
        )
    assert WrittenTotal.objects.get(application=forwarded).points == kept
    _assert_totals_are_fresh(forwarded)
