"""Shared fixtures: the S3 server of private storage, the province and the 2017 criteria loaded
once; a fixed cast per role."""

import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application, Cycle
from applications.services import application_create, cycle_create, cycle_open
from core.actors import SystemActor
from organizations.enums import Role
from organizations.models import Bureau, Division, User
from organizations.services import membership_grant
from portal.demo import DEMO_PASSWORD, application_fill_example
from standards.models import CriteriaVersion

from .clients import PortalClient
from .factories import UserFactory, otp_device_for
from .objectstore import SeaweedFS


def pytest_configure(config: pytest.Config) -> None:
    """Compile the translations the tests assert (about half the suite reads Chinese pages),
    or stop at once saying why: a stale or missing ``.mo`` otherwise shows up as hundreds of
    failures with English text and no hint. Done once, in the main process, before the
    xdist workers start."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    compiled_any = False
    root = Path(__file__).resolve().parent.parent
    for catalogue in sorted(root.glob("locale/*/LC_MESSAGES/*.po")):
        compiled = catalogue.with_suffix(".mo")
        if compiled.exists() and compiled.stat().st_mtime >= catalogue.stat().st_mtime:
            continue
        try:
            subprocess.run(
                ["msgfmt", "--check-format", "-o", str(compiled), str(catalogue)],
                check=True,
                capture_output=True,
                text=True,
            )
        except FileNotFoundError:
            pytest.exit("msgfmt (gettext) is missing: `make test` installs it", returncode=4)
        except subprocess.CalledProcessError as error:
            pytest.exit(f"{catalogue} does not compile:\n{error.stderr}", returncode=4)
        compiled_any = True
    if compiled_any:
        # Django was set up before this hook and may have cached catalogues read without them.
        from django.utils.translation import trans_real

        trans_real._translations.clear()
        trans_real._default = None


T = TypeVar("T")


@pytest.fixture
def client() -> PortalClient:
    """pytest-django's ``client``, as the suite's client (log-in past the second factor)."""
    return PortalClient()


def _sign_with_the_wall_clock() -> None:
    """Requests to the store are signed at the machine's real time, also in a test that moved
    the clock with time-machine (years ahead, a deadline's last second): the store refuses a
    signature far from its own clock (RequestTimeTooSkewed), as a real one would."""
    import datetime
    import time

    import botocore.auth
    from time_machine import escape_hatch

    def wall_clock(remove_tzinfo: bool = True) -> datetime.datetime:
        real = escape_hatch.time.time() if escape_hatch.is_travelling() else time.time()
        now = datetime.datetime.fromtimestamp(real, datetime.UTC)
        return now.replace(tzinfo=None) if remove_tzinfo else now

    botocore.auth.get_current_datetime = wall_clock


@pytest.fixture(scope="session", autouse=True)
def object_store(tmp_path_factory):
    """The whole session stores its private files in a bucket of a real S3 server (SeaweedFS
    on loopback, tests/objectstore.py), as several web nodes would; subprocesses the tests
    start inherit it through the environment. It fails the run, with its log, if it does not
    start."""
    from django.conf import settings
    from django.core.files.storage import storages

    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs")).start()
    os.environ.update(server.environment())
    _sign_with_the_wall_clock()
    settings.STORAGES["private"]["OPTIONS"]["endpoint_url"] = server.endpoint
    # What Django's own setting_changed handler does for STORAGES.
    storages.__dict__.pop("backends", None)
    storages._backends = None
    storages._storages = {}
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _stored_files_removed(object_store):
    """The files a test stored are removed when it ends, as its rows are rolled back."""
    from . import objectstore

    objectstore.WRITTEN.clear()
    yield
    if objectstore.WRITTEN:
        object_store.remove(list(objectstore.WRITTEN))
        objectstore.WRITTEN.clear()


def rows_for_the_module(django_db_blocker, object_store, build: Callable[[], T]) -> Iterator[T]:
    """For a module-scoped fixture (``yield from``): what ``build`` makes, once for the tests of
    the module, as Django's ``TestCase.setUpTestData`` makes it for a class. It is made in a
    transaction inside which each test's own runs as a savepoint, rolled back when the module
    ends; the files it stored are removed then."""
    from django.db import transaction

    from . import objectstore

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        first = len(objectstore.WRITTEN)
        try:
            reference_data_ensure()
            made = build()
        except BaseException:
            outer.__exit__(None, None, None)
            raise
        # Kept past each test's clean-up (tests/conftest.py _stored_files_removed).
        stored = objectstore.WRITTEN[first:]
        del objectstore.WRITTEN[first:]
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        if stored:
            object_store.remove(stored)


@pytest.fixture
def local_storage(settings, tmp_path):
    """Private files in a folder (``PRIVATE_STORAGE=local``, one machine) for this test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the bureaus, divisions and criteria once for the whole session."""
    with django_db_blocker.unblock():
        call_command("load_province", verbosity=0, stdout=_Null())
        call_command("load_criteria", verbosity=0, stdout=_Null())


def reference_data_ensure() -> None:
    """The bureaus, divisions, criteria and holiday calendar, loaded again where a
    transactional test emptied every table when it ended."""
    from notices.models import HolidayCalendarYear

    if not (Bureau.objects.exists() and CriteriaVersion.objects.exists()):
        call_command("load_province", verbosity=0, stdout=_Null())
        call_command("load_criteria", verbosity=0, stdout=_Null())
    if not HolidayCalendarYear.objects.exists():
        # Seeded by a data migration.
        call_command("holiday_calendar_seed", verbosity=0, stdout=_Null())


@pytest.fixture(autouse=True)
def _reference_data(request, django_db_blocker):
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        with django_db_blocker.unblock():
            reference_data_ensure()


class _Null:
    def write(self, *_args) -> None:
        pass

    def flush(self) -> None:
        pass


@dataclass
class Cast:
    """County applicant and head of two counties in two cities, city roles, office, evaluators."""

    county_a_applicant: User
    county_a_head: User
    county_a2_applicant: User
    county_b_applicant: User
    county_b_head: User
    city_a_reviewer: User
    city_a_head: User
    city_b_reviewer: User
    office: User
    evaluator_publicity: User
    evaluator_grassroots: User
    sysadmin: User
    secadmin: User
    auditadmin: User
    nobody: User


def _user(username: str, role: str | None, *, bureau: str = "", division: str = "") -> User:
    """A cast member; one whose role requires a second factor has a TOTP device (enrolled)."""
    from organizations.permissions import otp_required

    user = UserFactory(username=username)
    if role:
        membership_grant(
            user=user,
            role=role,
            bureau=Bureau.objects.get(code=bureau) if bureau else None,
            division=Division.objects.get(code=division) if division else None,
            by=SystemActor.LOADER,
        )
        user = User.objects.get(pk=user.pk)
        if otp_required(user):
            otp_device_for(user)
    return user


def cast_make() -> Cast:
    # County A: 哈尔滨市道里区 (city A 哈尔滨); A2: 哈尔滨市南岗区; B: 齐齐哈尔市龙沙区 (city B).
    return Cast(
        county_a_applicant=_user("a_applicant", Role.COUNTY_APPLICANT, bureau="230102"),
        county_a_head=_user("a_head", Role.COUNTY_HEAD, bureau="230102"),
        county_a2_applicant=_user("a2_applicant", Role.COUNTY_APPLICANT, bureau="230103"),
        county_b_applicant=_user("b_applicant", Role.COUNTY_APPLICANT, bureau="230202"),
        county_b_head=_user("b_head", Role.COUNTY_HEAD, bureau="230202"),
        city_a_reviewer=_user("hrb_rev", Role.CITY_REVIEWER, bureau="230100"),
        city_a_head=_user("hrb_head", Role.CITY_HEAD, bureau="230100"),
        city_b_reviewer=_user("qqhr_rev", Role.CITY_REVIEWER, bureau="230200"),
        office=_user("office", Role.CAMPAIGN_OFFICE, bureau="230000"),
        evaluator_publicity=_user("ev_pub", Role.EVALUATOR, division="legal_publicity"),
        evaluator_grassroots=_user("ev_grass", Role.EVALUATOR, division="grassroots"),
        sysadmin=_user("sysadmin", Role.SYSTEM_ADMIN),
        secadmin=_user("secadmin", Role.SECURITY_ADMIN),
        auditadmin=_user("auditadmin", Role.AUDIT_ADMIN),
        nobody=_user("nobody", None),
    )


@pytest.fixture
def cast(db) -> Cast:
    return cast_make()


@pytest.fixture
def password() -> str:
    return DEMO_PASSWORD


def cycle_make() -> Cycle:
    """This year's cycle on the 2017 criteria, open, the cities' deadline 60 days ahead."""
    version = CriteriaVersion.objects.get(name="2017年试行版")
    year = timezone.localdate().year
    created = cycle_create(
        year=year,
        criteria_version=version,
        city_deadline=timezone.localdate() + timezone.timedelta(days=60),
        parameters={"legal_aid_provincial_average": "120"},
        by=SystemActor.LOADER,
    )
    return cycle_open(cycle=created, by=SystemActor.LOADER)


@pytest.fixture
def cycle(db) -> Cycle:
    return cycle_make()


@pytest.fixture
def application(cycle, cast) -> Application:
    """County A's application, a draft."""
    return application_create(
        cycle=cycle, county=Bureau.objects.get(code="230102"), by=cast.county_a_applicant
    )


@pytest.fixture
def complete_application(application, cast) -> Application:
    """County A's application with the form, every answer and every indicator filled in."""
    application_fill_example(application, by=cast.county_a_applicant)
    return application


@pytest.fixture
def application_b(cycle, cast) -> Application:
    """County B's (another city) application, a draft."""
    return application_create(
        cycle=cycle, county=Bureau.objects.get(code="230202"), by=cast.county_b_applicant
    )


@pytest.fixture
def signing(settings, tmp_path):
    """The department's signing certificate configured, as DOCUMENT_SIGNING_P12 would."""
    from core.signing import _signer

    from .documents import make_signing_p12

    path, password = make_signing_p12(tmp_path)
    settings.DOCUMENT_SIGNING_P12 = str(path)
    settings.DOCUMENT_SIGNING_PASSWORD = password
    yield path
    _signer.cache_clear()
