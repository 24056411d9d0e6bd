"""The office's dashboard flags the re-inspections and rectifications that are overdue."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from designations.jobs import reinspection_jobs
from designations.services import designation_record_historical
from organizations.models import Bureau
from tests.reinspections.factories import round_rectify
from tests.states import office

pytestmark = pytest.mark.django_db


def _listed(body: str, heading: str) -> list[str]:
    section = body.split(f'<h2 class="h6">{heading}</h2>', 1)[1].split("</section>", 1)[0]
    return re.findall(r"<li>(.*?)</li>", section)


def test_overdue_reinspections_and_rectifications_are_flagged(client, cast):
    today = timezone.localdate()
    three_years_ago = today.replace(year=today.year - 3)
    overdue = designation_record_historical(
        bureau=Bureau.objects.get(code="230104"),
        number="HLJ-2020-011",
        designated_on=three_years_ago - datetime.timedelta(days=20),
        document_number="黑司〔2020〕11号",
        published_on=three_years_ago - datetime.timedelta(days=20),
        by=office(),
    )
    designation_record_historical(
        bureau=Bureau.objects.get(code="230108"),
        number="HLJ-2020-012",
        designated_on=three_years_ago + datetime.timedelta(days=40),
        document_number="黑司〔2020〕11号",
        published_on=three_years_ago,
        by=office(),
    )
    reinspection_jobs(today=today)
    client.force_login(cast.office)
    body = client.get(reverse("designations:dashboard")).content.decode()
    listed = _listed(body, "逾期或今后六个月内到期的复检")
    assert len(listed) == 2
    assert "哈尔滨市道外区司法局" in listed[0]
    assert "逾期" in listed[0]
    assert "哈尔滨市平房区司法局" in listed[1]
    assert "逾期" not in listed[1]

    round_rectify(
        overdue,
        by=office(),
        deadline=today + datetime.timedelta(days=10),
        requirements=["落实普法责任制"],
    )
    body = client.get(reverse("designations:dashboard")).content.decode()
    assert "逾期" not in _listed(body, "整改期限")[0]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=11)):
        client.force_login(cast.office)
        body = client.get(reverse("designations:dashboard")).content.decode()
    assert "逾期" in _listed(body, "整改期限")[0]
