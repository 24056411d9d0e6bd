"""Designation services: numbering, granting once, publishing, certificate batches."""

import threading
from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from applications.enums import ApplicationState
from designations.enums import DesignationAction, Reward
from designations.models import CertificateBatch, Designation, DesignationEvent, Publication
from designations.services import (
    certificate_batch_render,
    certificate_batch_start,
    designation_grant,
    designation_number_next,
    publication_publish,
)
from organizations.models import Bureau

from .factories import approved_application, designated, registered

pytestmark = pytest.mark.django_db
B = CertificateBatch.State


def test_a_number_from_the_paper_register_is_skipped(cast, cycle):
    # 〔2027〕2号 was entered from the paper register: the year's count is 1, the next free 3.
    registered(cast.office, "230302", "黑司示〔2027〕2号", date(2027, 1, 5))
    assert designation_number_next(year=2027) == "黑司示〔2027〕3号"
    first = designated(cycle, cast.office, code="230102", on=date(2027, 3, 1))
    second = designated(cycle, cast.office, code="230202", on=date(2027, 3, 1))
    assert (first.number, second.number) == ("黑司示〔2027〕3号", "黑司示〔2027〕4号")


def test_numbers_taken_further_on_are_skipped_too(cast, cycle):
    registered(cast.office, "230302", "黑司示〔2027〕1号", date(2027, 1, 5))
    registered(cast.office, "230402", "黑司示〔2027〕3号", date(2027, 1, 5))
    registered(cast.office, "230203", "黑司示〔2027〕4号", date(2027, 1, 5), "黑司通〔2023〕19号")
    assert designation_number_next(year=2027) == "黑司示〔2027〕5号"
    assert designation_number_next(year=2027, skip={"黑司示〔2027〕5号"}) == "黑司示〔2027〕6号"


def test_a_number_taken_between_look_up_and_insert_is_retried_with_the_next(cast, cycle):
    application = approved_application(cycle, cast.office, "230102")
    registered(cast.office, "230302", "黑司示〔2026〕1号", date(2025, 12, 30))
    real = designation_number_next
    looked_up = []

    def stale(*, year, skip=()):
        # The first look-up misses the number the register entry took (as a concurrent
        # grant's would be missed): the insert fails and the retry takes the next one.
        looked_up.append(set(skip))
        return "黑司示〔2026〕1号" if len(looked_up) == 1 else real(year=year, skip=skip)

    with mock.patch("designations.services.designation_number_next", side_effect=stale):
        designation = designation_grant(
            application=application,
            by=cast.office,
            designated_on=date(2026, 12, 1),
            reward=Reward.COLLECTIVE,
        )
    assert designation.number == "黑司示〔2026〕2号"
    assert looked_up == [set(), {"黑司示〔2026〕1号"}]


def test_granting_the_same_application_twice_says_it_is_designated(cast, cycle):
    application = approved_application(cycle, cast.office, "230102")
    designation_grant(
        application=application,
        by=cast.office,
        designated_on=date(2026, 12, 1),
        reward=Reward.COLLECTIVE,
    )
    with pytest.raises(ValidationError) as error:
        designation_grant(
            application=application,  # the caller's copy still says "approved"
            by=cast.office,
            designated_on=date(2026, 12, 1),
            reward=Reward.COLLECTIVE,
        )
    assert "已凭该申报获得命名" in error.value.messages[0]
    assert Designation.objects.filter(application=application).count() == 1
    assert DesignationEvent.objects.filter(action=DesignationAction.GRANT).count() == 1
    application.refresh_from_db()
    assert application.state == ApplicationState.DESIGNATED


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_grants_of_one_application_give_one_designation(cast, cycle):
    application = approved_application(cycle, cast.office, "230102")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def grant() -> None:
        try:
            barrier.wait(timeout=10)
            designation_grant(
                application=application,
                by=cast.office,
                designated_on=date(2026, 12, 1),
                reward=Reward.COLLECTIVE,
            )
            outcomes.append("granted")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=grant) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcome == "granted" for outcome in outcomes) == [False, True]
    [refused] = [outcome for outcome in outcomes if outcome != "granted"]
    assert "已凭该申报获得命名" in refused
    assert Designation.objects.filter(application=application).count() == 1


def test_only_the_office_designates(cast, cycle):
    application = approved_application(cycle, cast.office, "230102")
    with pytest.raises(PermissionDenied):
        designation_grant(
            application=application,
            by=cast.city_a_head,
            designated_on=date(2026, 12, 1),
            reward=Reward.COLLECTIVE,
        )
    assert not Designation.objects.exists()
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED


def test_an_application_not_approved_is_not_designated(cast, application):
    with pytest.raises(ValidationError):
        designation_grant(
            application=application,
            by=cast.office,
            designated_on=date(2026, 12, 1),
            reward=Reward.COLLECTIVE,
        )
    assert not Designation.objects.exists()


def test_publishing_is_the_offices_and_once(cast, cycle):
    designation = designated(cycle, cast.office)
    with pytest.raises(PermissionDenied):
        publication_publish(
            cycle=cycle,
            by=cast.sysadmin,
            document_number="1号",
            published_on=date(2026, 12, 5),
            designations=[designation],
        )
    assert not Publication.objects.exists()
    first = publication_publish(
        cycle=cycle,
        by=cast.office,
        document_number="1号",
        published_on=date(2026, 12, 5),
        designations=[designation],
    )
    with pytest.raises(ValidationError):
        publication_publish(
            cycle=cycle,
            by=cast.office,
            document_number="2号",
            published_on=date(2026, 12, 6),
            designations=[designation],
        )
    designation.refresh_from_db()
    assert designation.publication == first
    assert Publication.objects.count() == 1


def test_certificate_batch_start_is_the_offices(cast, cycle):
    with pytest.raises(PermissionDenied):
        certificate_batch_start(cycle=cycle, by=cast.evaluator_publicity)
    assert not CertificateBatch.objects.exists()


def test_a_batch_that_fails_is_marked_failed_and_raises(
    cast, cycle, django_capture_on_commit_callbacks
):
    designated(cycle, cast.office)
    batch = certificate_batch_start(cycle=cycle, by=cast.office)
    assert batch.state == B.PENDING
    with (
        mock.patch("designations.documents.certificates_store", side_effect=OSError("disk")),
        pytest.raises(OSError, match="disk"),
    ):
        certificate_batch_render(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.total) == (B.FAILED, 1)
    assert batch.finished_at is not None
    # A failed batch is not rendered again by a late retry.
    assert certificate_batch_render(batch_id=batch.pk) is None


def test_a_batch_renders_once(cast, cycle):
    designated(cycle, cast.office)
    batch = certificate_batch_start(cycle=cycle, by=cast.office)
    with mock.patch("designations.documents.certificates_store", return_value="f" * 40) as store:
        done = certificate_batch_render(batch_id=batch.pk)
        assert certificate_batch_render(batch_id=batch.pk) is None
    assert store.call_count == 1
    batch.refresh_from_db()
    assert (done.state, batch.state, batch.stored_name) == (B.DONE, B.DONE, "f" * 40)
    assert batch.finished_at <= timezone.now()


def test_historical_entries_are_the_offices(cast):
    with pytest.raises(PermissionDenied):
        registered(cast.city_a_head, "230302", "黑司示〔2023〕1号", date(2023, 1, 5))
    assert not Designation.objects.exists()
    assert not Publication.objects.exists()
    assert Bureau.objects.get(code="230302").designations.count() == 0
