"""The suite's test client: ``force_login`` logs a user in past the second factor.

A user who needs a second factor (or has one) is logged in *and* verified, as after typing the
code; ``force_login(user, otp=False)`` leaves the session at the password step, for the tests
of the second factor itself. The portal's own middleware treats such a session like any other:
unverified unless marked. The ``client`` fixture (tests/conftest.py) is one; a test that needs
a second client makes another ``PortalClient()``."""

from django.test import Client

from organizations.models import User
from organizations.permissions import otp_required
from organizations.two_factor import has_second_factor

from .factories import mark_verified


class PortalClient(Client):
    def force_login(self, user, backend=None, *, otp: bool = True) -> None:
        super().force_login(user, backend)
        fresh = User.objects.get(pk=user.pk)
        if otp and (otp_required(fresh) or has_second_factor(fresh)):
            mark_verified(self, fresh)
