from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_chain_breaks


class Command(BaseCommand):
    help = "Walk the audit trail's hash chain and name the first row that was changed."

    def handle(self, *args, **options) -> None:
        first = next(audit_chain_breaks(), None)
        if first is not None:
            raise CommandError(
                _("The audit trail is broken at entry %(id)d (%(reason)s).")
                % {"id": first.entry_id, "reason": first.reason}
            )
        self.stdout.write(
            _("The audit trail holds: %(n)d entries verified.") % {"n": AuditEntry.objects.count()}
        )
