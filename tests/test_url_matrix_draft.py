"""The application-scoped URLs of tests/test_url_matrix.py while the application is still the
county's draft: only the county sees it."""

import pytest

from applications.services import application_create, evidence_add
from organizations.models import Bureau
from tests.applications.files import PDF
from tests.test_url_matrix import (
    MATRIX,
    World,
    _application_ids,
    _check_answers,
    _pdf,
    _url,
    expect,
)

pytestmark = pytest.mark.django_db

# The same application-scoped URLs while the application is still the county's draft:
# only the county sees it; the applicant writes, the head also submits and withdraws.
COUNTY_ONLY = {"ca": 200, "ch": 200}
DRAFT_MATRIX = {
    "applications:detail": ("get", expect(404, **COUNTY_ONLY)),
    "applications:form": ("get", expect(404, **COUNTY_ONLY)),
    "applications:section": ("get", expect(404, **COUNTY_ONLY)),
    "applications:completeness": ("get", expect(404, **COUNTY_ONLY)),
    "applications:pdf": ("get", expect(404, **COUNTY_ONLY)),
    "applications:docx": ("get", expect(404, **COUNTY_ONLY)),
    "applications:evidence_download": ("get", expect(404, **COUNTY_ONLY)),
    "applications:assessment": ("post", expect(404, ca=302, ch=302)),
    "applications:figure": ("post", expect(404, ca=302, ch=302)),
    "applications:evidence_upload": ("post", expect(404, ca=302, ch=302)),
    "applications:submit": ("get", expect(404, ca=403, ch=200)),
    "applications:withdraw": ("post", expect(404, ca=403, ch=302)),
    # The county may see its draft but the review is its city's: 403; everyone else 404.
    "review:application": ("get", expect(404, ca=403, ch=403)),
}


@pytest.fixture
def draft_world(cast, cycle) -> World:
    a = application_create(
        cycle=cycle, county=Bureau.objects.get(code="230102"), by=cast.county_a_head
    )
    item = a.cycle.criteria_version.sections.get(number=5).items.first()
    evidence = evidence_add(application=a, item=item, upload=_pdf(), by=cast.county_a_head)
    return World(
        ids=_application_ids(a, evidence, item),
        files={"applications:evidence_download": PDF},
    )


@pytest.mark.parametrize("name", sorted(DRAFT_MATRIX))
def test_answers_on_a_draft(name, draft_world, cast):
    method, answers = DRAFT_MATRIX[name]
    _method, kwargs, _answers = MATRIX[name]
    url = _url(name, kwargs, draft_world)
    data = {"answer": "met", "value": "3"} if method == "post" else None
    _check_answers(name, method, url, answers, cast, data, files=draft_world.files)
