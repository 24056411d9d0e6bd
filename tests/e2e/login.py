"""Logging in through the log-in page: every browser test does it here, and only here, so a
change to the log-in (a second factor for some roles) changes this one function."""

from portal.demo import DEMO_PASSWORD


def log_in(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log ``username`` in on ``page`` and wait for the home page."""
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(base_url + "/")
