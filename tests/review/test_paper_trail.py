"""The paper trail the city needs: the county's stamped, signed form (盖章申报表扫描件), allowed
after submission until the city forwards and required to forward; the cover letter's number."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.enums import ApplicationState
from applications.models import Evidence
from applications.services import evidence_add
from applications.workflow import TransitionError
from review.models import ForwardingBatch
from review.services import forwarding_batch_create
from tests.applications.files import PDF
from tests.states import nothing_moves, reach

pytestmark = pytest.mark.django_db
S = ApplicationState


def _upload(client, application, name="盖章申报表.pdf"):
    return client.post(
        reverse("applications:evidence_upload", args=[application.pk]),
        {"file": SimpleUploadedFile(name, PDF)},
    )


def _scans(application):
    return list(
        application.evidence.filter(item__isnull=True).values_list("original_name", flat=True)
    )


@pytest.mark.parametrize("state", [S.SUBMITTED, S.CITY_APPROVED, S.SIGNED_OFF])
def test_the_county_uploads_its_stamped_form_after_submission(
    client, cast, complete_application, state
):
    application = reach(complete_application, state)
    client.force_login(cast.county_a_head)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'id="file-form"' in page
    assert _upload(client, application).status_code == 302
    assert _scans(application) == ["盖章申报表.pdf"]


@pytest.mark.parametrize("state", [S.FORWARDED, S.WRITTEN_PASSED, S.WITHDRAWN, S.NOT_RECOMMENDED])
def test_no_scan_is_asked_for_once_it_is_no_longer_wanted(
    client, cast, complete_application, state
):
    application = reach(complete_application, state)
    client.force_login(cast.county_a_head)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'id="file-form"' not in page
    assert "盖章签字后扫描上传" not in page
    assert "尚未上传扫描件" not in page
    with nothing_moves():
        assert _upload(client, application, "迟到.pdf").status_code == 403
    with nothing_moves(), pytest.raises(PermissionDenied):
        evidence_add(
            application=application,
            item=None,
            upload=SimpleUploadedFile("迟到.pdf", PDF),
            by=cast.county_a_head,
        )


def test_the_city_does_not_upload_the_countys_form(client, cast, complete_application):
    application = reach(complete_application, S.SUBMITTED)
    client.force_login(cast.city_a_reviewer)
    with nothing_moves():
        assert _upload(client, application).status_code == 403


def test_the_city_cannot_forward_without_the_stamped_form(cast, complete_application):
    # Signed off by the Party meeting; the county never uploaded its stamped form.
    application = reach(complete_application, S.SIGNED_OFF)
    assert not Evidence.objects.filter(application=application, item__isnull=True).exists()
    with nothing_moves(), pytest.raises(TransitionError) as error:
        forwarding_batch_create(
            cycle=application.cycle,
            city=application.county.parent,
            by=cast.city_a_head,
            applications=[application],
            letter_number="哈司呈〔2026〕3号",
        )
    assert error.value.messages == [
        "哈尔滨市道里区司法局尚未上传盖章签字的申报表扫描件，上报前须上传。"
    ]


def test_the_cover_letters_number_is_required(client, cast, complete_application):
    application = reach(complete_application, S.SIGNED_OFF)
    with nothing_moves(), pytest.raises(ValidationError) as error:
        forwarding_batch_create(
            cycle=application.cycle,
            city=application.county.parent,
            by=cast.city_a_head,
            applications=[application],
            letter_number="  ",
        )
    assert error.value.message_dict == {"letter_number": ["请填写上报函文号。"]}
    client.force_login(cast.city_a_head)
    with nothing_moves():
        response = client.post(
            reverse("review:forward"),
            {"letter_number": " ", "applications": [str(application.pk)]},
        )
    assert response.status_code == 400
    assert "请填写上报函文号。" in response.content.decode()
    assert not ForwardingBatch.objects.exists()
