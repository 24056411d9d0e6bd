"""Every county's progress: the city's counties and the province's, filtered, paged, exported."""

import io
import re

import pytest
from django.urls import reverse

from applications.enums import ApplicationState as S
from applications.services import application_create
from audit.enums import AuditAction
from audit.models import AuditEntry
from organizations.enums import Role
from organizations.models import Bureau
from tests.states import actor, reach

pytestmark = pytest.mark.django_db


def rows(body: str) -> dict[str, tuple[str, str | None]]:
    """county code → (stage shown, link or None)."""
    found = {}
    for match in re.finditer(
        r"<tr>\s*<td>(?:<a href=\"(?P<url>[^\"]*)\">)?(?P<name>[^<]+)(?:</a>)?</td>\s*"
        r"<td>(?P<code>\d+)</td>\s*<td>[^<]*</td>\s*<td><span[^>]*>(?P<stage>[^<]+)</span>",
        body,
    ):
        found[match["code"]] = (match["stage"], match["url"])
    return found


def get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("progress"), params)


def test_city_sees_all_its_counties_with_their_stage(client, cast, cycle, application):
    submitted = application_create(
        cycle=cycle, county=Bureau.objects.get(code="230103"), by=cast.county_a2_applicant
    )
    reach(submitted, S.SUBMITTED)
    response = get(client, cast.city_a_reviewer)
    assert response.status_code == 200
    body = response.content.decode()
    shown = rows(body)
    assert len(shown) == 18
    assert set(shown) == set(
        Bureau.objects.filter(parent__code="230100", is_active=True).values_list("code", flat=True)
    )
    # The draft is shown as a draft, but it stays the county's: no link.
    assert shown["230102"] == ("草稿", None)
    assert shown["230103"] == ("已提交市级", reverse("applications:detail", args=[submitted.pk]))
    assert sum(1 for stage, _url in shown.values() if stage == "未申报") == 16
    assert "共 18 个县级司法局" in body
    # No other city's county; no city filter for one city.
    assert "230202" not in shown
    assert 'name="city"' not in body


def test_office_sees_every_county_of_the_province_paged(client, cast, cycle, application):
    response = get(client, cast.office)
    body = response.content.decode()
    assert len(rows(body)) == 50
    assert "共 121 个县级司法局" in body
    assert "1 / 3" in body
    # Totals: 13 cities and the province.
    totals = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>', body
    )
    assert len(totals) == 14
    harbin = next(t for t in totals if t[0] == "哈尔滨市司法局")
    assert harbin[1:] == ("18", "17", "1")
    assert totals[-1][:2] == ("全部市", "121")
    last = client.get(reverse("progress"), {"page": 3}).content.decode()
    assert len(rows(last)) == 21


def test_office_filters_by_city_stage_and_name(client, cast, cycle, application):
    qiqihar = Bureau.objects.get(code="230200")
    body = get(client, cast.office, city=qiqihar.pk).content.decode()
    assert set(rows(body)) == set(
        Bureau.objects.filter(parent=qiqihar, is_active=True).values_list("code", flat=True)
    )
    body = get(client, cast.office, stage="draft").content.decode()
    assert set(rows(body)) == {"230102"}
    body = get(client, cast.office, q="道里").content.decode()
    assert set(rows(body)) == {"230102"}
    body = get(client, cast.office, q="23010", stage="not_started").content.decode()
    assert "230102" not in rows(body)
    assert set(rows(body)) <= set(
        Bureau.objects.filter(code__startswith="23010").values_list("code", flat=True)
    )


def test_a_filter_that_does_not_parse_is_an_error(client, cast, cycle):
    response = get(client, cast.office, stage="nonsense", q="道里")
    assert response.status_code == 400
    body = response.content.decode()
    assert "选择一个有效的选项" in body
    assert rows(body) == {}
    # What was typed stays in the form.
    assert 'value="道里"' in body
    response = get(client, cast.city_a_reviewer, city="999999")
    # The city filter is not the city's: ignored, its own counties shown.
    assert response.status_code == 200


def test_others_may_not_see_the_progress(client, cast, cycle):
    for user in (cast.county_a_head, cast.evaluator_publicity, cast.sysadmin):
        assert get(client, user).status_code == 403
    client.logout()
    assert client.get(reverse("progress")).status_code == 302


def test_the_export_has_every_filtered_row_and_is_audited(client, cast, cycle, application):
    from openpyxl import load_workbook

    client.force_login(cast.office)
    response = client.get(reverse("progress_xlsx"), {"city": Bureau.objects.get(code="230100").pk})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["创建进度"]
    assert sheet["A1"].value == f"{cycle.year}年度全省示范县(市、区)司法局创建进度表"
    assert [c.value for c in sheet[2]] == ["序号", "县级司法局", "代码", "所属市(地)", "阶段"]
    data = [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=20)]
    assert len(data) == 18
    assert ["哈尔滨市道里区司法局", "230102", "哈尔滨市司法局", "草稿"] in [r[1:] for r in data]
    assert sheet.freeze_panes == "C3"
    summary = workbook["各市汇总"]
    assert [c.value for c in summary[3]][:4] == ["哈尔滨市司法局", 18, 17, 1]
    entry = AuditEntry.objects.get(action=AuditAction.PROGRESS_EXPORT)
    assert entry.details["filters"] == {"city": "哈尔滨市司法局"}
    assert entry.actor_id == cast.office.pk


def test_city_export_is_signed_by_the_city(client, cast, cycle):
    from openpyxl import load_workbook

    client.force_login(cast.city_a_head)
    response = client.get(reverse("progress_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content))["创建进度"]
    notes = [row[0].value for row in sheet.iter_rows(min_row=21, max_row=23)]
    assert "制表单位：哈尔滨市司法局" in notes


@pytest.mark.parametrize("started", [1, 6])
def test_progress_queries_are_constant(client, cast, cycle, django_assert_num_queries, started):
    for county in Bureau.objects.filter(parent__code="230100").order_by("code")[:started]:
        application_create(cycle=cycle, county=county, by=actor(Role.COUNTY_HEAD, bureau=county))
    # The session, user, device and memberships, the inbox's count, the cycle, the cities of
    # the office's filter, then the page: its count, its rows, the totals, the links.
    for user, queries in ((cast.office, 11), (cast.city_a_reviewer, 9)):
        client.force_login(user)
        client.get(reverse("progress"))
        with django_assert_num_queries(queries):
            client.get(reverse("progress"))
