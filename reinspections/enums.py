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
