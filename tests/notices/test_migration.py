"""The move of the public notice (公示) and the holiday calendar from designations to notices
keeps an existing database's rows, their links and their permissions, both ways."""

from datetime import date

import pytest

from tests.old_schema import assert_permission_follows, old_campaign, old_permission

pytestmark = pytest.mark.django_db(transaction=True)

OLD = ("designations", "0010_holiday_calendar_seed")
NEW = ("notices", "0001_initial")
MOVED = ("HolidayCalendarYear", "CalendarDay", "PublicNotice", "Objection", "NoticeEvent")


def _old_rows(apps) -> dict[str, int]:
    """One row of every moved model (a window with its bureau, an objection and its event, a
    year of the calendar and one of its days), and the objection's content type with a
    permission on it, as post_migrate had made them in the old database."""
    old = old_campaign(apps)
    user = old.user
    get = lambda name: apps.get_model("designations", name)  # noqa: E731

    application = apps.get_model("applications", "Application").objects.create(
        cycle=old.cycle, county=old.county, state="approved", created_by=user
    )
    calendar = get("HolidayCalendarYear").objects.create(
        year=2031, source="office", notice_reference="国办发明电〔2030〕7号", entered_by=user
    )
    day = get("CalendarDay").objects.create(
        calendar=calendar, date=date(2031, 10, 1), kind="holiday", name="国庆节"
    )
    notice = get("PublicNotice").objects.create(
        cycle=old.cycle,
        starts_on=date(2031, 9, 22),
        working_days=5,
        closes_on=date(2031, 9, 26),
        contact_office="省司法厅办公室",
        contact_phone="0451-12345678",
        opened_by=user,
    )
    notice.applications.set([application])
    objection = get("Objection").objects.create(
        notice=notice,
        application=application,
        reference="ABCD-EFGH-JKLM-NPQR",
        name="王某某",
        phone="13800000000",
        facts="该局窗口长期无人值守。",
    )
    event = get("NoticeEvent").objects.create(
        notice=notice, objection=objection, kind="objection", note=objection.reference
    )
    return {
        **old_permission(apps, app_label="designations", model="objection"),
        "application": application.pk,
        "calendar": calendar.pk,
        "day": day.pk,
        "notice": notice.pk,
        "objection": objection.pk,
        "event": event.pk,
    }


def _rows_found(apps, app_label: str, ids: dict[str, int]) -> None:
    """Every row is there under ``app_label``'s models, with its links."""
    model = lambda name: apps.get_model(app_label, name)  # noqa: E731
    # The calendar may also hold the years the seed migration stored: these tests look at 2031.
    assert {name: model(name).objects.count() for name in MOVED[2:]} == dict.fromkeys(MOVED[2:], 1)
    calendar = model("HolidayCalendarYear").objects.get(year=2031)
    assert (calendar.pk, calendar.source) == (ids["calendar"], "office")
    assert list(calendar.days.values_list("pk", "name")) == [(ids["day"], "国庆节")]
    notice = model("PublicNotice").objects.get()
    assert (notice.pk, notice.closes_on) == (ids["notice"], date(2031, 9, 26))
    assert list(notice.applications.values_list("pk", flat=True)) == [ids["application"]]
    objection = model("Objection").objects.get()
    assert (objection.pk, objection.notice_id, objection.application_id) == (
        ids["objection"],
        ids["notice"],
        ids["application"],
    )
    assert (objection.reference, objection.outcome) == ("ABCD-EFGH-JKLM-NPQR", "waiting")
    event = model("NoticeEvent").objects.get()
    assert (event.pk, event.notice_id, event.objection_id) == (
        ids["event"],
        ids["notice"],
        ids["objection"],
    )

    other = "designations" if app_label == "notices" else "notices"
    assert_permission_follows(
        apps, app_label=app_label, other=other, model="objection", moved=MOVED, ids=ids
    )


def test_moving_the_public_notice_to_notices_keeps_every_row(migrator):
    old = migrator.apply_initial_migration(OLD).apps
    ids = _old_rows(old)
    _rows_found(old, "designations", ids)

    new = migrator.apply_tested_migration(NEW).apps
    _rows_found(new, "notices", ids)
    tables = {new.get_model("notices", name)._meta.db_table for name in MOVED}
    assert tables == {f"notices_{name.lower()}" for name in MOVED}
    notice_model = new.get_model("notices", "PublicNotice")
    through = notice_model._meta.get_field("applications").remote_field.through
    assert through._meta.db_table == "notices_publicnotice_applications"

    # Backwards: the old tables, the rows and the content types under designations again.
    back = migrator.apply_tested_migration(OLD).apps
    _rows_found(back, "designations", ids)
    assert back.get_model("designations", "PublicNotice")._meta.db_table == (
        "designations_publicnotice"
    )
