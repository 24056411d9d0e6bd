from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Cycle, PrivateFile
from organizations.models import Bureau

from .enums import MeetingKind, SignOffOutcome


class PartyMeeting(PrivateFile):
    """A city's Party committee or leading Party group meeting, with its minutes document."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="party_meetings")
    city = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="party_meetings")
    meeting_kind = models.CharField(_("meeting"), max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField(_("date of the meeting"))
    minutes_number = models.CharField(_("minutes number"), max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Party meeting")
        verbose_name_plural = _("Party meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.city} · {self.get_meeting_kind_display()} · {self.held_on}"


class SignOff(models.Model):
    """The meeting's outcome for one application approved by the city's review."""

    meeting = models.ForeignKey(PartyMeeting, on_delete=models.PROTECT, related_name="sign_offs")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="sign_offs")
    outcome = models.CharField(_("outcome"), max_length=10, choices=SignOffOutcome.choices)

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        constraints = [
            # One outcome per application: it is signed off once.
            models.UniqueConstraint(fields=["application"], name="signoff_one_per_application"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_outcome_display()}"


class ForwardingBatch(models.Model):
    """The applications a city forwards to the province together, with the cover letter."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="forwarding_batches")
    city = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="forwarding_batches")
    letter_number = models.CharField(_("cover letter number"), max_length=60, blank=True)
    applications = models.ManyToManyField(Application, related_name="forwarding_batches")
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    forwarded_at = models.DateTimeField(_("forwarded at"), auto_now_add=True)
    extension = models.ForeignKey(
        "DeadlineExtension",
        verbose_name=_("deadline extension"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("forwarding batch")
        verbose_name_plural = _("forwarding batches")
        ordering = ["-forwarded_at"]

    def __str__(self) -> str:
        return f"{self.city} · {self.forwarded_at:%Y-%m-%d}"


class ForwardingScan(PrivateFile):
    """The stamped scan of a batch's cover letter."""

    batch = models.ForeignKey(ForwardingBatch, on_delete=models.PROTECT, related_name="scans")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stamped cover letter")
        verbose_name_plural = _("stamped cover letters")

    def __str__(self) -> str:
        return self.original_name


class DeadlineExtension(models.Model):
    """An extension of the forwarding deadline that the campaign office grants one city, with
    who granted it, when and why (逾期上报特许)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="deadline_extensions")
    city = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="deadline_extensions")
    until = models.DateField(_("forwarding allowed until"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("time the extension was granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.city} · {self.until:%Y-%m-%d}"
