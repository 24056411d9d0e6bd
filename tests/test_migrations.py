"""The move of the province's models from review to evaluation keeps an existing database's
rows, its object permissions and the city's deadline extensions."""

from datetime import UTC, date, datetime

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

OLD = ("review", "0002_inspection_inspectionphoto_provincialmeeting_and_more")
GUARDIAN = ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more")
NEW = [
    ("review", "0003_province_to_evaluation_and_deadline_extension"),
    ("evaluation", "0002_tables_renamed"),
]


def _old_rows(apps) -> dict[str, int]:
    """One row of every moved model, an object permission and a deadline exception."""
    User = apps.get_model("organizations", "User")
    Bureau = apps.get_model("organizations", "Bureau")
    Version = apps.get_model("standards", "CriteriaVersion")
    Section = apps.get_model("standards", "Section")
    Item = apps.get_model("standards", "Item")
    Cycle = apps.get_model("applications", "Cycle")
    Application = apps.get_model("applications", "Application")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    get = lambda name: apps.get_model("review", name)  # noqa: E731

    user = User.objects.create(username="old_evaluator", password="!")
    province = Bureau.objects.create(
        code="239000", name="旧省司法厅", region_name="旧省", level="province"
    )
    city = Bureau.objects.create(
        code="239900", name="旧市司法局", region_name="旧市", level="city", parent=province
    )
    county = Bureau.objects.create(
        code="239901", name="旧县司法局", region_name="旧县", level="county", parent=city
    )
    version = Version.objects.create(name="旧版", year=2017)
    section = Section.objects.create(version=version, number=1, name="综合", weight=1)
    item = Item.objects.create(section=section, code="1.1", title="项目", text="正文", points=10)
    cycle = Cycle.objects.create(
        year=2026,
        criteria_version=version,
        city_deadline=datetime(2026, 7, 31, 15, 59, 59, tzinfo=UTC),
        quota_ratio="0.10",
    )
    application = Application.objects.create(
        cycle=cycle, county=county, state="forwarded", created_by=user
    )
    sheet = get("ScoreSheet").objects.create(application=application, section=section, version=3)
    get("ItemScore").objects.create(sheet=sheet, item=item, rating="met", updated_by=user)
    get("Assignment").objects.create(sheet=sheet, evaluator=user, assigned_by=user)
    inspection = get("Inspection").objects.create(
        application=application, visit_date=date(2026, 9, 1), scheduled_by=user
    )
    get("InspectionMember").objects.create(
        inspection=inspection, evaluator=user, visit_date=date(2026, 9, 1)
    )
    get("InspectionFinding").objects.create(inspection=inspection, section=section)
    stored = {"kind": "jpeg", "size": 3, "sha256": "0" * 64}
    get("InspectionPhoto").objects.create(
        inspection=inspection, uploaded_by=user, original_name="现场.jpg", stored_name="a", **stored
    )
    meeting = get("ProvincialMeeting").objects.create(
        cycle=cycle,
        held_on=date(2026, 10, 1),
        number="厅党委〔2026〕1号",
        recorded_by=user,
        original_name="纪要.pdf",
        stored_name="b",
        **{**stored, "kind": "pdf"},
    )
    get("ProvincialDecision").objects.create(
        meeting=meeting, application=application, decision="approved", decided_by=user
    )
    exception = get("DeadlineException").objects.create(
        cycle=cycle,
        city=city,
        until=datetime(2026, 8, 3, tzinfo=UTC),
        reason="暴雨",
        granted_by=user,
    )
    batch = get("ForwardingBatch").objects.create(
        cycle=cycle, city=city, forwarded_by=user, exception=exception
    )
    # What post_migrate had created in the old database: the content type, the permission
    # and the evaluator's object permission on the sheet.
    sheet_type = ContentType.objects.create(app_label="review", model="scoresheet")
    permission = Permission.objects.create(
        content_type=sheet_type, codename="score_scoresheet", name="Can score this section"
    )
    exception_type = ContentType.objects.create(app_label="review", model="deadlineexception")
    Permission.objects.create(
        content_type=exception_type,
        codename="add_deadlineexception",
        name="Can add deadline exception",
    )
    UserObjectPermission.objects.create(
        user=user, permission=permission, content_type=sheet_type, object_pk=str(sheet.pk)
    )
    return {"sheet": sheet.pk, "user": user.pk, "batch": batch.pk, "exception": exception.pk}


def test_moving_the_province_to_evaluation_keeps_every_row(migrator):
    migrator.apply_initial_migration(OLD)
    old = migrator.apply_tested_migration([OLD, GUARDIAN])
    ids = _old_rows(old.apps)

    new = migrator.apply_tested_migration(NEW).apps
    model = lambda name: new.get_model("evaluation", name)  # noqa: E731
    counts = {
        name: model(name).objects.count()
        for name in (
            "ScoreSheet",
            "ItemScore",
            "Assignment",
            "Inspection",
            "InspectionMember",
            "InspectionFinding",
            "InspectionPhoto",
            "ProvincialMeeting",
            "ProvincialDecision",
        )
    }
    assert counts == dict.fromkeys(counts, 1)
    sheet = model("ScoreSheet").objects.get()
    assert (sheet.pk, sheet.version) == (ids["sheet"], 3)
    assert model("ItemScore").objects.get().rating == "met"
    assert model("ScoreSheet")._meta.db_table == "evaluation_scoresheet"

    # The object permission now names the evaluation app, on the same row and object.
    ContentType = new.get_model("contenttypes", "ContentType")
    UserObjectPermission = new.get_model("guardian", "UserObjectPermission")
    grant = UserObjectPermission.objects.select_related("permission__content_type").get()
    assert (grant.user_id, grant.object_pk) == (ids["user"], str(ids["sheet"]))
    assert grant.permission.codename == "score_scoresheet"
    assert grant.permission.content_type.app_label == "evaluation"
    assert not ContentType.objects.filter(app_label="review", model="scoresheet").exists()

    # The city's exception is an extension now, and the batch still points to it.
    extension = new.get_model("review", "DeadlineExtension").objects.get()
    assert (extension.pk, extension.reason) == (ids["exception"], "暴雨")
    batch = new.get_model("review", "ForwardingBatch").objects.get()
    assert batch.extension_id == ids["exception"]
    codenames = set(new.get_model("auth", "Permission").objects.values_list("codename", flat=True))
    assert "add_deadlineextension" in codenames
    assert "add_deadlineexception" not in codenames


def test_the_totals_of_existing_sheets_are_filled_from_their_item_scores(migrator):
    old = migrator.apply_initial_migration(("evaluation", "0004_score_totals_kept")).apps
    User = old.get_model("organizations", "User")
    Bureau = old.get_model("organizations", "Bureau")
    Section = old.get_model("standards", "Section")
    Item = old.get_model("standards", "Item")
    Application = old.get_model("applications", "Application")
    user = User.objects.create(username="old_evaluator", password="!")
    province = Bureau.objects.create(code="239000", name="旧省司法厅", level="province")
    city = Bureau.objects.create(code="239900", name="旧市司法局", level="city", parent=province)
    county = Bureau.objects.create(code="239901", name="旧县司法局", level="county", parent=city)
    version = old.get_model("standards", "CriteriaVersion").objects.create(name="旧版", year=2017)
    one = Section.objects.create(version=version, number=1, name="综合", weight=1)
    two = Section.objects.create(version=version, number=2, name="基层", weight=2)
    item = Item.objects.create(section=one, code="1.1", title="项目", text="正文", points=10)
    veto = Item.objects.create(
        section=two, code="2.1", title="否决", text="正文", points=6, is_veto=True, veto_note="x"
    )
    cycle = old.get_model("applications", "Cycle").objects.create(
        year=2026,
        criteria_version=version,
        city_deadline=datetime(2026, 7, 31, tzinfo=UTC),
        quota_ratio="0.10",
    )
    application = Application.objects.create(
        cycle=cycle, county=county, state="forwarded", created_by=user
    )
    ScoreSheet = old.get_model("evaluation", "ScoreSheet")
    ItemScore = old.get_model("evaluation", "ItemScore")
    first = ScoreSheet.objects.create(application=application, section=one)
    second = ScoreSheet.objects.create(application=application, section=two)
    ItemScore.objects.create(sheet=first, item=item, rating="met", updated_by=user)
    ItemScore.objects.create(sheet=second, item=veto, rating="partly_met", updated_by=user)

    new = migrator.apply_tested_migration(("evaluation", "0005_score_totals_filled")).apps
    sheets = new.get_model("evaluation", "ScoreSheet").objects.order_by("section__number")
    assert [(s.points, s.vetoes_failed) for s in sheets] == [(10, []), (3, [])]
    total = new.get_model("evaluation", "WrittenTotal").objects.get(application_id=application.pk)
    assert total.points == 10 + 3 * 2
