"""Every act that matters writes its entry through the one function, in the act's transaction."""

from datetime import date

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from applications.enums import ApplicationState
from audit.enums import AuditAction
from audit.models import AuditEntry
from designations.services import designation_record_historical, designation_revoke
from evaluation.written_review import evaluator_assign, score_sheets_ensure, sheet_save
from organizations.models import Bureau
from tests.states import reach

pytestmark = pytest.mark.django_db


def _actions(**filters) -> list[str]:
    return list(
        AuditEntry.objects.filter(**filters).order_by("id").values_list("action", flat=True)
    )


def test_each_application_transition_is_recorded_with_its_states(complete_application):
    reach(complete_application, ApplicationState.FORWARDED)
    entries = AuditEntry.objects.filter(
        object_type="applications.application", object_id=str(complete_application.pk)
    ).order_by("id")
    assert [e.action for e in entries] == [
        AuditAction.APPLICATION_SUBMIT,
        AuditAction.APPLICATION_APPROVE,
        AuditAction.APPLICATION_SIGN_OFF,
        AuditAction.APPLICATION_FORWARD,
    ]
    forward = entries.last()
    assert (forward.details["from"], forward.details["to"]) == ("signed_off", "forwarded")
    assert forward.roles == "city_head"


def test_a_refused_transition_leaves_no_entry(client, cast, complete_application):
    client.force_login(cast.county_b_head)
    before = AuditEntry.objects.count()
    client.post(reverse("applications:withdraw", args=[complete_application.pk]))
    assert AuditEntry.objects.count() == before


def test_designation_moves_are_recorded_with_the_address(client, cast):
    designation = designation_record_historical(
        bureau=Bureau.objects.get(code="230302"),
        number="黑司示〔2023〕1号",
        designated_on=date(2023, 1, 10),
        document_number="黑司通〔2023〕18号",
        published_on=date(2023, 1, 10),
        by=cast.office,
        ip="203.0.113.5",
    )
    designation_revoke(
        designation=designation,
        by=cast.office,
        ground="violation",
        decision="黑司决〔2026〕1号",
        revoked_on=date(2026, 11, 30),
        plaque_removed_on=date(2026, 11, 30),
        note="违法违纪",
        ip="203.0.113.6",
    )
    grant, revoke = AuditEntry.objects.filter(object_type="designations.designation").order_by("id")
    assert (grant.action, grant.ip) == (AuditAction.DESIGNATION_GRANT, "203.0.113.5")
    assert (revoke.action, revoke.ip, revoke.details["to"]) == (
        AuditAction.DESIGNATION_REVOKE,
        "203.0.113.6",
        "revoked",
    )
    assert designation.events.last().ip == "203.0.113.6"


def test_a_score_change_records_the_old_and_the_new_value(cast, complete_application):
    forwarded = reach(complete_application, ApplicationState.FORWARDED)
    sheet = next(s for s in score_sheets_ensure(application=forwarded) if s.section.number == 5)
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    item = sheet.section.items.order_by("order").first()
    sheet = sheet_save(
        sheet=sheet, by=cast.evaluator_publicity, version=0, ratings={item.pk: ("met", False, "")}
    )
    sheet_save(
        sheet=sheet,
        by=cast.evaluator_publicity,
        version=sheet.version,
        ratings={item.pk: ("partly_met", False, "台账缺页")},
    )
    assert _actions(object_type="evaluation.scoresheet") == [
        AuditAction.ASSIGNMENT_GRANT,
        AuditAction.SCORE_SAVE,
        AuditAction.SCORE_SAVE,
    ]
    last = AuditEntry.objects.filter(action=AuditAction.SCORE_SAVE).latest("id")
    assert last.details[item.code] == {
        "old": ["met", False, ""],
        "new": ["partly_met", False, "台账缺页"],
    }


def test_cycle_edits_are_recorded(client, cast, cycle):
    client.force_login(cast.office)
    client.post(reverse("applications:cycle_transition", args=[cycle.pk, "closed"]))
    entry = AuditEntry.objects.get(action=AuditAction.CYCLE_CLOSE)
    assert (entry.actor, entry.object_id) == (cast.office, str(cycle.pk))


def test_an_administration_page_change_is_recorded(client, cast):
    bureau = Bureau.objects.get(code="230102")
    LogEntry.objects.log_actions(
        user_id=cast.sysadmin.pk,
        queryset=[bureau],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Address"]}}],
        single_object=True,
    )
    entry = AuditEntry.objects.get(action=AuditAction.ADMIN_CHANGE)
    assert entry.actor == cast.sysadmin
    assert entry.details["model"] == "organizations.bureau"
    assert entry.details["change"]  # the admin's own words for what changed
    assert entry.details["object_id"] == str(bureau.pk)
