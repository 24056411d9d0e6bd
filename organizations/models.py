from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import ADMIN_ROLES, BureauLevel, Role


class User(AbstractUser):
    """A person using the portal. Chinese names are one field, not first/last."""

    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # The password expires PASSWORD_EXPIRY_DAYS after this.
    password_changed_at = models.DateTimeField(_("password changed at"), default=timezone.now)
    # Set for a new account and after a reset by an administrator: changed at the next log-in.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("reset_credentials", _("Can reset passwords and second factors")),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username


class Bureau(models.Model):
    """A justice administration body: the provincial department, a city or a county bureau.

    Codes are GB/T 2260 division codes for bureaus from the official list; bureaus added by
    administrators (development zones and the like) carry a code of their choosing and
    ``in_gbt2260 = False``. Bureaus are deactivated, never deleted.
    """

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("bureau name"), max_length=100)
    region_name = models.CharField(_("administrative division"), max_length=60)
    level = models.CharField(_("level"), max_length=10, choices=BureauLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent bureau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, default=""
    )
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    in_gbt2260 = models.BooleanField(_("in GB/T 2260 list"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="bureau_parent_by_level",
                condition=(Q(level=BureauLevel.PROVINCE) & Q(parent__isnull=True))
                | (~Q(level=BureauLevel.PROVINCE) & Q(parent__isnull=False)),
                violation_error_message=_("Only the provincial department has no parent."),
            ),
        ]
        indexes = [
            # Home pages and selectors list a city's counties by level.
            models.Index(fields=["parent", "level"], name="bureau_parent_level"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A city hangs under the province, a county under a city; the province has no parent."""
        expected = {BureauLevel.CITY: BureauLevel.PROVINCE, BureauLevel.COUNTY: BureauLevel.CITY}
        if self.level == BureauLevel.PROVINCE:
            if self.parent_id is not None:
                raise ValidationError({"parent": _("The provincial department has no parent.")})
        elif self.level in expected:
            parent_level = self.parent.level if self.parent_id else None
            if parent_level != expected[self.level]:
                raise ValidationError(
                    {
                        "parent": _("A %(level)s must belong to a %(parent)s.")
                        % {
                            "level": BureauLevel(self.level).label,
                            "parent": BureauLevel(expected[self.level]).label,
                        }
                    }
                )
        if self.credit_code and (len(self.credit_code) != 18 or not self.credit_code.isalnum()):
            raise ValidationError(
                {"credit_code": _("A unified social credit code has 18 letters or digits.")}
            )


class Division(models.Model):
    """A division (处室) of the provincial department; owns criteria sections."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("provincial division")
        verbose_name_plural = _("provincial divisions")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A role held by a user in a bureau or a provincial division (domain.md §6)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    bureau = models.ForeignKey(
        Bureau,
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            # One constraint per anchor: NULLs are distinct in a plain unique constraint.
            models.UniqueConstraint(
                fields=["user", "role", "bureau"],
                condition=Q(bureau__isnull=False),
                name="membership_unique_bureau",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "division"],
                condition=Q(division__isnull=False),
                name="membership_unique_division",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(bureau__isnull=True, division__isnull=True),
                name="membership_unique_unanchored",
            ),
            # 三员分立: at most one of the three administrator roles per account (a partial
            # unique index on the user over the administrator roles' rows).
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role__in=sorted(ADMIN_ROLES)),
                name="membership_one_admin_role",
                violation_error_message=_(
                    "An account holds at most one of the three administrator roles."
                ),
            ),
            models.CheckConstraint(
                name="membership_anchor_by_role",
                condition=(
                    Q(role__in=[Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
                    & Q(bureau__isnull=True)
                    & Q(division__isnull=True)
                )
                | (Q(role=Role.EVALUATOR) & Q(bureau__isnull=True) & Q(division__isnull=False))
                | (
                    Q(
                        role__in=[
                            Role.COUNTY_APPLICANT,
                            Role.COUNTY_HEAD,
                            Role.CITY_REVIEWER,
                            Role.CITY_HEAD,
                            Role.CAMPAIGN_OFFICE,
                        ]
                    )
                    & Q(bureau__isnull=False)
                    & Q(division__isnull=True)
                ),
                violation_error_message=_(
                    "Evaluators belong to a division, administrators to nothing, "
                    "every other role to a bureau."
                ),
            ),
        ]

    def __str__(self) -> str:
        anchor = self.bureau or self.division or ""
        return f"{self.user} · {self.get_role_display()} · {anchor}".rstrip(" ·")


class PasswordHistory(models.Model):
    """A password the user had before (its hash), so that the last few are not used again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("previous password")
        verbose_name_plural = _("previous passwords")
        indexes = [
            # The history validator reads a user's newest entries.
            models.Index(fields=["user", "-created_at"], name="password_history_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class Notification(models.Model):
    """A message in a user's in-app inbox; each is also mailed once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    # What it is about, unique per user: a retry or a second worker adds nothing.
    key = models.CharField(max_length=120)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_unique_key"),
        ]
        indexes = [
            # The unread count in the navigation bar.
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            # The inbox's page: a user's newest 50 without sorting all of their messages.
            models.Index(fields=["user", "-created_at", "-id"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.subject


class Reminder(models.Model):
    """A reminder sent: (kind, recipient, object, due date) is unique, so none is sent twice."""

    kind = models.CharField(max_length=40)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    object_key = models.CharField(max_length=80)
    due_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "object_key", "due_date"], name="reminder_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.object_key} · {self.due_date}"
