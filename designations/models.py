from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Bureau

from .enums import DesignationState


class Designation(models.Model):
    """A bureau's title of provincial model bureau (命名), from designation to revocation."""

    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="designations"
    )
    number = models.CharField(_("designation number"), max_length=40, unique=True)
    designated_on = models.DateField(_("designated on"))
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=DesignationState.choices,
        default=DesignationState.ACTIVE,
    )

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["-designated_on", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.bureau}"
