from django.db import models
from django.utils.translation import gettext_lazy as _

# The audit administrator's role (三员分立: reads and exports the trail, nothing else). Defined
# here, below organizations, so that both the role list and this app's pages name one value.
AUDIT_ADMIN_ROLE = "audit_admin"


class Outcome(models.TextChoices):
    OK = "ok", _("Done")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")
