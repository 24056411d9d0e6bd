from django.db import models
from django.utils.translation import gettext_lazy as _


class DesignationState(models.TextChoices):
    ACTIVE = "active", _("Active")
    REINSPECTION_DUE = "reinspection_due", _("Re-inspection due")
    RECTIFYING = "rectifying", _("Rectifying")
    REVOKED = "revoked", _("Revoked")


# A bureau in any of these states holds the title and does not apply again.
HOLDING_STATES = (
    DesignationState.ACTIVE,
    DesignationState.REINSPECTION_DUE,
    DesignationState.RECTIFYING,
)
