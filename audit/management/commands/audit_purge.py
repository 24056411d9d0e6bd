from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.services import audit_purge


class Command(BaseCommand):
    help = (
        "Archive and remove audit entries older than AUDIT_RETENTION_DAYS (or an earlier "
        "--before date); entries younger than the retention period are never removed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--before", help="YYYY-MM-DD (Beijing time); default: the limit")
        parser.add_argument("--archive-dir", default=str(settings.AUDIT_ARCHIVE_DIR))

    def handle(self, *args, **options) -> None:
        if options["before"]:
            try:
                day = datetime.strptime(options["before"], "%Y-%m-%d").date()
            except ValueError:
                raise CommandError("--before must be a date, YYYY-MM-DD.") from None
            before = timezone.make_aware(datetime.combine(day, time.min))
        else:
            before = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
        try:
            result = audit_purge(before=before, archive_dir=options["archive_dir"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"removed {result['removed']} {result.get('archive', '')}".strip())
