"""The move of the public notice (公示) and the holiday calendar from designations to notices
keeps an existing database's rows, their links and their permissions, both ways."""

from datetime import UTC, date, datetime

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

OLD = ("designations", "0010_holiday_calendar_seed")
NEW = ("notices", "0001_initial")
MOVED = ("HolidayCalendarYear", "CalendarDay", "PublicNotice", "Objection", "NoticeEvent")


def _old_rows(apps) -> dict[str, int]:
    """One row of every moved model (a window with its bureau, an objection and its event, a
    year of the calendar and one of its days), and the objection's content type with a
    permission on it, as post_migrate had made them in the old database."""
    User = apps.get_model("organizations", "User")
    Bureau = apps.get_model("organizations", "Bureau")
    Cycle = apps.get_model("applications", "Cycle")
    Application = apps.get_model("applications", "Application")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    get = lambda name: apps.get_model("designations", name)  # noqa: E731

    user = User.objects.create(username="old_office", password="!")
    province = Bureau.objects.create(code="239000", name="旧省司法厅", level="province")
    city = Bureau.objects.create(code="239900", name="旧市司法局", level="city", parent=province)
    county = Bureau.objects.create(code="239901", name="旧县司法局", level="county", parent=city)
    version = apps.get_model("standards", "CriteriaVersion").objects.create(name="旧版", year=2017)
    cycle = Cycle.objects.create(
        year=2031,
        criteria_version=version,
        city_deadline=datetime(2031, 7, 31, 15, 59, 59, tzinfo=UTC),
        quota_ratio="0.10",
    )
    application = Application.objects.create(
        cycle=cycle, county=county, state="approved", created_by=user
    )
    calendar = get("HolidayCalendarYear").objects.create(
        year=2031, source="office", notice_reference="国办发明电〔2030〕7号", entered_by=user
    )
    day = get("CalendarDay").objects.create(
        calendar=calendar, date=date(2031, 10, 1), kind="holiday", name="国庆节"
    )
    notice = get("PublicNotice").objects.create(
        cycle=cycle,
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
    objection_type, _ = ContentType.objects.get_or_create(
        app_label="designations", model="objection"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=objection_type, codename="view_objection", defaults={"name": "Can view"}
    )
    return {
        "application": application.pk,
        "calendar": calendar.pk,
        "day": day.pk,
        "notice": notice.pk,
        "objection": objection.pk,
        "event": event.pk,
        "objection_type": objection_type.pk,
        "permission": permission.pk,
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

    # The content type (the same row) names the app, and the permission still points to it.
    ContentType = apps.get_model("contenttypes", "ContentType")
    objection_type = ContentType.objects.get(app_label=app_label, model="objection")
    assert objection_type.pk == ids["objection_type"]
    other = "designations" if app_label == "notices" else "notices"
    assert not ContentType.objects.filter(app_label=other, model__in=[m.lower() for m in MOVED])
    permission = apps.get_model("auth", "Permission").objects.get(pk=ids["permission"])
    assert permission.content_type_id == objection_type.pk


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
