"""Any province: the national divisions loaded, only the configured province takes part."""

import io
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from core.actors import SystemActor
from core.provinces import department_name, province_code
from designations.dashboard import dashboard_data
from evaluation.quota import quota_for
from organizations.enums import BureauLevel, Role
from organizations.models import Bureau
from organizations.selectors import (
    bureau_counts,
    bureaus_visible_to,
    campaign_office_users,
    province_bureau,
    province_cities,
)
from organizations.services import membership_grant
from review.forms import DeadlineExtensionForm
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def guangdong(db):
    """广东 (44) loaded beside 黑龙江, with an office user of its own department."""
    call_command("load_province", "--code", "44", stdout=io.StringIO())
    office = UserFactory(username="gd_office")
    # Granted while the portal served 广东: memberships are refused outside the province.
    with override_settings(PORTAL_PROVINCE="440000", PORTAL_PROVINCE_NAME="广东省"):
        membership_grant(
            user=office,
            role=Role.CAMPAIGN_OFFICE,
            bureau=Bureau.objects.get(code="440000"),
            by=SystemActor.LOADER,
        )
    return office


def _guangdong_county_head(county: Bureau):
    """The head of a 广东 county, granted while the portal served 广东 (as ``guangdong``)."""
    head = UserFactory(username=f"gd_head_{county.code}")
    with override_settings(PORTAL_PROVINCE="440000", PORTAL_PROVINCE_NAME="广东省"):
        membership_grant(user=head, role=Role.COUNTY_HEAD, bureau=county, by=SystemActor.LOADER)
    return head


def test_load_province_by_code_loads_its_cities_and_counties(guangdong):
    gd = Bureau.objects.get(code="440000")
    assert gd.name == "广东省司法厅"
    assert gd.children.count() == 21
    assert Bureau.objects.filter(level=BureauLevel.COUNTY, parent__parent=gd).count() == 122
    assert Bureau.objects.get(code="440106").name == "广州市天河区司法局"
    # Heilongjiang is as it was.
    assert Bureau.objects.filter(level=BureauLevel.COUNTY, code__startswith="23").count() == 121


def test_load_province_is_idempotent(guangdong):
    before = Bureau.objects.count()
    out = io.StringIO()
    call_command("load_province", "--code", "440000", stdout=out)
    call_command("load_province", stdout=out)
    assert Bureau.objects.count() == before
    assert "bureaus: 0 created, 0 updated" in out.getvalue()


def test_load_province_refuses_an_unknown_code():
    before = Bureau.objects.count()
    with pytest.raises(CommandError):
        call_command("load_province", "--code", "99", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("load_province", "--code", "4401", stdout=io.StringIO())
    assert Bureau.objects.count() == before


def test_only_the_configured_province_takes_part(guangdong, cast, cycle):
    assert bureau_counts() == {"province": 1, "city": 13, "county": 121}
    quota = quota_for(cycle)
    assert (quota.counties, quota.target) == (121, 13)
    assert province_bureau().code == "230000"
    assert list(campaign_office_users()) == [cast.office]
    assert [row["city"].code for row in dashboard_data()["rows"]] == [
        b.code for b in Bureau.objects.filter(level=BureauLevel.CITY, code__startswith="23")
    ]
    assert bureaus_visible_to(user=cast.office).count() == 135
    assert set(
        DeadlineExtensionForm.base_fields["city"].queryset.values_list("code", flat=True)
    ) == {b.code for b in province_cities()}
    assert not province_cities().filter(code__startswith="44").exists()


def test_another_province_configured(guangdong, cast, cycle, settings):
    settings.PORTAL_PROVINCE = "440000"
    assert bureau_counts() == {"province": 1, "city": 21, "county": 122}
    quota = quota_for(cycle)
    assert quota.counties == 122
    assert quota.target == 13 if quota.ratio == Decimal("0.1") else True
    assert province_bureau().code == "440000"
    assert list(campaign_office_users()) == [guangdong]
    rows = dashboard_data()["rows"]
    assert len(rows) == 21
    assert all(row["city"].parent.code == "440000" for row in rows)
    assert not bureaus_visible_to(user=cast.office).filter(code__startswith="23").exists()


def test_a_deactivated_bureau_of_the_province_leaves_the_count(guangdong):
    Bureau.objects.filter(code="230102").update(is_active=False)
    assert bureau_counts()["county"] == 120


@pytest.mark.parametrize(
    ("raw", "code"), [("44", "440000"), ("440000", "440000"), ("4401", None), ("abc", None)]
)
def test_province_code(raw, code):
    assert province_code(raw) == code


def test_department_names():
    assert department_name("黑龙江省") == "黑龙江省司法厅"
    assert department_name("广西壮族自治区") == "广西壮族自治区司法厅"
    assert department_name("北京市") == "北京市司法局"


def test_default_settings_are_heilongjiang():
    assert settings.PORTAL_PROVINCE == "230000"
    assert settings.PORTAL_DEPARTMENT_NAME == "黑龙江省司法厅"
    assert settings.DESIGNATION_NUMBER_PATTERN == "黑司示〔{year}〕{seq}号"
    assert settings.DOCUMENT_ISSUER == "黑龙江省司法厅"


def _settings_of(**environ) -> subprocess.CompletedProcess:
    code = (
        "import portal.settings as s; "
        "print(s.PORTAL_PROVINCE, s.PORTAL_DEPARTMENT_NAME, s.DESIGNATION_NUMBER_PATTERN, "
        "s.DOCUMENT_ISSUER)"
    )
    env = {**os.environ, "DJANGO_DEBUG": "1", **environ}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )


def test_settings_derive_the_defaults_from_another_province():
    result = _settings_of(PORTAL_PROVINCE="44")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "440000",
        "广东省司法厅",
        "粤司示〔{year}〕{seq}号",
        "广东省司法厅",
    ]


def test_settings_refuse_an_unknown_province():
    result = _settings_of(PORTAL_PROVINCE="990000")
    assert result.returncode != 0
    assert "PORTAL_PROVINCE" in result.stderr


def test_an_application_outside_the_configured_province_is_refused(guangdong, cycle):
    from applications.models import Application
    from applications.services import application_create
    from applications.workflow import TransitionError
    from tests.states import actor, nothing_moves

    county = Bureau.objects.get(code="440103")  # 广州市荔湾区
    head = _guangdong_county_head(county)
    with nothing_moves(), pytest.raises(TransitionError) as refused:
        application_create(cycle=cycle, county=county, by=head)
    (message,) = refused.value.messages
    assert county.name in message
    assert "黑龙江省" in message
    assert not Application.objects.filter(county=county).exists()
    # 黑龙江's own county still applies.
    harbin = Bureau.objects.get(code="230102")
    created = application_create(cycle=cycle, county=harbin, by=actor("county_head", bureau=harbin))
    assert created.county == harbin


def test_an_application_in_guangdong_when_it_is_configured(guangdong, cycle, settings):
    from applications.services import application_create
    from applications.workflow import TransitionError
    from tests.states import actor

    harbin = Bureau.objects.get(code="230102")
    harbin_head = actor("county_head", bureau=harbin)
    county = Bureau.objects.get(code="440103")
    head = _guangdong_county_head(county)
    settings.PORTAL_PROVINCE, settings.PORTAL_PROVINCE_NAME = "440000", "广东省"
    assert application_create(cycle=cycle, county=county, by=head).county == county
    with pytest.raises(TransitionError) as refused:
        application_create(cycle=cycle, county=harbin, by=harbin_head)
    (message,) = refused.value.messages
    assert harbin.name in message
    assert "广东省" in message


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.COUNTY_APPLICANT, "440103"),
        (Role.CITY_REVIEWER, "440100"),
        (Role.CAMPAIGN_OFFICE, "440000"),
    ],
)
def test_a_membership_outside_the_configured_province_is_refused(guangdong, role, code):
    from django.core.exceptions import ValidationError

    from organizations.models import Membership
    from organizations.services import membership_validate

    bureau = Bureau.objects.get(code=code)
    with pytest.raises(ValidationError) as refused:
        membership_validate(role=role, bureau=bureau, division=None)
    assert bureau.name in str(refused.value)
    assert "黑龙江省" in str(refused.value)
    user = UserFactory(username="outsider")
    before = Membership.objects.count()
    with pytest.raises(ValidationError):
        membership_grant(user=user, role=role, bureau=bureau, by=SystemActor.LOADER)
    assert Membership.objects.count() == before
    # The same role in 黑龙江 is accepted.
    home = Bureau.objects.get(
        code={"440103": "230102", "440100": "230100", "440000": "230000"}[code]
    )
    membership_validate(role=role, bureau=home, division=None)
