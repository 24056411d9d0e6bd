"""The quota has one definition, and both pages that show it show the same places left."""

import re
from datetime import date

import pytest
from django.urls import reverse

from applications.enums import ApplicationState
from applications.services import application_create
from designations.selectors import quota_overview
from designations.services import designation_record_historical
from evaluation.quota import quota_for, quota_target
from organizations.models import Bureau
from tests.states import actor, reach

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("counties", "ratio", "target"), [(121, "0.10", 13), (120, "0.10", 12), (1, "0.10", 1)]
)
def test_the_target_is_the_share_rounded_up(counties, ratio, target):
    assert quota_target(counties, ratio) == target


def _places_left(html: str) -> int:
    match = re.search(r"剩余名额</dt><dd[^>]*>(\d+)</dd>", html)
    assert match, html
    return int(match.group(1))


def test_places_left_counts_titles_held_and_approvals_not_yet_designated(client, cast, cycle):
    designation_record_historical(
        bureau=Bureau.objects.get(code="230302"),
        number="黑司示〔2023〕1号",
        designated_on=date(2023, 1, 10),
        document_number="黑司通〔2023〕18号",
        published_on=date(2023, 1, 10),
        by=cast.office,
    )
    county = Bureau.objects.get(code="230104")
    reach(
        application_create(cycle=cycle, county=county, by=actor("county_head", bureau=county)),
        ApplicationState.APPROVED,
    )
    quota = quota_for(cycle)
    assert (quota.counties, quota.target, quota.held, quota.approved) == (121, 13, 1, 1)
    assert quota.places_left == 11
    assert quota_overview().places_left == 11

    client.force_login(cast.office)
    assert _places_left(client.get(reverse("evaluation:decisions")).content.decode()) == 11
    assert _places_left(client.get(reverse("designations:quota")).content.decode()) == 11
