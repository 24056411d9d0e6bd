import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from core.actors import SystemActor
from organizations.enums import BureauLevel, Role
from organizations.models import Bureau, Division, Membership
from organizations.selectors import bureau_counts, bureaus_visible_to
from organizations.services import (
    bureau_create,
    bureau_set_active,
    membership_grant,
    membership_revoke,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_province_has_13_cities_and_121_counties():
    assert bureau_counts() == {"province": 1, "city": 13, "county": 121}
    province = Bureau.objects.get(level=BureauLevel.PROVINCE)
    assert province.name == "黑龙江省司法厅"
    assert province.children.count() == 13
    assert (
        Bureau.objects.filter(level=BureauLevel.COUNTY, parent__level=BureauLevel.CITY).count()
        == 121
    )


def test_bureau_names_keep_districts_apart():
    # Two cities of the province have a 向阳区.
    names = set(Bureau.objects.filter(region_name="向阳区").values_list("name", flat=True))
    assert names == {"鹤岗市向阳区司法局", "佳木斯市向阳区司法局"}
    assert Bureau.objects.get(code="230184").name == "五常市司法局"


def test_nine_provincial_divisions():
    assert list(Division.objects.values_list("name", flat=True)) == [
        "厅办公室",
        "厅组织宣传处",
        "厅计财装备处",
        "厅基层工作处",
        "厅公证管理处",
        "厅律师管理处",
        "厅法制宣传处",
        "厅法律援助工作处",
        "厅社区矫正工作处",
    ]


def test_loading_the_province_twice_changes_nothing():
    before = list(Bureau.objects.values_list("code", "name", "parent_id"))
    call_command("load_province", stdout=io.StringIO())
    assert list(Bureau.objects.values_list("code", "name", "parent_id")) == before


def test_administrator_adds_a_development_zone_bureau():
    city = Bureau.objects.get(code="230100")
    bureau = bureau_create(
        code="230171",
        region_name="哈尔滨经济技术开发区",
        level=BureauLevel.COUNTY,
        parent=city,
        by=SystemActor.LOADER,
    )
    assert bureau.name == "哈尔滨经济技术开发区司法局"
    assert bureau.in_gbt2260 is False
    assert bureau_counts()["county"] == 122


def test_a_county_cannot_hang_under_the_province():
    province = Bureau.objects.get(code="230000")
    with pytest.raises(ValidationError) as error:
        bureau_create(
            code="239999",
            region_name="某区",
            level=BureauLevel.COUNTY,
            parent=province,
            by=SystemActor.LOADER,
        )
    assert "parent" in error.value.message_dict
    assert not Bureau.objects.filter(code="239999").exists()


def test_deactivated_bureau_is_kept_but_not_counted():
    bureau = Bureau.objects.get(code="230102")
    bureau_set_active(bureau=bureau, active=False, by=SystemActor.LOADER)
    assert Bureau.objects.filter(code="230102", is_active=False).exists()
    assert bureau_counts()["county"] == 120


def test_bureaus_cannot_be_deleted_while_referenced():
    with pytest.raises(IntegrityError), transaction.atomic():
        Bureau.objects.get(code="230100").delete()


@pytest.mark.parametrize(
    ("role", "anchor", "ok"),
    [
        (Role.COUNTY_APPLICANT, "230102", True),
        (Role.COUNTY_APPLICANT, "230100", False),
        (Role.CITY_REVIEWER, "230100", True),
        (Role.CITY_REVIEWER, "230102", False),
        (Role.CAMPAIGN_OFFICE, "230000", True),
        (Role.CAMPAIGN_OFFICE, "230100", False),
        (Role.EVALUATOR, "notary", True),
        (Role.EVALUATOR, "230000", False),
        (Role.SYSTEM_ADMIN, "", True),
        (Role.SYSTEM_ADMIN, "230000", False),
    ],
)
def test_membership_anchor_must_fit_the_role(role, anchor, ok):
    user = UserFactory()
    bureau = Bureau.objects.filter(code=anchor).first()
    division = Division.objects.filter(code=anchor).first()
    if ok:
        membership = membership_grant(
            user=user, role=role, bureau=bureau, division=division, by=SystemActor.LOADER
        )
        assert Membership.objects.filter(pk=membership.pk, role=role).exists()
    else:
        with pytest.raises(ValidationError):
            membership_grant(
                user=user, role=role, bureau=bureau, division=division, by=SystemActor.LOADER
            )
        assert not Membership.objects.filter(user=user).exists()


def test_granting_twice_keeps_one_membership():
    user = UserFactory()
    bureau = Bureau.objects.get(code="230102")
    membership_grant(user=user, role=Role.COUNTY_HEAD, bureau=bureau, by=SystemActor.LOADER)
    membership_grant(user=user, role=Role.COUNTY_HEAD, bureau=bureau, by=SystemActor.LOADER)
    assert Membership.objects.filter(user=user).count() == 1


def test_staff_roles_get_their_group_and_lose_it_on_revoke():
    user = UserFactory()
    membership = membership_grant(
        user=user,
        role=Role.CAMPAIGN_OFFICE,
        bureau=Bureau.objects.get(code="230000"),
        by=SystemActor.LOADER,
    )
    user.refresh_from_db()
    assert user.is_staff
    assert user.has_perm("standards.change_item")
    assert not user.has_perm("organizations.change_user")
    membership_revoke(membership=membership, by=SystemActor.LOADER)
    user = type(user).objects.get(pk=user.pk)
    assert not user.is_staff
    assert not user.groups.exists()
    assert not user.has_perm("standards.change_item")


def test_constraint_refuses_an_evaluator_without_division():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.EVALUATOR)


def test_visibility_of_bureaus_follows_the_hierarchy(cast):
    county = set(bureaus_visible_to(user=cast.county_a_applicant).values_list("code", flat=True))
    assert county == {"230102"}
    city = set(bureaus_visible_to(user=cast.city_a_reviewer).values_list("code", flat=True))
    assert "230100" in city
    assert "230102" in city
    assert "230202" not in city
    assert len(city) == 1 + Bureau.objects.filter(parent__code="230100").count()
    assert bureaus_visible_to(user=cast.office).count() == 135
    assert bureaus_visible_to(user=cast.nobody).count() == 0
