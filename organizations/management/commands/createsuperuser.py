"""Django's createsuperuser, recorded in the audit trail: the one way to make a superuser (the
administration pages cannot), on the server, by someone with a shell there."""

import getpass

from django.contrib.auth.management.commands import createsuperuser
from django.db import transaction

from audit.enums import AuditAction
from audit.services import audit_record
from organizations.models import User


class Command(createsuperuser.Command):
    help = (
        "Create a superuser (on the server only: the administration pages cannot) and record it "
        "in the audit trail."
    )

    def handle(self, *args, **options):
        database = options.get("database")
        users = User._default_manager.db_manager(database)
        before = set(users.filter(is_superuser=True).values_list("pk", flat=True))
        with transaction.atomic(using=database):
            super().handle(*args, **options)
            for user in users.filter(is_superuser=True).exclude(pk__in=before):
                audit_record(
                    action=AuditAction.SUPERUSER_CREATE,
                    obj=user,
                    actor_name=f"manage.py createsuperuser ({_os_user()})",
                    details={"username": user.get_username()},
                )


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"
