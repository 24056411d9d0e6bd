"""The move of the re-inspection rounds and the rectifications from designations to
reinspections keeps an existing database's rows, their links and their permissions, both ways."""

from datetime import UTC, date, datetime

import pytest

from tests.old_schema import assert_permission_follows, old_campaign, old_permission

pytestmark = pytest.mark.django_db(transaction=True)

OLD = ("designations", "0011_public_notice_to_notices")
NEW = ("reinspections", "0001_initial")
MOVED = ("Reinspection", "Rectification", "RectificationRequirement", "RectificationFile")


def _old_rows(apps) -> dict[str, int]:
    """One row of every moved model (a round with its report, a rectification with one
    requirement and one file of the county's), and the rectification's content type with a
    permission on it, as post_migrate had made them in the old database."""
    old = old_campaign(apps)
    user = old.user
    get = lambda name: apps.get_model("designations", name)  # noqa: E731

    report = apps.get_model("applications", "Application").objects.create(
        cycle=old.cycle,
        county=old.county,
        state="written_passed",
        kind="reinspection",
        created_by=user,
    )
    designation = get("Designation").objects.create(
        bureau=old.county,
        number="黑司示〔2028〕1号",
        designated_on=date(2028, 1, 10),
        state="rectifying",
        reinspection_due=date(2031, 1, 10),
        rectification_deadline=date(2031, 12, 31),
    )
    round_ = get("Reinspection").objects.create(
        designation=designation,
        due=date(2031, 1, 10),
        application=report,
        opened_by=user,
        outcome="rectify",
        decided_by=user,
        decided_at=datetime(2031, 9, 1, 2, 0, tzinfo=UTC),
    )
    rectification = get("Rectification").objects.create(
        designation=designation, deadline=date(2031, 12, 31), note="工作滑坡", ordered_by=user
    )
    requirement = get("RectificationRequirement").objects.create(
        rectification=rectification, position=1, text="落实普法责任制清单"
    )
    file = get("RectificationFile").objects.create(
        requirement=requirement,
        role="report",
        uploaded_by=user,
        original_name="整改报告.pdf",
        stored_name="rectification/old-report.pdf",
        kind="pdf",
        size=1024,
        sha256="0" * 64,
    )
    return {
        **old_permission(apps, app_label="designations", model="rectification"),
        "designation": designation.pk,
        "report": report.pk,
        "round": round_.pk,
        "rectification": rectification.pk,
        "requirement": requirement.pk,
        "file": file.pk,
    }


def _rows_found(apps, app_label: str, ids: dict[str, int]) -> None:
    """Every row is there under ``app_label``'s models, with its links."""
    model = lambda name: apps.get_model(app_label, name)  # noqa: E731
    assert {name: model(name).objects.count() for name in MOVED} == dict.fromkeys(MOVED, 1)
    round_ = model("Reinspection").objects.get()
    assert (round_.pk, round_.designation_id, round_.application_id, round_.outcome) == (
        ids["round"],
        ids["designation"],
        ids["report"],
        "rectify",
    )
    rectification = model("Rectification").objects.get()
    assert (rectification.pk, rectification.designation_id, rectification.state) == (
        ids["rectification"],
        ids["designation"],
        "open",
    )
    requirement = model("RectificationRequirement").objects.get()
    assert (requirement.pk, requirement.rectification_id, requirement.text) == (
        ids["requirement"],
        ids["rectification"],
        "落实普法责任制清单",
    )
    file = model("RectificationFile").objects.get()
    assert (file.pk, file.requirement_id, file.stored_name) == (
        ids["file"],
        ids["requirement"],
        "rectification/old-report.pdf",
    )
    # The designation reaches them through its relations, whichever app holds them.
    designation = apps.get_model("designations", "Designation").objects.get(pk=ids["designation"])
    assert list(designation.rectifications.values_list("pk", flat=True)) == [ids["rectification"]]
    assert list(designation.reinspections.values_list("pk", flat=True)) == [ids["round"]]

    other = "designations" if app_label == "reinspections" else "reinspections"
    assert_permission_follows(
        apps, app_label=app_label, other=other, model="rectification", moved=MOVED, ids=ids
    )


def test_moving_the_rounds_and_rectifications_to_reinspections_keeps_every_row(migrator):
    old = migrator.apply_initial_migration(OLD).apps
    ids = _old_rows(old)
    _rows_found(old, "designations", ids)

    new = migrator.apply_tested_migration(NEW).apps
    _rows_found(new, "reinspections", ids)
    tables = {new.get_model("reinspections", name)._meta.db_table for name in MOVED}
    assert tables == {f"reinspections_{name.lower()}" for name in MOVED}

    # Backwards: the old tables, the rows and the content types under designations again.
    back = migrator.apply_tested_migration(OLD).apps
    _rows_found(back, "designations", ids)
    assert back.get_model("designations", "Rectification")._meta.db_table == (
        "designations_rectification"
    )
