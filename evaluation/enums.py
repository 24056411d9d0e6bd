from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    """An evaluator's rating of an item in the written review (scored as the version says)."""

    MET = "met", _("Met")
    PARTLY_MET = "partly_met", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class WrittenDecision(models.TextChoices):
    """What the campaign office confirms once every section is signed."""

    PASS = "pass", _("Passed the written review")
    FAIL = "fail", _("Did not pass the written review")


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    NOT_APPROVED = "not_approved", _("Not approved")
