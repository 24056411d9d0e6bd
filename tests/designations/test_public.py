"""The public list and its exports: the year and city filter goes through its form; a filter
the form refuses is a 400 with its message and touches neither the cache nor the trail."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from audit.enums import AuditAction
from audit.models import AuditEntry
from designations.views import public

from .factories import registered

pytestmark = pytest.mark.django_db

HARBIN_COUNTY = "哈尔滨市道里区司法局"  # 230102, in 哈尔滨市 (230100)
QIQIHAR_COUNTY = "齐齐哈尔市龙沙区司法局"  # 230202, in 齐齐哈尔市 (230200)
YEARS = f"请选择 2017 至 {timezone.localdate().year} 年之间的年份。"


@pytest.fixture
def titles(cast):
    registered(cast.office, "230102", "黑司示〔2023〕1号", date(2023, 1, 10))
    registered(cast.office, "230202", "黑司示〔2024〕1号", date(2024, 3, 5), "黑司通〔2024〕2号")


@pytest.fixture
def cache_writes(monkeypatch):
    """The keys the public views write to the cache."""
    written: list[str] = []

    class Spy:
        def __getattr__(self, name):
            return getattr(cache, name)

        def set(self, key, *args, **kwargs):
            written.append(key)
            return cache.set(key, *args, **kwargs)

    monkeypatch.setattr(public, "cache", Spy())
    return written


def _rows(body: str) -> list[str]:
    return [name for name in (HARBIN_COUNTY, QIQIHAR_COUNTY) if f"<span>{name}</span>" in body]


def _entries() -> int:
    return AuditEntry.objects.filter(action=AuditAction.PUBLIC_LIST_EXPORT).count()


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ({}, [HARBIN_COUNTY, QIQIHAR_COUNTY]),
        ({"year": "2023"}, [HARBIN_COUNTY]),
        ({"city": "230200"}, [QIQIHAR_COUNTY]),
        ({"year": "2023", "city": "230200"}, []),
        ({"year": "", "city": ""}, [HARBIN_COUNTY, QIQIHAR_COUNTY]),
    ],
)
def test_the_public_list_shows_the_filtered_rows(client, titles, cache_writes, query, rows):
    response = client.get(reverse("public_list"), query)
    assert response.status_code == 200
    assert _rows(response.content.decode()) == rows
    year, city = query.get("year", ""), query.get("city", "")
    assert response["ETag"].endswith(f'-zh-hans-{year}-{city}"')
    assert [key.split(":", 3)[3] for key in cache_writes] == [f"{year}-{city}"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"city": "\n"}, "请选择本省的一个市（地）。"),
        ({"city": "999999"}, "请选择本省的一个市（地）。"),
        ({"city": "230102"}, "请选择本省的一个市（地）。"),  # a county, not a city
        ({"year": "abc"}, YEARS),
        ({"year": "1999"}, YEARS),
        ({"year": "2023.5"}, YEARS),
    ],
    ids=["newline", "invented", "county", "words", "too-early", "fraction"],
)
def test_a_filter_the_form_refuses_is_400_with_its_message_and_no_cache_entry(
    client, titles, cache_writes, query, message
):
    response = client.get(reverse("public_list"), query)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert _rows(body) == []
    assert "ETag" not in response
    assert cache_writes == []


def test_the_cache_key_and_the_etag_are_the_cleaned_filter(client, titles, cache_writes):
    first = client.get(reverse("public_list"), {"year": " 2023\n", "city": "230100"})
    again = client.get(reverse("public_list"), {"year": "2023", "city": "230100"})
    assert first["ETag"] == again["ETag"]
    assert first["ETag"].endswith('-2023-230100"')
    assert _rows(first.content.decode()) == [HARBIN_COUNTY]
    assert [key.split(":", 3)[3] for key in cache_writes] == ["2023-230100"]  # written once


def test_an_url_encoded_newline_in_the_city_is_400_for_a_visitor(client, titles, cache_writes):
    response = client.get(reverse("public_list") + "?city=%0A")
    assert response.status_code == 400
    assert "请选择本省的一个市（地）。" in response.content.decode()
    assert cache_writes == []


def test_the_filters_message_is_english_in_the_english_page(client, titles, cache_writes):
    response = client.get(reverse("public_list"), {"city": "nowhere"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Choose one of the province&#x27;s cities." in response.content.decode()
    assert cache_writes == []


@pytest.mark.parametrize("view", ["public_xlsx", "public_pdf"])
@pytest.mark.parametrize("query", [{"city": "\n"}, {"city": "000000"}, {"year": "二〇二三"}])
def test_an_export_with_a_refused_filter_is_400_and_not_recorded(
    client, titles, cache_writes, view, query
):
    entries = _entries()
    response = client.get(reverse(view), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "请选择本省的一个市（地）。" in body or YEARS in body
    assert _entries() == entries
    assert cache_writes == []


def test_the_pdf_is_filtered_and_recorded_with_the_cleaned_filter(client, titles, monkeypatch):
    # The rows the PDF is drawn from (its drawing is tested in test_documents.py).
    drawn: list = []
    monkeypatch.setattr(public, "public_list_pdf", lambda rows: drawn.extend(rows) or b"%PDF-")
    response = client.get(reverse("public_pdf"), {"year": "2024", "city": "230200"})
    assert response["Content-Type"] == "application/pdf"
    assert [d.bureau.name for d in drawn] == [QIQIHAR_COUNTY]
    entry = AuditEntry.objects.filter(action=AuditAction.PUBLIC_LIST_EXPORT).latest("id")
    assert {key: entry.details[key] for key in ("format", "year", "city", "rows")} == {
        "format": "pdf",
        "year": "2024",
        "city": "230200",
        "rows": 1,
    }
