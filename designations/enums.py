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


class DesignationAction(models.TextChoices):
    GRANT = "grant", _("Designated")
    REINSPECTION_DUE = "reinspection_due", _("Re-inspection due")
    REINSPECTION_PASS = "reinspection_pass", _("Re-inspection passed")
    RECTIFY = "rectify", _("Rectification ordered")
    RECTIFICATION_PASS = "rectification_pass", _("Rectification accepted")
    RECTIFICATION_FAIL = "rectification_fail", _("Rectification failed: revoked")
    REVOKE = "revoke", _("Revoked at once")
    # Steps of a rectification that leave the state as it is (history only).
    RECTIFICATION_FILE = "rectification_file", _("Rectification file uploaded")
    RECTIFICATION_SUBMIT = "rectification_submit", _("Rectification report submitted")
    REQUIREMENT_JUDGE = "requirement_judge", _("Rectification requirement judged")


class Reward(models.TextChoices):
    COLLECTIVE = "collective", _("Collective second-class merit for the bureau")
    PERSONAL = "personal", _("Personal second-class merit for the bureau's head")


class PublicationKind(models.TextChoices):
    LIST = "list", _("Designation list")
    SUPPLEMENT = "supplement", _("Supplement")


class RevocationGround(models.TextChoices):
    MAJOR_ERROR = "major_error", _("Major error with bad social impact")
    VIOLATION = "violation", _("Violation of law or discipline with bad social impact")
    REINSPECTION = "reinspection", _("Still below the standard after rectification")


# Grounds for an immediate revocation (plan §三(六)); ``REINSPECTION`` follows a failed
# rectification and is never chosen by hand.
IMMEDIATE_GROUNDS = frozenset({RevocationGround.MAJOR_ERROR, RevocationGround.VIOLATION})
