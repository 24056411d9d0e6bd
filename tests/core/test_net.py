"""The client's address as the audit columns record it, behind the proxies that are trusted."""

import pytest
from django.test import RequestFactory

from core.net import client_ip


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "", "10.0.0.2"),
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy trusted: the header is the client's to forge
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # a forged entry before nginx's is ignored
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
    ],
)
def test_the_address_the_nearest_trusted_proxy_saw(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **headers)
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_an_event_records_the_users_address_not_the_proxys(client, settings, cast, application):
    from django.urls import reverse

    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(cast.county_a_head)
    response = client.post(
        reverse("applications:withdraw", args=[application.pk]),
        {"note": "重新准备"},
        HTTP_X_FORWARDED_FOR="198.51.100.4, 203.0.113.9",
        REMOTE_ADDR="172.18.0.5",
    )
    assert response.status_code == 302
    event = application.events.get(action="withdraw")
    assert event.ip == "203.0.113.9"
