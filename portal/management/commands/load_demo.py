from django.core.management import call_command
from django.core.management.base import BaseCommand

from portal.demo import (
    demo_applications_load,
    demo_designations_load,
    demo_evaluation_load,
    demo_notice_load,
    demo_second_factors_load,
    demo_users_load,
)


class Command(BaseCommand):
    help = "Load the province, the criteria and the demo data. Idempotent: safe to run again."

    def handle(self, *args, **options) -> None:
        call_command("load_province", stdout=self.stdout)
        call_command("load_criteria", stdout=self.stdout)
        created = demo_users_load()
        self.stdout.write(f"demo users: {created} created")
        applications = demo_applications_load()
        self.stdout.write(f"demo applications: {applications} created")
        with_province = demo_evaluation_load()
        self.stdout.write(f"demo applications with the province: {with_province} created")
        designations = demo_designations_load()
        self.stdout.write(f"demo designations: {designations} created")
        notices = demo_notice_load()
        self.stdout.write(f"demo public notices: {notices} opened")
        devices = demo_second_factors_load()
        self.stdout.write(f"demo second factors: {devices} created")
