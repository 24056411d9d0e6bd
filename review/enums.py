from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee meeting (党委会议)")
    PARTY_GROUP = "party_group", _("Leading Party group meeting (党组会议)")


class SignOffOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Not approved")


class Rating(models.TextChoices):
    """An evaluator's rating of an item in the written review (scored as the version says)."""

    MET = "met", _("Met")
    PARTLY_MET = "partly_met", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    NOT_APPROVED = "not_approved", _("Not approved")
