from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee meeting (党委会议)")
    PARTY_GROUP = "party_group", _("Leading Party group meeting (党组会议)")


class SignOffOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Not approved")
