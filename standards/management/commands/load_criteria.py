from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from standards.services import criteria_version_load

DEFAULT_JSON = Path(settings.BASE_DIR) / "fixtures" / "criteria_2017.json"


class Command(BaseCommand):
    help = "Load a criteria version from its JSON fixture (default: the 2017 trial version)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", type=Path, default=DEFAULT_JSON)

    def handle(self, *args, json: Path, **options) -> None:
        version = criteria_version_load(json_path=json)
        self.stdout.write(f"criteria version loaded: {version.name}")
