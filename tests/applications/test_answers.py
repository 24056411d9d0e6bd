"""The saves as the county types: what does not fit is refused with the reason, nothing stored."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from applications.models import IndicatorFigure, SelfAssessment
from standards.models import Indicator, Item
from tests.states import nothing_moves

pytestmark = pytest.mark.django_db


def _indicator(application, code="2.4.2-a"):
    return Indicator.objects.get(
        item__section__version=application.cycle.criteria_version, code=code
    )


def test_a_figure_too_long_to_keep_is_refused_over_htmx(client, cast, application):
    indicator = _indicator(application)
    url = reverse("applications:figure", args=[application.pk, indicator.pk])
    client.force_login(cast.county_a_applicant)
    with nothing_moves():
        response = client.post(
            url, {"numerator": "9" * 41, "denominator": "100"}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 400
    body = response.content.decode()
    assert "result-invalid" in body
    assert "40" in body  # Django's own message: at most 40 characters
    assert not IndicatorFigure.objects.exists()


def test_a_figure_too_long_to_keep_is_refused_without_script(client, cast, application):
    indicator = _indicator(application)
    url = reverse("applications:figure", args=[application.pk, indicator.pk])
    client.force_login(cast.county_a_applicant)
    with nothing_moves():
        response = client.post(url, {"numerator": "9" * 41, "denominator": "100"})
    assert response["Location"].endswith(f"#item-{indicator.item.code}")
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert indicator.code in text
    assert "40" in text


def test_a_wrong_answer_is_refused(client, cast, application):
    item = Item.objects.get(section__version=application.cycle.criteria_version, code="1.1")
    url = reverse("applications:assessment", args=[application.pk, item.pk])
    client.force_login(cast.county_a_applicant)
    with nothing_moves():
        response = client.post(url, {"answer": "perfect"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert not SelfAssessment.objects.exists()


def test_an_item_outside_the_criteria_is_404(client, cast, application):
    missing = Item.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    client.force_login(cast.county_a_applicant)
    with nothing_moves():
        response = client.post(
            reverse("applications:assessment", args=[application.pk, missing]), {"answer": "met"}
        )
    assert response.status_code == 404
