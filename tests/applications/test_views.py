"""The county-side pages: permissions, autosave, indicator checks, submission, PDF, lists."""

import re
import shutil

import pytest
from django.urls import reverse

from applications.enums import Action, ApplicationState
from applications.forms import SubmitForm
from applications.models import Application, ApplicationEvent, IndicatorFigure, SelfAssessment
from applications.workflow import application_transition
from portal.demo import application_fill_example
from standards.models import Indicator, Item
from tests.documents import assert_fonts_embedded, text_of
from tests.states import nothing_moves

from .helpers import PATHS, fire, prepare

pytestmark = pytest.mark.django_db


def _views(application):
    item = Item.objects.get(section__version=application.cycle.criteria_version, code="5.6")
    indicator = Indicator.objects.get(item=item)
    pk = application.pk
    return {
        "detail": ("get", reverse("applications:detail", args=[pk])),
        "form": ("get", reverse("applications:form", args=[pk])),
        "section": ("get", reverse("applications:section", args=[pk, 5])),
        "completeness": ("get", reverse("applications:completeness", args=[pk])),
        "pdf": ("get", reverse("applications:pdf", args=[pk])),
        "assessment": ("post", reverse("applications:assessment", args=[pk, item.pk])),
        "figure": ("post", reverse("applications:figure", args=[pk, indicator.pk])),
        "withdraw": ("post", reverse("applications:withdraw", args=[pk])),
        "submit": ("get", reverse("applications:submit", args=[pk])),
    }


READ_VIEWS = ("detail", "form", "section", "completeness")


@pytest.mark.parametrize("view", READ_VIEWS)
def test_draft_is_the_countys_own(client, cast, application, view):
    method, url = _views(application)[view]
    expected = {
        "county_a_applicant": 200,
        "county_a_head": 200,
        "county_a2_applicant": 404,  # same city, other county
        "county_b_applicant": 404,  # other city
        "city_a_reviewer": 404,  # a draft stays with the county
        "city_b_reviewer": 404,
        "office": 404,
        "evaluator_publicity": 404,
        "sysadmin": 404,
    }
    with nothing_moves():
        for who, status in expected.items():
            client.force_login(getattr(cast, who))
            assert getattr(client, method)(url).status_code == status, who
        client.logout()
        response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("view", READ_VIEWS)
def test_submitted_application_is_seen_by_its_city_only(client, cast, complete_application, view):
    application_transition(
        application=complete_application, action=Action.SUBMIT, by=cast.county_a_head,
        pledge=True, acknowledged=True,
    )  # fmt: skip
    method, url = _views(complete_application)[view]
    expected = {
        "county_a_applicant": 200,
        "city_a_reviewer": 200,
        "city_a_head": 200,
        "city_b_reviewer": 404,
        "county_a2_applicant": 404,
        "county_b_applicant": 404,
        "office": 404,  # the province sees it once forwarded
    }
    with nothing_moves():
        for who, status in expected.items():
            client.force_login(getattr(cast, who))
            assert getattr(client, method)(url).status_code == status, who


def test_province_sees_it_once_forwarded(client, cast, complete_application):
    url = reverse("applications:detail", args=[complete_application.pk])
    client.force_login(cast.office)
    application = complete_application
    # Draft, submitted, approved by the city, signed off: still the county's and its city's.
    for action in PATHS[ApplicationState.FORWARDED]:
        with nothing_moves():
            assert client.get(url).status_code == 404
        prepare(application, action)
        application = fire(application, action)
    response = client.get(url)
    assert response.status_code == 200
    assert application.county.name in response.content.decode()


@pytest.mark.parametrize("view", ["assessment", "figure"])
def test_county_writes_only_while_draft_or_returned(client, cast, complete_application, view):
    _method, url = _views(complete_application)[view]
    data = {"answer": "met", "value": "3"}
    client.force_login(cast.county_a_applicant)
    assert client.post(url, data).status_code == 302
    client.force_login(cast.county_b_applicant)
    with nothing_moves():
        assert client.post(url, {"answer": "not_met", "value": "1"}).status_code == 404
    fire(complete_application, Action.SUBMIT)
    with nothing_moves():
        client.force_login(cast.county_a_applicant)
        # May look, may not change.
        assert client.post(url, {"answer": "not_met", "value": "1"}).status_code == 403
        client.force_login(cast.city_a_reviewer)
        assert client.post(url, {"answer": "not_met", "value": "1"}).status_code == 403


def test_form_autosave_keeps_valid_fields_and_marks_the_wrong_one(client, cast, application):
    client.force_login(cast.county_a_applicant)
    url = reverse("applications:form", args=[application.pk])
    response = client.post(
        url,
        {
            "head_name": "周正言",
            "staff_authorized": "40",
            "staff_actual": "-3",
            "contact_phone": "abc",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_staff_actual_error"' in body
    assert 'id="id_contact_phone_error"' in body
    application.refresh_from_db()
    assert application.head_name == "周正言"
    assert application.staff_authorized == 40
    assert application.staff_actual is None
    assert application.contact_phone == ""


def test_form_post_without_htmx_keeps_what_was_typed(client, cast, application):
    client.force_login(cast.county_a_applicant)
    url = reverse("applications:form", args=[application.pk])
    events = ApplicationEvent.objects.count()
    response = client.post(url, {"head_name": "周正言", "contact_phone": "电话"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="电话"' in body
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="id_contact_phone_error"' in body
    # The valid field is kept, the wrong one is not stored; the state does not move.
    application.refresh_from_db()
    assert (application.head_name, application.contact_phone) == ("周正言", "")
    assert application.state == ApplicationState.DRAFT
    assert ApplicationEvent.objects.count() == events


def test_htmx_save_after_the_session_expired_is_401_not_the_login_page(client, application):
    with nothing_moves():
        response = client.post(
            reverse("applications:form", args=[application.pk]),
            {"head_name": "x"},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 401
    application.refresh_from_db()
    assert application.head_name == ""


def test_indicator_is_checked_as_the_county_types(client, cast, application):
    client.force_login(cast.county_a_applicant)
    indicator = Indicator.objects.get(
        item__section__version=application.cycle.criteria_version, code="2.4.2-a"
    )
    url = reverse("applications:figure", args=[application.pk, indicator.pk])
    met = client.post(url, {"numerator": "70", "denominator": "100"}, HTTP_HX_REQUEST="true")
    assert "result-met" in met.content.decode()
    bad = client.post(url, {"numerator": "120", "denominator": "100"}, HTTP_HX_REQUEST="true")
    assert "result-invalid" in bad.content.decode()
    zero = client.post(url, {"numerator": "1", "denominator": "0"}, HTTP_HX_REQUEST="true")
    assert "result-invalid" in zero.content.decode()
    figure = IndicatorFigure.objects.get(application=application, indicator=indicator)
    assert (figure.numerator, figure.denominator) == ("1", "0")  # kept as typed


def test_assessment_is_saved(client, cast, application):
    client.force_login(cast.county_a_applicant)
    item = Item.objects.get(section__version=application.cycle.criteria_version, code="1.1")
    client.post(
        reverse("applications:assessment", args=[application.pk, item.pk]),
        {"answer": "partly_met", "explanation": "班子调整中"},
        HTTP_HX_REQUEST="true",
    )
    assessment = SelfAssessment.objects.get(application=application, item=item)
    assert (assessment.answer, assessment.explanation) == ("partly_met", "班子调整中")


def test_submit_page_requires_the_pledge(client, cast, complete_application):
    url = reverse("applications:submit", args=[complete_application.pk])
    with nothing_moves():
        client.force_login(cast.county_a_applicant)
        assert client.get(url).status_code == 403  # only the head submits
        assert client.post(url, {"pledge": "on", "acknowledged": "on"}).status_code == 403
        client.force_login(cast.county_a_head)
        response = client.post(url, {"acknowledged": "on"})
        assert response.status_code == 400
        # What was ticked stays ticked.
        tag = re.search(r'<input[^>]*name="acknowledged"[^>]*>', response.content.decode())
        assert " checked" in tag.group(0)
        # Nothing ticked at all: the pledge's own error, not a blank page.
        response = client.post(url, {})
        assert response.status_code == 400
        assert str(SubmitForm.base_fields["pledge"].error_messages["required"]) in (
            response.content.decode()
        )
    response = client.post(url, {"pledge": "on", "acknowledged": "on"})
    assert response.status_code == 302
    complete_application.refresh_from_db()
    assert complete_application.state == ApplicationState.SUBMITTED
    assert ApplicationEvent.objects.filter(
        application=complete_application, action="submit", ip="127.0.0.1"
    ).exists()


def test_detail_shows_the_history(client, cast, complete_application):
    application_transition(
        application=complete_application, action=Action.SUBMIT, by=cast.county_a_head,
        pledge=True, acknowledged=True,
    )  # fmt: skip
    client.force_login(cast.city_a_reviewer)
    body = client.get(
        reverse("applications:detail", args=[complete_application.pk])
    ).content.decode()
    assert cast.county_a_head.full_name in body
    assert cast.county_a_applicant.full_name in body
    assert body.count('<li class="border-start border-3 ps-2 mb-2">') == 2


def test_pdf_embeds_chinese_fonts_and_names_the_county(
    client, cast, complete_application, tmp_path
):
    client.force_login(cast.county_a_applicant)
    response = client.get(reverse("applications:pdf", args=[complete_application.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(response.content)
    assert_fonts_embedded(pdf)
    text = text_of(pdf)
    assert "哈尔滨市道里区司法局" in text
    assert "申报表" in text


def test_county_starts_its_application_from_the_list(client, cast, cycle):
    client.force_login(cast.county_b_head)
    page = client.get(reverse("applications:list")).content.decode()
    assert reverse("applications:create") in page
    response = client.post(reverse("applications:create"))
    application = Application.objects.get(county__code="230202", cycle=cycle)
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    page = client.get(reverse("applications:list")).content.decode()
    assert reverse("applications:create") not in page


def test_pdf_is_the_countys_until_submitted(client, cast, application):
    url = reverse("applications:pdf", args=[application.pk])
    with nothing_moves():
        client.force_login(cast.county_a2_applicant)
        assert client.get(url).status_code == 404
        client.force_login(cast.city_a_reviewer)
        assert client.get(url).status_code == 404
        client.logout()
        assert client.get(url).status_code == 302


def test_fill_example_makes_a_submittable_application(application, cast):
    application_fill_example(application, by=cast.county_a_applicant)
    from applications.completeness import completeness_of

    report = completeness_of(application)
    assert report.blocking == []
    assert report.answered_count == 59
    assert report.indicators_met_count == 35


def test_pdftools_are_installed():
    assert shutil.which("pdffonts")


def test_the_submit_page_shows_the_history(client, cast, complete_application):
    application_transition(
        application=complete_application, action=Action.SUBMIT, by=cast.county_a_head,
        pledge=True, acknowledged=True,
    )  # fmt: skip
    application_transition(
        application=complete_application, action=Action.RETURN, by=cast.city_a_reviewer,
        note="请补充2.1.5的证明材料",
    )  # fmt: skip
    client.force_login(cast.county_a_head)
    body = client.get(
        reverse("applications:submit", args=[complete_application.pk])
    ).content.decode()
    assert body.count('<li class="border-start border-3 ps-2 mb-2">') == 3
    assert "请补充2.1.5的证明材料" in body
