from django.db import models
from django.utils.translation import gettext_lazy as _


class RectificationState(models.TextChoices):
    OPEN = "open", _("Open to the county")
    SUBMITTED = "submitted", _("Submitted, being judged")
    PASSED = "passed", _("Every requirement met")
    FAILED = "failed", _("Not met by the deadline: revoked")


class RectificationFileRole(models.TextChoices):
    REPORT = "report", _("Rectification report")
    EVIDENCE = "evidence", _("Evidence")


class RectificationAction(models.TextChoices):
    """A step in a rectification's history (``RectificationEvent``): its order, and each move
    of its state (``reinspections.workflow.TRANSITIONS``)."""

    ORDER = "order", _("Rectification ordered")
    SUBMIT = "submit", _("Rectification report submitted")
    REOPEN = "reopen", _("Reopened to the county: a requirement not met")
    PASS = "pass", _("Rectification accepted")
    FAIL = "fail", _("Rectification failed: revoked")
    END = "end", _("Ended with the title's immediate revocation")
