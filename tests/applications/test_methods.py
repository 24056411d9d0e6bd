"""Every state change of the app is POST-only: GET (and any other method) answers 405."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse

from applications.services import evidence_add
from applications.urls import urlpatterns
from standards.models import Indicator, Item
from tests.states import nothing_moves

from .files import PDF

pytestmark = pytest.mark.django_db

# name: (who posts there, URL arguments by name from the world below)
POST_ONLY = {
    "create": ("county_b_head", {}),
    "assessment": ("county_a_applicant", {"pk": "a", "item_id": "item"}),
    "figure": ("county_a_applicant", {"pk": "a", "indicator_id": "indicator"}),
    "evidence_upload": ("county_a_applicant", {"pk": "a"}),
    "evidence_remove": ("county_a_applicant", {"pk": "a", "evidence_id": "evidence"}),
    "withdraw": ("county_a_head", {"pk": "a"}),
    "undo": ("city_a_reviewer", {"pk": "a"}),
    "cycle_create": ("office", {}),
    "cycle_transition": ("office", {"pk": "cycle", "to": "closed"}),
    "county_deadline": ("city_a_head", {"pk": "cycle"}),
}
GET_AND_POST = {"form", "submit"}
GET_ONLY = {
    "list",
    "detail",
    "section",
    "completeness",
    "pdf",
    "docx",
    "evidence_download",
    "cycle_list",
}


def test_every_url_of_the_app_is_classified():
    names = {p.name for p in urlpatterns if isinstance(p, URLPattern)}
    assert names == set(POST_ONLY) | GET_AND_POST | GET_ONLY


@pytest.fixture
def world(cast, cycle, application) -> dict:
    item = Item.objects.get(section__version=cycle.criteria_version, code="5.6")
    evidence = evidence_add(
        application=application,
        item=item,
        upload=SimpleUploadedFile("a.pdf", PDF),
        by=cast.county_a_applicant,
    )
    return {
        "a": application.pk,
        "item": item.pk,
        "indicator": Indicator.objects.filter(item=item).first().pk,
        "evidence": evidence.pk,
        "cycle": cycle.pk,
    }


def _url(name: str, kwargs: dict, world: dict) -> str:
    return reverse(f"applications:{name}", kwargs={k: world.get(v, v) for k, v in kwargs.items()})


@pytest.mark.parametrize("name", sorted(POST_ONLY))
@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_post_only_views_refuse_other_methods(client, cast, world, name, method):
    who, kwargs = POST_ONLY[name]
    client.force_login(getattr(cast, who))
    with nothing_moves():
        response = getattr(client, method)(_url(name, kwargs, world))
    assert response.status_code == 405
    assert response["Allow"] == "POST"


@pytest.mark.parametrize("name", sorted(GET_AND_POST))
def test_pages_with_a_form_refuse_other_methods(client, cast, world, name):
    client.force_login(cast.county_a_head)
    with nothing_moves():
        response = client.put(_url(name, {"pk": "a"}, world))
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
