"""The office's assignment list: searched by county, filtered by city."""

import re

import pytest
from django.urls import reverse

from applications.enums import ApplicationState as S
from applications.services import application_create
from organizations.enums import Role
from organizations.models import Bureau
from tests.states import actor, reach

pytestmark = pytest.mark.django_db


def _rows(body: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)</th>', body)


def test_assignments_search_and_city_filter(client, cast, cycle):
    counties = [*Bureau.objects.filter(parent__code="230100").order_by("code")[:2]]
    counties.append(Bureau.objects.get(code="230202"))
    for county in counties:
        reach(
            application_create(
                cycle=cycle, county=county, by=actor(Role.COUNTY_HEAD, bureau=county)
            ),
            S.FORWARDED,
        )
    client.force_login(cast.office)
    url = reverse("evaluation:assignments")
    body = client.get(url).content.decode()
    assert _rows(body) == [c.name for c in counties]
    assert "共 3 份申报" in body
    assert _rows(client.get(url, {"q": "龙沙"}).content.decode()) == ["齐齐哈尔市龙沙区司法局"]
    assert _rows(client.get(url, {"q": counties[1].code}).content.decode()) == [counties[1].name]
    harbin = Bureau.objects.get(code="230100")
    assert _rows(client.get(url, {"city": harbin.pk}).content.decode()) == [
        c.name for c in counties[:2]
    ]
    response = client.get(url, {"city": "0"})
    assert response.status_code == 400
    assert _rows(response.content.decode()) == []
