"""Designation services: numbering, granting once, publishing, certificate batches."""

import io
import re
import threading
from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from applications.enums import ApplicationState
from audit.enums import AuditAction
from audit.models import AuditEntry
from core.storage import private_exists, private_names, private_read
from designations.batches import (
    certificate_batch_begin,
    certificate_batch_page_store,
    certificate_batch_render,
    certificate_batch_start,
)
from designations.enums import DesignationAction, Reward
from designations.models import (
    CertificateBatch,
    CertificatePage,
    Designation,
    DesignationEvent,
    Publication,
)
from designations.services import designation_grant, designation_number_next, publication_publish
from organizations.models import Bureau
from tests.documents import text_of
from tests.states import stored_copy

from .factories import designated, noticed_application, registered

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
    application = noticed_application(cycle, cast.office, "230102")
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
    application = noticed_application(cycle, cast.office, "230102")
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
    application = noticed_application(cycle, cast.office, "230102")
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
    application = noticed_application(cycle, cast.office, "230102")
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
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        certificate_batch_start(cycle=cycle, by=cast.evaluator_publicity)
    assert not CertificateBatch.objects.exists()
    assert AuditEntry.objects.count() == before


def test_certificate_batch_start_is_recorded_once(cast, cycle):
    since = AuditEntry.objects.latest("id").pk
    batch = certificate_batch_start(cycle=cycle, by=cast.office, ip="203.0.113.10")
    [entry] = AuditEntry.objects.filter(pk__gt=since)
    assert (entry.action, entry.actor, entry.ip, entry.outcome) == (
        AuditAction.CERTIFICATE_BATCH_START,
        cast.office,
        "203.0.113.10",
        "ok",
    )
    assert (entry.object_type, entry.object_id) == ("designations.certificatebatch", str(batch.pk))
    assert entry.details == {"cycle": cycle.year}


def _blank_pdf(_designation=None) -> bytes:
    """A one-page PDF, for the tests where what is on the page does not matter."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=842, height=595)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _numbers_in(batch: CertificateBatch) -> list[str]:
    """The designation numbers in the batch's file, in the order they appear."""
    with stored_copy(batch.stored_name) as path:
        text = text_of(path)
    return re.findall(r"黑司示〔\d{4}〕\d+号", text)


@override_settings(CERTIFICATE_BATCH_MAX_ATTEMPTS=2)
def test_a_batch_whose_rendering_raises_waits_and_fails_at_the_last_attempt(cast, cycle):
    designated(cycle, cast.office)
    batch = certificate_batch_start(cycle=cycle, by=cast.office)
    assert batch.state == B.PENDING
    broken = mock.patch("designations.batches.certificate_page_pdf", side_effect=OSError("disk"))
    with broken, pytest.raises(OSError, match="disk"):
        certificate_batch_render(batch_id=batch.pk)
    batch.refresh_from_db()
    # Back in line for the sweep, with the reason; not failed yet.
    assert (batch.state, batch.total, batch.attempts) == (B.PENDING, 1, 1)
    assert "OSError: disk" in batch.failure_reason
    assert batch.finished_at is None
    with broken, pytest.raises(OSError, match="disk"):
        certificate_batch_render(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.attempts) == (B.FAILED, 2)
    assert "OSError: disk" in batch.failure_reason
    assert "2" in batch.failure_reason
    assert batch.finished_at is not None
    # A failed batch is not rendered again by a late retry.
    assert certificate_batch_render(batch_id=batch.pk) is None
    assert not batch.pages.exclude(stored_name="").exists()


def test_a_batch_renders_once(cast, cycle, django_capture_on_commit_callbacks):
    designated(cycle, cast.office)
    batch = certificate_batch_start(cycle=cycle, by=cast.office)
    with (
        mock.patch("designations.batches.certificate_page_pdf", side_effect=_blank_pdf) as render,
        django_capture_on_commit_callbacks(execute=True),
    ):
        done = certificate_batch_render(batch_id=batch.pk)
        assert certificate_batch_render(batch_id=batch.pk) is None
    assert render.call_count == 1
    batch.refresh_from_db()
    assert (done.state, batch.state, batch.done, batch.attempts) == (B.DONE, B.DONE, 1, 1)
    assert len(batch.stored_name) == 40
    assert private_read(batch.stored_name).startswith(b"%PDF")
    assert batch.finished_at <= timezone.now()
    # The page files were joined and removed; the rows stay as the record.
    page = batch.pages.get()
    assert page.rendered_at is not None
    assert not private_exists(page.stored_name)


def test_a_resumed_batch_renders_only_the_missing_certificates_once_each(cast, cycle):
    from designations.documents import certificate_page_pdf

    designations = [designated(cycle, cast.office, code=code) for code in ("230202", "230102")]
    designations.append(designated(cycle, cast.office, code="230103"))
    batch = certificate_batch_start(cycle=cycle, by=cast.office)
    rendered: list[str] = []

    def lost_on_the_second(designation):
        if len(rendered) == 1:
            raise OSError("worker lost")
        rendered.append(designation.number)
        return certificate_page_pdf(designation)

    with (
        mock.patch("designations.batches.certificate_page_pdf", side_effect=lost_on_the_second),
        pytest.raises(OSError, match="worker lost"),
    ):
        certificate_batch_render(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.total) == (B.PENDING, 1, 3)
    first_page = batch.pages.get(position=1)

    def counting(designation):
        rendered.append(designation.number)
        return certificate_page_pdf(designation)

    with mock.patch("designations.batches.certificate_page_pdf", side_effect=counting):
        certificate_batch_render(batch_id=batch.pk)
    batch.refresh_from_db()
    # By the bureaus' codes: 230102 道里区, 230103 南岗区, 230202 龙沙区.
    in_order = [
        Designation.objects.get(bureau__code=code).number for code in ("230102", "230103", "230202")
    ]
    assert rendered == in_order  # the first once, before the loss; the others after
    assert (batch.state, batch.done, batch.attempts) == (B.DONE, 3, 2)
    assert batch.pages.get(position=1).rendered_at == first_page.rendered_at
    assert _numbers_in(batch) == in_order


def test_the_certificates_of_a_batch_are_fixed_when_it_first_begins(cast, cycle):
    designated(cycle, cast.office, code="230102")
    batch = certificate_batch_start(cycle=cycle, by=cast.office)
    certificate_batch_begin(batch_id=batch.pk)  # the worker is lost before the first page
    late = designated(cycle, cast.office, code="230103")
    with mock.patch("designations.batches.certificate_page_pdf", side_effect=_blank_pdf) as render:
        certificate_batch_render(batch_id=batch.pk)
    batch.refresh_from_db()
    assert render.call_count == 1
    assert late.pk not in set(batch.pages.values_list("designation", flat=True))
    assert (batch.state, batch.total, batch.done) == (B.DONE, 1, 1)


def test_a_page_stored_twice_keeps_the_first_file(cast, cycle):
    designated(cycle, cast.office)
    batch = certificate_batch_begin(
        batch_id=certificate_batch_start(cycle=cycle, by=cast.office).pk
    )
    page = batch.pages.get()
    assert certificate_batch_page_store(batch=batch, page=page, content=_blank_pdf())
    first = CertificatePage.objects.get(pk=page.pk).stored_name
    files = private_names()
    # A second worker on the same batch (a re-delivery) stored the same page again.
    assert certificate_batch_page_store(batch=batch, page=page, content=_blank_pdf())
    page.refresh_from_db()
    assert page.stored_name == first
    assert private_names() == files  # the second file was removed
    assert private_exists(first)
    batch.refresh_from_db()
    assert batch.done == 1


def test_historical_entries_are_the_offices(cast):
    with pytest.raises(PermissionDenied):
        registered(cast.city_a_head, "230302", "黑司示〔2023〕1号", date(2023, 1, 5))
    assert not Designation.objects.exists()
    assert not Publication.objects.exists()
    assert Bureau.objects.get(code="230302").designations.count() == 0
