"""The security headers: the Content-Security-Policy on every page, not on files handed out;
the Permissions-Policy everywhere."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'; report-uri /csp-report/"
)


def _directives(header: str) -> list[str]:
    return sorted(part.strip() for part in header.split(";"))


@pytest.mark.parametrize("name", ["login", "public_list"])
def test_a_page_carries_the_strict_policy(client, name):
    response = client.get(reverse(name))
    assert response["Content-Type"].startswith("text/html")
    assert _directives(response["Content-Security-Policy"]) == _directives(POLICY)
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_a_signed_in_page_and_the_admin_carry_it_too(client, cast):
    client.force_login(cast.sysadmin)
    for url in (reverse("home"), reverse("admin:organizations_bureau_changelist")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _directives(response["Content-Security-Policy"]) == _directives(POLICY)


def test_a_file_carries_no_page_policy(client):
    # Chrome's PDF viewer draws inside the PDF's own document: a page policy leaves it blank.
    response = client.get(reverse("public_xlsx"))
    assert "Content-Security-Policy" not in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
