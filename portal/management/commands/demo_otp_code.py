"""The current second-factor code of a demo account, so that a newcomer logs in without a phone.
Debug mode only (the demo's devices share a fixed, published key)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from organizations.models import User
from organizations.two_factor import totp_device_of
from portal.demo import demo_usernames, totp_code_now


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (debug mode only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, **options) -> None:
        if not settings.DEVELOPMENT:
            raise CommandError(
                "demo_otp_code works only in debug mode (DJANGO_DEBUG=1, as `make demo` runs): "
                "outside it codes come from the person's own authenticator app. "
                "仅限调试模式（演示）使用。"
            )
        username = options["username"]
        if username not in demo_usernames():
            raise CommandError(f"{username!r} is not a demo account.")
        device = totp_device_of(_user(username))
        if device is None:
            raise CommandError(f"{username!r} has no second factor; run `manage.py load_demo`.")
        self.stdout.write(totp_code_now(device))


def _user(username: str):
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"{username!r} does not exist yet; run `manage.py load_demo`.")
    return user
