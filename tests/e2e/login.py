"""Logging in through the log-in page: every browser test does it here, and only here, so a
change to the log-in (a second factor for some roles) changes this one function."""

from portal.demo import DEMO_PASSWORD
from tests.factories import otp_code


def log_in(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log ``username`` in on ``page`` and wait for the home page."""
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    log_in_second_step(page, base_url, username)


def log_in_second_step(page, base: str, username: str) -> None:
    """After the password: the code of the user's authenticator app, where they have one,
    computed from the device's key as the app would."""
    import re

    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.wait_for_url(re.compile(rf"^{re.escape(base)}/(accounts/login/code/.*)?$"))
    if page.url.startswith(base + "/accounts/login/code/"):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.fill("#id_token", otp_code(device))
        page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
