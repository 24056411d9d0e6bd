"""Re-inspection rounds and rectification orders, with the county's files and their history.

Moved here from ``designations`` with their rows (``reinspections/migrations/0001_initial.py``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application, PrivateFile
from designations.models import Designation
from organizations.models import Division
from standards.models import Item

from .enums import RectificationAction, RectificationFileRole, RectificationState


class Reinspection(models.Model):
    """The re-inspection round (复查) of a designation fallen due: the county reports in an
    ``Application`` of kind ``REINSPECTION`` (same form, checks, pledge, score sheets and
    inspection as an application); the office then keeps the title or orders rectification."""

    class Outcome(models.TextChoices):
        KEPT = "kept", _("Title kept")
        RECTIFY = "rectify", _("Rectification ordered")

    designation = models.ForeignKey(
        Designation, on_delete=models.PROTECT, related_name="reinspections"
    )
    # The re-inspection date this round answers (``Designation.reinspection_due`` when opened).
    due = models.DateField(_("re-inspection due"))
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="reinspection"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("re-inspection round")
        verbose_name_plural = _("re-inspection rounds")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["designation", "due"], name="reinspection_once"),
        ]

    def __str__(self) -> str:
        return f"{self.designation} · {self.due:%Y-%m-%d}"


class Rectification(models.Model):
    """One rectification order (整改): the requirements the county must meet again by the
    deadline, its report and evidence per requirement, the office's judgement, the outcome.

    ``reinspections.rectifications`` changes it; the designation's own state moves only
    through ``designation_transition`` (RECTIFY, then RECTIFICATION_PASS or _FAIL).
    """

    designation = models.ForeignKey(
        Designation, on_delete=models.PROTECT, related_name="rectifications"
    )
    deadline = models.DateField(_("rectification deadline"))
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=RectificationState.choices,
        default=RectificationState.OPEN,
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ordered_at = models.DateTimeField(_("ordered at"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "id"]
        constraints = [
            # A designation is under one rectification at a time.
            models.UniqueConstraint(
                fields=["designation"],
                condition=models.Q(state__in=["open", "submitted"]),
                name="rectification_one_running",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.designation} · {self.deadline:%Y-%m-%d}"

    @property
    def is_running(self) -> bool:
        return self.state in (RectificationState.OPEN, RectificationState.SUBMITTED)


class RectificationRequirement(models.Model):
    """What the county must put right, and the office's judgement whether it now is."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="requirements"
    )
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("requirement"))
    # The criteria item that slipped, when the requirement comes from one.
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # None until judged.
    met = models.BooleanField(_("met"), null=True, blank=True)
    judgement_note = models.TextField(_("judgement"), blank=True)
    # The provincial division whose view the office recorded with its judgement.
    division = models.ForeignKey(
        Division,
        verbose_name=_("division consulted"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    division_view = models.TextField(_("the division's view"), blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    judged_at = models.DateTimeField(_("judged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification requirement")
        verbose_name_plural = _("rectification requirements")
        ordering = ["rectification", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["rectification", "position"], name="rectification_requirement_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rectification_id} · {self.position}"


class RectificationFile(PrivateFile):
    """The county's rectification report or a piece of evidence for one requirement, kept in
    private storage like application evidence (``applications.evidence``)."""

    requirement = models.ForeignKey(
        RectificationRequirement, on_delete=models.PROTECT, related_name="files"
    )
    role = models.CharField(_("file"), max_length=10, choices=RectificationFileRole.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rectification file")
        verbose_name_plural = _("rectification files")
        ordering = ["requirement", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class RectificationEvent(models.Model):
    """One step of a rectification: append-only, its history. Every change of its state is
    one (``reinspections.workflow.rectification_transition``), and so is its order."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=12, choices=RectificationAction.choices)
    from_state = models.CharField(
        _("from"), max_length=12, choices=RectificationState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=12, choices=RectificationState.choices)
    note = models.TextField(_("note"), blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("rectification event")
        verbose_name_plural = _("rectification events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.rectification_id} · {self.action}"
