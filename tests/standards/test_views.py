"""Browsing the criteria by section, with indicators and veto items marked."""

import pytest
from django.urls import reverse

from standards.models import CriteriaVersion
from standards.services import criteria_version_clone

pytestmark = pytest.mark.django_db


@pytest.fixture
def version() -> CriteriaVersion:
    return CriteriaVersion.objects.get(name="2017年试行版")


def test_list_shows_the_versions_counts(client, cast, version):
    client.force_login(cast.county_a_applicant)
    body = client.get(reverse("standards:version_list")).content.decode()
    assert reverse("standards:version_detail", args=[version.pk]) in body
    assert "<td>59</td>" in body
    assert "<td>35</td>" in body
    assert "<td>11</td>" in body


def test_detail_shows_every_section_item_indicator_and_veto_mark(client, cast, version):
    client.force_login(cast.city_a_reviewer)
    body = client.get(reverse("standards:version_detail", args=[version.pk])).content.decode()
    for number in range(1, 8):
        assert f'id="section-{number}"' in body
    assert body.count('<article class="card mb-2"') == 59
    # Eleven veto items, plus the badge in the legend above them.
    assert body.count('<span class="badge badge-veto">一票否决</span>') == 11 + 1
    assert "达到70%以上" in body
    assert "刑满释放人员衔接率" in body
    assert "本创建年度全省数值" in body  # 6.4: the provincial average of the cycle
    assert "负责厅处室：厅法制宣传处" in body


def test_criteria_need_a_login(client, version):
    response = client.get(reverse("standards:version_detail", args=[version.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_version_is_404(client, cast):
    client.force_login(cast.office)
    assert client.get(reverse("standards:version_detail", args=[999999])).status_code == 404


VERSION_LIST_QUERIES = 9  # with the device of the session's second factor
VERSION_DETAIL_QUERIES = 13  # with the device of the session's second factor


@pytest.mark.parametrize("clones", [0, 5])
def test_list_query_count_is_literal(client, cast, version, clones, django_assert_num_queries):
    for year in range(2018, 2018 + clones):
        criteria_version_clone(version=version, name=f"{year}年版", year=year)
    client.force_login(cast.office)
    with django_assert_num_queries(VERSION_LIST_QUERIES):
        body = client.get(reverse("standards:version_list")).content.decode()
    assert body.count("<td>59</td>") == clones + 1


def test_detail_query_count_is_fixed(client, cast, version, django_assert_num_queries):
    client.force_login(cast.office)
    with django_assert_num_queries(VERSION_DETAIL_QUERIES):
        client.get(reverse("standards:version_detail", args=[version.pk]))
