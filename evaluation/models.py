"""The province's side of the review: evaluators' score sheets, on-site inspections, and the
provincial Party committee's decision."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Cycle, PrivateFile
from standards.models import Item, Section

from .enums import Decision, InspectionResult, Rating


class ScoreSheet(models.Model):
    """One section of one application in the written review (书面审查).

    Evaluators get the object permission ``evaluation.score_scoresheet`` on the sheets assigned to
    them (only through ``evaluator_assign``). ``version`` is the optimistic lock: a save based
    on an older version is refused as a conflict.
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="score_sheets"
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    # Kept by ``sheet_save`` (the one service that writes item scores): the section's points
    # by the version's rule and the failed veto items ("code title"), so that the ranking and
    # the 汇总表 never load item scores to add them up.
    points = models.DecimalField(_("points"), max_digits=14, decimal_places=6, default=0)
    vetoes_failed = models.JSONField(_("failed veto items"), default=list, blank=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["application", "section__number"]
        permissions = [("score_scoresheet", _("Can score this section"))]
        constraints = [
            models.UniqueConstraint(fields=["application", "section"], name="scoresheet_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.section.number}"


class WrittenTotal(models.Model):
    """An application's written-review total (the sections' points times their weights), kept
    by ``sheet_save`` with the sheets' own totals; the ranking orders by it in SQL."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="written_total"
    )
    points = models.DecimalField(_("total"), max_digits=18, decimal_places=8, default=0)

    class Meta:
        verbose_name = _("written-review total")
        verbose_name_plural = _("written-review totals")

    def __str__(self) -> str:
        return f"{self.application} · {self.points}"


class Assignment(models.Model):
    """Who evaluates which section of which application (the record behind the grant)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="assignments")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "evaluator"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} · {self.evaluator}"


class ItemScore(models.Model):
    """An evaluator's rating of one item, with a comment; veto items are explicit checks."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    veto_failed = models.BooleanField(_("veto item failed"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="itemscore_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} · {self.item.code}"


class Inspection(models.Model):
    """The on-site inspection (实地考核验收) of an application that passed the written review."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="inspection"
    )
    visit_date = models.DateField(_("date of the visit"))
    itinerary = models.TextField(_("itinerary"), blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(
        _("result"), max_length=10, choices=InspectionResult.choices, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("on-site inspection")
        verbose_name_plural = _("on-site inspections")
        ordering = ["visit_date", "application__county__code"]

    def __str__(self) -> str:
        return f"{self.application} · {self.visit_date}"


class InspectionMember(models.Model):
    """An evaluator on an inspection team; no evaluator is booked on two visits the same day."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="members")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The visit's date, repeated so that the database refuses a double booking.
    visit_date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "visit_date"], name="inspection_no_double_booking"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.evaluator}"


class InspectionFinding(models.Model):
    """The team's findings for one section on site, and its score if it changes the written one."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(_("findings"), blank=True)
    confirmed = models.BooleanField(_("written score confirmed"), default=True)
    adjusted_percent = models.DecimalField(
        # xgettext:no-python-format
        _("adjusted score (% of the section)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inspection", "section"], name="finding_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.section.number}"


class InspectionPhoto(PrivateFile):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="photos")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class ProvincialMeeting(PrivateFile):
    """The provincial department's Party committee meeting (厅党委会议) deciding on a cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="provincial_meetings")
    held_on = models.DateField(_("date of the meeting"))
    number = models.CharField(_("meeting number"), max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("provincial Party committee meeting")
        verbose_name_plural = _("provincial Party committee meetings")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.held_on}"


class ProvincialDecision(models.Model):
    """The committee's decision on one inspected application at one meeting; an approval past
    the quota carries the recorded override. An application sent back to the committee by an
    upheld objection (公示) is decided again at a later meeting: the latest decision is the one
    in force (``evaluation.decisions.decision_in_force``), the earlier ones stay as history."""

    meeting = models.ForeignKey(
        ProvincialMeeting, on_delete=models.PROTECT, related_name="decisions"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="provincial_decisions"
    )
    decision = models.CharField(_("decision"), max_length=15, choices=Decision.choices)
    quota_override_reason = models.TextField(_("reason for approving past the quota"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("provincial decision")
        verbose_name_plural = _("provincial decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "application"], name="one_decision_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_decision_display()}"
