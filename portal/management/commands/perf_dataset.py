"""Years of history beside the demo data, for the benchmarks (docs/benchmarks.md).

Run after ``load_demo``. Builds through bulk inserts (batches of ``--batch`` rows) what the
services would have written over ``--cycles`` closed cycles: for every active county of the
configured province an application that went create → submit → approve → sign off → forward →
written fail, with its events (the states and the event chain agree), its self-assessments, its
seven score sheets with item scores, the totals ``sheet_save`` keeps, the evaluators'
assignments and their object permissions; ``--notifications`` inbox messages spread over the
demo users; and, unless ``--no-national``, every province's divisions from the shipped
GB/T 2260 list (only the configured province takes part in the campaign). Idempotent: cycles
that exist are skipped.
"""

import datetime
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from guardian.models import UserObjectPermission

from applications.enums import Action, Answer, ApplicationState, CycleState
from applications.models import Application, ApplicationEvent, Cycle, SelfAssessment
from core.provinces import DIVISIONS_CSV, province_names
from evaluation.enums import Rating
from evaluation.models import Assignment, ItemScore, ScoreSheet, WrittenTotal
from evaluation.pass_rule import rating_factors, sheet_points
from evaluation.permissions import SCORE_PERMISSION as PERMISSION
from organizations.enums import BureauLevel, Role
from organizations.models import Membership, Notification, User
from organizations.selectors import province_bureaus
from organizations.services import province_load
from standards.models import Section

S = ApplicationState
# The older cycles' path, as the workflow writes it (action, from, to).
PATH = (
    (Action.CREATE, "", S.DRAFT),
    (Action.SUBMIT, S.DRAFT, S.SUBMITTED),
    (Action.APPROVE, S.SUBMITTED, S.CITY_APPROVED),
    (Action.SIGN_OFF, S.CITY_APPROVED, S.SIGNED_OFF),
    (Action.FORWARD, S.SIGNED_OFF, S.FORWARDED),
    (Action.WRITTEN_FAIL, S.FORWARDED, S.WRITTEN_FAILED),
)
RATINGS = (Rating.MET, Rating.MET, Rating.MET, Rating.PARTLY_MET, Rating.NOT_MET)


class Command(BaseCommand):
    help = "Add years of history (bulk inserts) beside the demo data, for the benchmarks."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--cycles", type=int, default=19, help="closed cycles before the demo's"
        )
        parser.add_argument("--notifications", type=int, default=50_000)
        parser.add_argument("--batch", type=int, default=5_000)
        parser.add_argument("--no-national", action="store_true", help="skip other provinces")

    def handle(self, *args, cycles: int, notifications: int, batch: int, **options) -> None:
        started = time.monotonic()
        office = User.objects.filter(username="office").first()
        current = Cycle.objects.order_by("-year").first()
        if office is None or current is None:
            raise CommandError("Run load_demo first: the history goes beside the demo data.")
        self.batch = batch
        if not options["no_national"]:
            self._national()
        made = self._history(current, office, cycles)
        sent = self._notifications(notifications)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after the bulk inserts
        self.stdout.write(
            f"perf_dataset: {made} applications in {cycles} cycles, {sent} notifications, "
            f"{time.monotonic() - started:.0f} s"
        )

    def _national(self) -> None:
        for code in sorted(province_names(DIVISIONS_CSV)):
            if code != settings.PORTAL_PROVINCE:
                province_load(csv_path=DIVISIONS_CSV, code=code)

    def _actors(self, counties, cities) -> tuple[dict, dict]:
        """A head for every county and a reviewer for every city (made once, by bulk)."""
        wanted = {f"perf_head_{b.code}": (b, Role.COUNTY_HEAD) for b in counties}
        wanted |= {f"perf_reviewer_{b.code}": (b, Role.CITY_REVIEWER) for b in cities}
        existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
        fresh = [
            User(username=name, full_name=f"历史{b.region_name}（演示）", password="!")  # noqa: S106 - unusable
            for name, (b, _role) in wanted.items()
            if name not in existing
        ]
        User.objects.bulk_create(fresh, batch_size=self.batch)
        users = {u.username: u for u in User.objects.filter(username__in=wanted)}
        Membership.objects.bulk_create(
            [
                Membership(
                    user=users[u.username], role=wanted[u.username][1], bureau=wanted[u.username][0]
                )
                for u in fresh
            ],
            batch_size=self.batch,
        )
        heads = {b.pk: users[f"perf_head_{b.code}"] for b in counties}
        reviewers = {b.pk: users[f"perf_reviewer_{b.code}"] for b in cities}
        return heads, reviewers

    def _history(self, current: Cycle, office: User, count: int) -> int:
        version = current.criteria_version
        sections = list(Section.objects.filter(version=version).prefetch_related("items", "owners"))
        items = [i for s in sections for i in s.items.all()]
        evaluators = {
            m.division_id: m.user
            for m in Membership.objects.filter(role=Role.EVALUATOR).select_related("user")
        }
        owner = {
            s.pk: evaluators.get(next((d.pk for d in s.owners.order_by("order")), None), office)
            for s in sections
        }
        counties = list(
            province_bureaus().filter(level=BureauLevel.COUNTY, is_active=True).order_by("code")
        )
        cities = list(province_bureaus().filter(level=BureauLevel.CITY).order_by("code"))
        heads, reviewers = self._actors(counties, cities)
        permission = Permission.objects.get(
            content_type__app_label="evaluation", codename=PERMISSION.split(".")[-1]
        )
        sheet_type = ContentType.objects.get_for_model(ScoreSheet)
        factor = rating_factors(version)
        made = 0
        for year in range(current.year - count, current.year):
            if Cycle.objects.filter(year=year).exists():
                continue
            with transaction.atomic():
                made += self._cycle(
                    year,
                    version,
                    sections,
                    items,
                    counties,
                    heads,
                    reviewers,
                    office,
                    owner,
                    permission,
                    sheet_type,
                    factor,
                )
        return made

    def _cycle(
        self,
        year,
        version,
        sections,
        items,
        counties,
        heads,
        reviewers,
        office,
        owner,
        permission,
        sheet_type,
        factor,
    ) -> int:
        tz = timezone.get_current_timezone()
        deadline = datetime.date(year, 7, 31)
        opened = datetime.datetime(year, 3, 1, 9, tzinfo=tz)
        cycle = Cycle.objects.create(
            year=year,
            criteria_version=version,
            city_deadline=deadline,
            parameters={"legal_aid_provincial_average": "120"},
            state=CycleState.CLOSED,
            opened_at=opened,
            closed_at=datetime.datetime(year, 12, 31, 17, tzinfo=tz),
        )
        submitted = datetime.datetime(year, 6, 1, 10, tzinfo=tz)
        forwarded = datetime.datetime(year, 8, 5, 10, tzinfo=tz)
        applications = Application.objects.bulk_create(
            [
                Application(
                    cycle=cycle,
                    county=county,
                    state=S.WRITTEN_FAILED,
                    head_name=heads[county.pk].full_name,
                    contact_name=heads[county.pk].full_name,
                    contact_phone="0451-00000000",
                    staff_authorized=8,
                    staff_actual=7,
                    judicial_office_count=6,
                    legal_service_office_count=3,
                    summary=f"{year}年度创建工作总结。（演示）",
                    pledged_at=submitted,
                    pledged_by=heads[county.pk],
                    submitted_at=submitted,
                    forwarded_at=forwarded,
                    created_by=heads[county.pk],
                )
                for county in counties
            ],
            batch_size=self.batch,
        )
        events, assessments, sheets = [], [], []
        for application in applications:
            county = application.county
            actors = {
                Action.CREATE: heads[county.pk],
                Action.SUBMIT: heads[county.pk],
                Action.APPROVE: reviewers[county.parent_id],
                Action.SIGN_OFF: reviewers[county.parent_id],
                Action.FORWARD: reviewers[county.parent_id],
                Action.WRITTEN_FAIL: office,
            }
            events += [
                ApplicationEvent(
                    application=application,
                    actor=actors[action],
                    action=action,
                    from_state=from_state,
                    to_state=to_state,
                    note="总分未达合格线。" if action == Action.WRITTEN_FAIL else "",
                    notified_at=forwarded,
                )
                for action, from_state, to_state in PATH
            ]
            assessments += [
                SelfAssessment(application=application, item=item, answer=Answer.MET)
                for item in items
            ]
            sheets += [
                ScoreSheet(
                    application=application,
                    section=section,
                    version=1,
                    signed_by=owner[section.pk],
                    signed_at=forwarded,
                )
                for section in sections
            ]
        ApplicationEvent.objects.bulk_create(events, batch_size=self.batch)
        ApplicationEvent.objects.filter(application__cycle=cycle).update(created_at=forwarded)
        SelfAssessment.objects.bulk_create(assessments, batch_size=self.batch)
        ScoreSheet.objects.bulk_create(sheets, batch_size=self.batch)
        scores, assignments, grants = [], [], []
        by_section = {s.pk: list(s.items.all()) for s in sections}
        for index, sheet in enumerate(sheets):
            evaluator = owner[sheet.section_id]
            rows = [
                ItemScore(
                    sheet=sheet,
                    item=item,
                    rating=RATINGS[(index + n) % len(RATINGS)],
                    updated_by=evaluator,
                )
                for n, item in enumerate(by_section[sheet.section_id])
            ]
            sheet.points, sheet.vetoes_failed = sheet_points(rows, factor)
            scores += rows
            assignments.append(Assignment(sheet=sheet, evaluator=evaluator, assigned_by=office))
            grants.append(
                UserObjectPermission(
                    user=evaluator,
                    permission=permission,
                    content_type=sheet_type,
                    object_pk=str(sheet.pk),
                )
            )
        ItemScore.objects.bulk_create(scores, batch_size=self.batch)
        ScoreSheet.objects.bulk_update(sheets, ["points", "vetoes_failed"], batch_size=self.batch)
        Assignment.objects.bulk_create(assignments, batch_size=self.batch)
        UserObjectPermission.objects.bulk_create(grants, batch_size=self.batch)
        totals = (
            ScoreSheet.objects.filter(application__cycle=cycle)
            .values("application_id")
            .annotate(total=Sum(F("points") * F("section__weight")))
            .order_by()
        )
        WrittenTotal.objects.bulk_create(
            [
                WrittenTotal(
                    application_id=row["application_id"], points=row["total"] or Decimal(0)
                )
                for row in totals
            ],
            batch_size=self.batch,
        )
        return len(applications)

    def _notifications(self, count: int) -> int:
        users = list(User.objects.filter(username__in=_DEMO_INBOXES).order_by("pk"))
        if not users or count <= 0 or Notification.objects.filter(key__startswith="perf:").exists():
            return 0
        base = timezone.now() - datetime.timedelta(days=365 * 5)
        rows = [
            Notification(
                user=users[n % len(users)],
                key=f"perf:{n}",
                subject=f"历史通知第{n}号：申报材料已转报",
                body="您所在单位的申报材料已由市（地）司法局转报省厅。（演示）",
                url="/applications/",
                read_at=base,
            )
            for n in range(count)
        ]
        Notification.objects.bulk_create(rows, batch_size=self.batch)
        # Spread over five years, oldest first (created_at is set on insert).
        Notification.objects.filter(key__startswith="perf:").update(created_at=base)
        return count


# The inboxes that get the history's messages: the demo's people of every role.
_DEMO_INBOXES = (
    "office",
    "eval_publicity",
    "eval_grassroots",
    "hrb_reviewer",
    "hrb_head",
    "dl_applicant",
    "dl_head",
)
