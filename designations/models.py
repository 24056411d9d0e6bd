from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Cycle
from organizations.models import Bureau

from .enums import (
    DesignationAction,
    DesignationState,
    PublicationKind,
    RevocationGround,
    Reward,
)
from .verification import CODE_LENGTH, verification_code_new


class Publication(models.Model):
    """A published list of designations (命名通报), or a supplement (增补) to it."""

    # Empty for lists published before the portal, recorded from the paper register.
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, null=True, blank=True, related_name="publications"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PublicationKind.choices)
    document_number = models.CharField(_("document number"), max_length=60, unique=True)
    published_on = models.DateField(_("published on"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    # Printed with its QR code on the notice: /public/verify/<code>/ lists its designations.
    verification_code = models.CharField(
        _("verification code"),
        max_length=CODE_LENGTH,
        unique=True,
        default=verification_code_new,
        editable=False,
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.document_number


class Designation(models.Model):
    """A bureau's title of provincial model bureau (命名), from designation to revocation."""

    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="designations"
    )
    number = models.CharField(_("designation number"), max_length=40, unique=True)
    designated_on = models.DateField(_("designated on"))
    state = models.CharField(
        _("state"), max_length=20, choices=DesignationState.choices, default=DesignationState.ACTIVE
    )
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="designation"
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, null=True, blank=True, related_name="designations"
    )
    decision_reference = models.CharField(_("decision it rests on"), max_length=120, blank=True)
    reward = models.CharField(
        _("reward recommendation"), max_length=12, choices=Reward.choices, blank=True
    )
    head_name = models.CharField(_("head recommended for merit"), max_length=40, blank=True)
    reinspection_due = models.DateField(_("re-inspection due"), null=True, blank=True)
    rectification_deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, null=True, blank=True, related_name="designations"
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_ground = models.CharField(
        _("ground"), max_length=20, choices=RevocationGround.choices, blank=True
    )
    revocation_decision = models.CharField(_("revocation decision"), max_length=120, blank=True)
    plaque_removed_on = models.DateField(_("plaque removed on"), null=True, blank=True)
    # Printed with its QR code on the certificate: /public/verify/<code>/ tells its standing.
    verification_code = models.CharField(
        _("verification code"),
        max_length=CODE_LENGTH,
        unique=True,
        default=verification_code_new,
        editable=False,
    )

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["-designated_on", "number"]
        indexes = [
            # The public list: published designations by state.
            models.Index(fields=["state", "publication"], name="designation_public"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.bureau}"


class DesignationEvent(models.Model):
    """One change of a designation: append-only, its history."""

    designation = models.ForeignKey(Designation, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=DesignationAction.choices)
    from_state = models.CharField(
        _("from"), max_length=20, choices=DesignationState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=20, choices=DesignationState.choices)
    note = models.TextField(_("note"), blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.designation} · {self.action}"


class CertificateBatch(models.Model):
    """A cycle's certificates rendered in the background into one PDF, with its progress.

    The designations it covers are fixed when rendering first begins (a ``CertificatePage``
    each, in order); a worker lost halfway leaves the pages it finished, and the next attempt
    renders only the rest. ``progressed_at`` moves at every step: a batch whose progress has
    not moved for ``CERTIFICATE_BATCH_STALL_SECONDS`` is queued again by the sweep.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="certificate_batches")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # How many times a worker began (or resumed) rendering it.
    attempts = models.PositiveSmallIntegerField(default=0)
    progressed_at = models.DateTimeField(default=timezone.now)
    # Why the last attempt stopped (kept when the batch is failed, shown on its page).
    failure_reason = models.TextField(blank=True)
    stored_name = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The sweep: open batches whose progress has stood still.
            models.Index(fields=["state", "progressed_at"], name="certificate_batch_sweep"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.done}/{self.total}"

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.PENDING, self.State.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.DONE

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0


class CertificatePage(models.Model):
    """One designation's certificate in a batch: its place in the file and, once rendered,
    its page stored in private storage (removed when the batch's file is joined)."""

    batch = models.ForeignKey(CertificateBatch, on_delete=models.CASCADE, related_name="pages")
    designation = models.ForeignKey(Designation, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    stored_name = models.CharField(max_length=80, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="certificate_page_position"),
            models.UniqueConstraint(fields=["batch", "designation"], name="certificate_page_once"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} · {self.position}"


class CertificateBatchRequeue(models.Model):
    """The sweep queued a batch again: it was still waiting, or its progress stood still."""

    batch = models.ForeignKey(CertificateBatch, on_delete=models.CASCADE, related_name="requeues")
    # The state and progress the sweep found it in, and since when nothing had moved.
    state = models.CharField(max_length=10, choices=CertificateBatch.State.choices)
    done = models.PositiveIntegerField()
    stalled_since = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.batch_id} · {self.created_at:%Y-%m-%d %H:%M:%S}"
