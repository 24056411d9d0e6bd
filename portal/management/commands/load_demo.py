import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import Count
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.enums import ApplicationState
from applications.models import Application
from designations.enums import DesignationState
from designations.models import Designation
from notices.models import PublicNotice
from notices.selectors import objections_waiting_count
from organizations.models import User
from portal.demo import (
    DEMO_PASSWORD,
    demo_applications_load,
    demo_designations_load,
    demo_evaluation_load,
    demo_notice_load,
    demo_reinspection_load,
    demo_second_factors_load,
    demo_usernames,
    demo_users_load,
)


class Command(BaseCommand):
    help = "Load the province, the criteria and the demo data. Idempotent: safe to run again."

    def handle(self, *args, **options) -> None:
        # What each step did, line by line, only when asked (-v 2); otherwise a summary.
        detail = self.stdout if options["verbosity"] >= 2 else io.StringIO()
        call_command("load_province", stdout=detail)
        call_command("load_criteria", stdout=detail)
        steps = (
            ("users", demo_users_load),
            # Before the current cycle opens: it walks the cycle of three years ago.
            ("title due for re-inspection", demo_reinspection_load),
            ("applications", demo_applications_load),
            ("applications with the province", demo_evaluation_load),
            ("designations", demo_designations_load),
            ("public notices", demo_notice_load),
            ("second factors", demo_second_factors_load),
        )
        for label, load in steps:
            detail.write(f"demo {label}: {load()} created\n")
        for line in demo_summary():
            self.stdout.write(line)


def _by_state(qs, states) -> str:
    counts = dict(qs.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    return ", ".join(f"{counts[value]} {label}" for value, label in states if counts.get(value))


def demo_summary() -> list[str]:
    """What the demo holds and where to log in, in a few lines."""
    names = demo_usernames()
    accounts = User.objects.filter(username__in=names).count()
    with_code = TOTPDevice.objects.filter(user__username__in=names, confirmed=True).count()
    applications = Application.objects.all()
    designations = Designation.objects.all()
    lines = [
        "Demo data loaded (every person is fictitious; who is who: README.md, “Demo accounts”):",
        f"  accounts: {accounts}, password {DEMO_PASSWORD}; {with_code} of them log in with a "
        "second factor: python manage.py demo_otp_code USERNAME",
        f"  applications: {applications.count()} "
        f"({_by_state(applications, ApplicationState.choices)})",
        f"  designations: {designations.count()} "
        f"({_by_state(designations, DesignationState.choices)})",
    ]

    lines.append(
        f"  public notices (公示): {PublicNotice.objects.count()}, "
        f"objections waiting: {objections_waiting_count()}"
    )
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        mails = Path(settings.EMAIL_FILE_PATH)
        count = len(list(mails.glob("*.log"))) if mails.is_dir() else 0
        lines.append(f"  mails: {count} in {mails}/ (one file each)")
    lines.append(f"Log in at {settings.SITE_URL}{reverse('login')}")
    return lines
