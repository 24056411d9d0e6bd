from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.provinces import province_code
from organizations.services import divisions_load, province_load

# The national GB/T 2260 list (fixtures/divisions-README.md); one province is loaded at a time.
DEFAULT_CSV = Path(settings.BASE_DIR) / "fixtures" / "china_divisions.csv"


class Command(BaseCommand):
    help = (
        "Load the provincial divisions and one province's bureau tree (GB/T 2260 CSV): the "
        "configured PORTAL_PROVINCE unless --code names another. Idempotent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
        parser.add_argument(
            "--code",
            default=None,
            help="The province's GB/T 2260 code, two or six digits (44 or 440000).",
        )

    def handle(self, *args, csv: Path, code: str | None, **options) -> None:
        wanted = province_code(code) if code is not None else settings.PORTAL_PROVINCE
        if wanted is None:
            raise CommandError(f"--code must be a province's code (44 or 440000), not {code!r}.")
        divisions = divisions_load()
        try:
            bureaus = province_load(csv_path=csv, code=wanted)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"divisions: {divisions.created} created, {divisions.updated} refreshed; "
            f"bureaus: {bureaus.created} created, {bureaus.updated} updated"
        )
