"""Page titles are plain text: the browser tab and screen readers show them as they are."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

pytestmark = pytest.mark.django_db

SITE = _("Model County Justice Bureau Accreditation Portal")


def _title(response) -> str:
    found = re.findall(r"<title>(.*?)</title>", response.content.decode(), flags=re.DOTALL)
    assert len(found) == 1, found
    return found[0]


def _expected(*parts) -> str:
    """The parts and the site's name as the Chinese page shows them, joined by middle dots."""
    with translation.override("zh-hans"):
        return " · ".join(str(part) for part in (*parts, SITE))


@pytest.mark.parametrize(
    ("name", "args", "parts"),
    [
        ("applications:section", (5,), ("{section}", "{county}")),
        ("applications:form", (), (_("Application form"), "{county}")),
        ("applications:completeness", (), (_("Completeness"), "{county}")),
        ("applications:detail", (), ("{county}",)),
    ],
)
def test_application_page_title_is_plain_text(client, cast, application, name, args, parts):
    section = application.cycle.criteria_version.sections.get(number=5)
    values = {"section": f"{section.number}. {section.name}", "county": application.county.name}
    client.force_login(cast.county_a_applicant)
    response = client.get(reverse(name, args=[application.pk, *args]))
    assert response.status_code == 200
    title = _title(response)
    assert "<" not in title
    assert title == _expected(
        *(part.format(**values) if isinstance(part, str) else part for part in parts)
    )


def test_submit_page_title_is_plain_text(client, cast, complete_application):
    client.force_login(cast.county_a_head)
    response = client.get(reverse("applications:submit", args=[complete_application.pk]))
    assert response.status_code == 200
    assert _title(response) == _expected(_("Submit to the city"), complete_application.county.name)


@pytest.mark.parametrize(
    ("name", "part"),
    [("applications:list", _("Applications")), ("applications:cycle_list", _("Cycles"))],
)
def test_list_page_title_is_plain_text(client, cast, cycle, name, part):
    client.force_login(cast.office)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert _title(response) == _expected(part)
