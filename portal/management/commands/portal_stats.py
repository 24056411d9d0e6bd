import json

from django.core.management.base import BaseCommand

from portal.stats import portal_stats


class Command(BaseCommand):
    help = "Print the portal's counts as JSON: bureaus, criteria, users by role, states."

    def handle(self, *args, **options) -> None:
        self.stdout.write(json.dumps(portal_stats(), ensure_ascii=False, indent=2))
