"""Content-Security-Policy violation reports: the policy names the portal's endpoint, which
writes each report to the ``portal.csp`` log and refuses what is not one."""

import json
import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

REPORT = {
    "csp-report": {
        "document-uri": "https://portal.example.gov.cn/accounts/login/",
        "referrer": "",
        "violated-directive": "style-src-attr",
        "effective-directive": "style-src-attr",
        "original-policy": "default-src 'self'; …",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "https://portal.example.gov.cn/static/js/portal.js",
        "status-code": 200,
    }
}


def _send(client, body, address="198.51.100.7", content_type="application/csp-report"):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(reverse("csp_report"), data, content_type=content_type, REMOTE_ADDR=address)


def _logged(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "portal.csp"]


def test_the_policy_sends_its_reports_to_the_portal(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "report-uri /csp-report/" in policy


def test_a_report_is_logged_with_the_address(client, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        response = _send(client, REPORT)
    assert response.status_code == 204
    (line,) = _logged(caplog)
    assert line.startswith("CSP violation from 198.51.100.7: ")
    kept = json.loads(line.split(": ", 1)[1])
    assert kept["violated-directive"] == "style-src-attr"
    assert kept["blocked-uri"] == "inline"
    assert kept["line-number"] == "12"
    assert "original-policy" not in kept


@pytest.mark.parametrize(
    "body", [b"not json", {"csp": {}}, {"csp-report": ["x"]}, b"[]", b'"csp-report"']
)
def test_what_is_not_a_report_is_refused_and_not_logged(client, caplog, body):
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        assert _send(client, body).status_code == 400
    assert _logged(caplog) == []


def test_a_body_too_large_is_refused_and_not_logged(client, caplog):
    big = {"csp-report": {"document-uri": "x" * 20_000}}
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        assert _send(client, big).status_code == 413
    assert _logged(caplog) == []


def test_reports_past_the_rate_of_an_address_are_refused(client, caplog, settings):
    settings.CSP_REPORT_RATE = "2/m"
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        answers = [_send(client, REPORT, address="203.0.113.99").status_code for _n in range(3)]
        other = _send(client, REPORT, address="203.0.113.100").status_code
    assert answers == [204, 204, 429]
    assert other == 204
    assert len(_logged(caplog)) == 3


def test_only_a_post_is_taken(client):
    assert client.get(reverse("csp_report")).status_code == 405


def test_a_session_waiting_for_its_second_factor_reports_too(client, cast, password, caplog):
    from tests.factories import otp_device_for

    otp_device_for(cast.office)
    client.post(reverse("login"), {"username": cast.office.username, "password": password})
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        assert _send(client, REPORT, address="198.51.100.8").status_code == 204
    assert len(_logged(caplog)) == 1
