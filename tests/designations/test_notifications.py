"""The county hears of its title: publication (with the number and the certificate on its own
page), and later the re-inspection, the rectification and the revocation."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from designations.enums import DesignationState, RevocationGround
from designations.jobs import reinspection_jobs
from designations.models import DesignationEvent
from designations.services import (
    designation_revoke,
    publication_publish,
)
from organizations.models import Notification
from reinspections.rectifications import rectification_conclude, rectification_running
from tests.reinspections.factories import round_rectify

from .factories import DUE_ON, at_state, designated

pytestmark = pytest.mark.django_db


def _county(cast):
    return {cast.county_a_applicant, cast.county_a_head}


def _published(cycle, cast):
    designation = designated(cycle, cast.office)
    publication = publication_publish(
        cycle=cycle,
        by=cast.office,
        document_number="黑司通〔2026〕30号",
        published_on=date(2026, 12, 5),
        designations=[designation],
    )
    designation.refresh_from_db()
    return designation, publication


def test_the_county_hears_of_its_publication(cast, cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        designation, publication = _published(cycle, cast)
    inbox = Notification.objects.filter(key=f"publication:{publication.pk}:{designation.pk}")
    assert {n.user for n in inbox} == _county(cast)
    message = inbox.first()
    assert designation.number in message.body
    assert "黑司通〔2026〕30号" in message.body
    assert message.url == f"/applications/{designation.application_id}/"
    mails = [m for m in mail.outbox if "已通报命名为示范司法局" in m.subject]
    assert {m.to[0] for m in mails} == {u.email for u in _county(cast)}
    assert not Notification.objects.filter(
        user__in=[cast.county_b_applicant, cast.county_a2_applicant]
    ).exists()


def test_the_county_downloads_its_certificate_from_its_own_page(client, cast, cycle):
    designation, _publication = _published(cycle, cast)
    client.force_login(cast.county_a_head)
    page = client.get(reverse("applications:detail", args=[designation.application_id]))
    body = page.content.decode()
    assert designation.number in body
    url = reverse("designations:certificate", args=[designation.pk])
    assert f'href="{url}"' in body
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # Another county's user: not found; a city reviewer: not theirs to download.
    client.force_login(cast.county_b_applicant)
    assert client.get(url).status_code == 404
    client.force_login(cast.city_a_reviewer)
    assert client.get(url).status_code == 403


def test_no_certificate_for_the_county_before_publication(client, cast, cycle):
    designation = designated(cycle, cast.office)
    client.force_login(cast.county_a_head)
    url = reverse("designations:certificate", args=[designation.pk])
    assert client.get(url).status_code == 404
    page = client.get(reverse("applications:detail", args=[designation.application_id]))
    assert url not in page.content.decode()


def test_the_county_hears_of_the_reinspection_and_the_rectification(cast):
    designation = at_state(cast.office, DesignationState.ACTIVE)
    reinspection_jobs(today=DUE_ON)
    due = DesignationEvent.objects.filter(designation=designation).latest("id")
    message = Notification.objects.get(key=f"designation-event:{due.pk}", user=cast.county_a_head)
    assert "待复检" in message.subject
    deadline = timezone.localdate() + timedelta(days=60)
    designation.refresh_from_db()
    round_rectify(designation, by=cast.office, deadline=deadline, requirements=["落实普法责任制"])
    ordered = DesignationEvent.objects.filter(designation=designation).latest("id")
    message = Notification.objects.get(
        key=f"designation-event:{ordered.pk}", user=cast.county_a_head
    )
    assert deadline.strftime("%Y-%m-%d") in message.body
    assert "工作滑坡" in message.body
    designation.refresh_from_db()
    # Nothing reported by the deadline: the office concludes the day after, and revokes.
    rectification = rectification_running(designation)
    rectification_conclude(
        rectification=rectification,
        by=cast.office,
        decision="黑司发〔2026〕2号",
        now=timezone.make_aware(datetime.combine(deadline + timedelta(days=1), time(9))),
    )
    revoked = DesignationEvent.objects.filter(designation=designation).latest("id")
    assert {
        n.user for n in Notification.objects.filter(key=f"designation-event:{revoked.pk}")
    } == _county(cast)


def test_the_county_hears_of_an_immediate_revocation(cast, django_capture_on_commit_callbacks):
    designation = at_state(cast.office, DesignationState.ACTIVE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        designation_revoke(
            designation=designation,
            by=cast.office,
            ground=RevocationGround.VIOLATION,
            decision="黑司发〔2026〕1号",
            revoked_on=DUE_ON,
            plaque_removed_on=DUE_ON,
            note="违法违纪并造成不良社会影响",
        )
    event = DesignationEvent.objects.filter(designation=designation).latest("id")
    inbox = Notification.objects.filter(key=f"designation-event:{event.pk}")
    assert {n.user for n in inbox} == _county(cast)
    assert "违法违纪并造成不良社会影响" in inbox.first().body
    assert {m.to[0] for m in mail.outbox} == {u.email for u in _county(cast)}
