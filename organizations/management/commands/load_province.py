from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from organizations.services import divisions_load, province_load

DEFAULT_CSV = Path(settings.BASE_DIR) / "fixtures" / "heilongjiang_divisions.csv"


class Command(BaseCommand):
    help = "Load the provincial divisions and the bureau tree (GB/T 2260 CSV). Idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)

    def handle(self, *args, csv: Path, **options) -> None:
        divisions = divisions_load()
        bureaus = province_load(csv_path=csv)
        self.stdout.write(
            f"divisions: {divisions.created} created, {divisions.updated} refreshed; "
            f"bureaus: {bureaus.created} created, {bureaus.updated} updated"
        )
