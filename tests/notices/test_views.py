"""The public notice's pages: the public list, the objection form and its limits, the look-up,
and the office's window, handling and calendar pages."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.enums import ApplicationState as S
from applications.services import application_create
from designations.models import Designation
from evaluation.models import ProvincialDecision
from notices.models import CalendarDay, HolidayCalendarYear, Objection, PublicNotice
from notices.services import objection_handle, objection_submit, public_notice_open
from organizations.models import Bureau
from tests.applications.files import PDF
from tests.clients import PortalClient
from tests.states import actor, reach

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
D = datetime.date
OPEN_DAY = datetime.datetime(2026, 10, 8, 10, tzinfo=BEIJING)
# The office's list and a window's page, whatever the number of windows and objections.
LIST_QUERIES = 9
DETAIL_QUERIES = 9


@pytest.fixture
def approved(application):
    """Approved by the Party committee before the windows these tests open on 2026-09-29."""
    return _approved(application)


def _approved(application):
    with time_machine.travel(datetime.datetime(2026, 9, 28, 10, tzinfo=BEIJING), tick=False):
        return reach(application, S.APPROVED)


def _open(applications, office, starts_on=None):
    with time_machine.travel(datetime.datetime(2026, 9, 29, 10, tzinfo=BEIJING), tick=False):
        return public_notice_open(
            cycle=applications[0].cycle,
            applications=applications,
            starts_on=starts_on or D(2026, 9, 30),
            contact_office="省厅示范创建办公室",
            contact_phone="0451-12345678",
            by=office,
        )


@pytest.fixture
def notice(approved, cast):
    return _open([approved], cast.office)


def _objection_data(application, **overrides):
    return {
        "application": application.pk,
        "name": "李四",
        "phone": "13900000001",
        "facts": "该局创建材料中的数据与实际情况不符，可向司法所核实。",
        **overrides,
    }


def _post(client, notice, data, address="10.0.0.1"):
    return client.post(
        reverse("public_notices:object", args=[notice.pk]), data, REMOTE_ADDR=address
    )


# The public list ----------------------------------------------------------------------------


def test_the_public_page_shows_the_window_without_any_objection(notice, approved, client):
    with time_machine.travel(OPEN_DAY, tick=False):
        objection_submit(
            notice=notice,
            application=approved,
            name="王秘密",
            phone="13900000009",
            facts="不应公开的异议内容。",
        )
        response = client.get(reverse("public_notices:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert approved.county.name in body
    assert "2026-10-12" in body
    assert "0451-12345678" in body
    assert "王秘密" not in body
    assert "不应公开" not in body
    assert reverse("public_notices:object", args=[notice.pk]) in body


def test_the_public_page_lists_a_closed_window_as_past(notice, client):
    with time_machine.travel(datetime.datetime(2026, 10, 13, 0, 0, tzinfo=BEIJING), tick=False):
        response = client.get(reverse("public_notices:list"))
    assert response.context["open_notices"] == []
    assert response.context["past_notices"] == [notice]
    assert reverse("public_notices:object", args=[notice.pk]) not in response.content.decode()


def test_the_public_page_takes_the_same_queries_for_one_window_or_many(
    notice, cycle, cast, client, django_assert_num_queries
):
    with time_machine.travel(OPEN_DAY, tick=False), django_assert_num_queries(4):
        client.get(reverse("public_notices:list"))
    others = []
    for code in ("230104", "230108", "230109"):
        county = Bureau.objects.get(code=code)
        others.append(
            _approved(
                application_create(
                    cycle=cycle, county=county, by=actor("county_head", bureau=county)
                )
            )
        )
    _open(others[:2], cast.office)
    _open(others[2:], cast.office, starts_on=D(2026, 10, 8))
    with time_machine.travel(OPEN_DAY, tick=False), django_assert_num_queries(4):
        response = client.get(reverse("public_notices:list"))
    assert len(response.context["open_notices"]) == 3


# The objection form ------------------------------------------------------------------------


def test_an_objection_through_the_form_shows_its_reference(notice, approved, client):
    data = _objection_data(approved, attachment=SimpleUploadedFile("证据.pdf", PDF))
    with time_machine.travel(OPEN_DAY, tick=False):
        response = _post(client, notice, data)
    objection = Objection.objects.get()
    assert response.status_code == 200
    assert objection.reference in response.content.decode()
    assert (objection.name, objection.phone, objection.application) == (
        "李四",
        "13900000001",
        approved,
    )
    assert objection.ip == "10.0.0.1"
    assert objection.original_name == "证据.pdf"


def test_bad_input_keeps_what_was_typed_and_saves_nothing(notice, approved, client):
    data = _objection_data(approved, phone="电话", facts="太短")
    with time_machine.travel(OPEN_DAY, tick=False):
        response = _post(client, notice, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"phone", "facts"}
    assert form["name"].value() == "李四"
    assert "电话" in response.content.decode()
    assert not Objection.objects.exists()


def test_an_attachment_that_is_not_what_it_claims_is_refused(notice, approved, client):
    data = _objection_data(approved, attachment=SimpleUploadedFile("证据.pdf", b"MZ\x90\x00"))
    with time_machine.travel(OPEN_DAY, tick=False):
        response = _post(client, notice, data)
    assert response.status_code == 400
    assert "证据.pdf" in response.content.decode()
    assert not Objection.objects.exists()


def test_the_form_takes_objections_until_235959_of_the_closing_day(notice, approved, client):
    last = datetime.datetime(2026, 10, 12, 23, 59, 59, tzinfo=BEIJING)
    with time_machine.travel(last, tick=False):
        assert _post(client, notice, _objection_data(approved)).status_code == 200
    with time_machine.travel(last + datetime.timedelta(seconds=1), tick=False):
        response = _post(client, notice, _objection_data(approved, phone="13900000002"))
    assert response.status_code == 400
    assert Objection.objects.count() == 1


def test_objections_are_limited_per_address(notice, approved, client, settings):
    settings.OBJECTION_RATE_ADDRESS = "2/h"
    with time_machine.travel(OPEN_DAY, tick=False):
        for n in range(2):
            response = _post(client, notice, _objection_data(approved, phone=f"1390000001{n}"))
            assert response.status_code == 200
        refused = _post(client, notice, _objection_data(approved, phone="13900000019"))
        other_address = _post(
            client, notice, _objection_data(approved, phone="13900000018"), address="10.0.0.2"
        )
    assert refused.status_code == 429
    assert refused.context["form"]["phone"].value() == "13900000019"
    assert other_address.status_code == 200
    assert Objection.objects.count() == 3


def test_objections_are_limited_per_telephone(notice, approved, client, settings):
    settings.OBJECTION_RATE_PHONE = "2/d"
    with time_machine.travel(OPEN_DAY, tick=False):
        for n in range(2):
            response = _post(client, notice, _objection_data(approved), address=f"10.0.1.{n}")
            assert response.status_code == 200
        # The same number typed with spaces is the same telephone.
        spaced = _objection_data(approved, phone="139 0000 0001")
        refused = _post(client, notice, spaced, address="10.0.1.9")
    assert refused.status_code == 429
    assert 'value="139 0000 0001"' in refused.content.decode()  # what was typed stays
    assert Objection.objects.count() == 2


def test_a_window_not_yet_started_has_no_form(approved, cast, client):
    with time_machine.travel(datetime.datetime(2026, 9, 28, 10, tzinfo=BEIJING), tick=False):
        later = public_notice_open(
            cycle=approved.cycle,
            applications=[approved],
            starts_on=D(2026, 10, 8),
            contact_office="办公室",
            contact_phone="0451-1",
            by=cast.office,
        )
        assert client.get(reverse("public_notices:object", args=[later.pk])).status_code == 404


# The look-up -------------------------------------------------------------------------------


def test_the_lookup_shows_the_result_not_the_content(notice, approved, cast, client):
    with time_machine.travel(OPEN_DAY, tick=False):
        objection = objection_submit(
            notice=notice,
            application=approved,
            name="赵某",
            phone="13900000003",
            facts="异议的具体内容不公开。",
        )
    objection_handle(
        objection=objection,
        outcome="dismissed",
        note="经实地核查，反映问题不属实。",
        by=cast.office,
    )
    response = client.post(
        reverse("public_notices:lookup"), {"reference": objection.reference.lower()}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "经实地核查" in body
    assert "赵某" not in body
    assert "具体内容" not in body
    missing = client.post(reverse("public_notices:lookup"), {"reference": "AAAA-BBBB-CCCC-DDDD"})
    assert missing.status_code == 404
    assert missing.context["form"]["reference"].value() == "AAAA-BBBB-CCCC-DDDD"


def test_lookups_are_limited_per_address(client, settings):
    settings.OBJECTION_LOOKUP_RATE = "2/h"
    url = reverse("public_notices:lookup")
    answers = [client.post(url, {"reference": "AAAA"}).status_code for _ in range(3)]
    assert answers == [404, 404, 429]


# The office --------------------------------------------------------------------------------


def _office(cast) -> PortalClient:
    client = PortalClient()
    client.force_login(cast.office)
    return client


def test_the_office_opens_a_window_through_its_page(approved, cast):
    client = _office(cast)
    with time_machine.travel(datetime.datetime(2026, 9, 29, 10, tzinfo=BEIJING), tick=False):
        response = client.post(
            reverse("notices:open"),
            {
                "applications": [approved.pk],
                "starts_on": "2026-09-30",
                "working_days": "5",
                "contact_office": "办公室",
                "contact_phone": "0451-12345678",
            },
        )
    notice = PublicNotice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notices:detail", args=[notice.pk])
    assert notice.closes_on == D(2026, 10, 12)


def test_the_open_page_tells_the_office_to_enter_a_missing_year(approved, cast):
    client = _office(cast)
    data = {
        "applications": [approved.pk],
        "starts_on": "2026-12-28",
        "working_days": "5",
        "contact_office": "办公室",
        "contact_phone": "0451-12345678",
    }
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, tzinfo=BEIJING), tick=False):
        response = client.post(reverse("notices:open"), data)
        bad_days = client.post(reverse("notices:open"), {**data, "working_days": "五"})
    assert response.status_code == 400
    assert "2027" in " ".join(response.context["form"].errors["starts_on"])
    assert bad_days.status_code == 400
    assert "working_days" in bad_days.context["form"].errors
    assert not PublicNotice.objects.exists()


def test_a_window_is_opened_by_the_office_only(approved, cast, client):
    client.force_login(cast.city_a_head)
    assert client.post(reverse("notices:open"), {}).status_code == 403
    assert not PublicNotice.objects.exists()


def test_the_office_handles_an_objection_through_its_page(notice, approved, cast):
    with time_machine.travel(OPEN_DAY, tick=False):
        objection = objection_submit(
            notice=notice, application=approved, name="钱某", phone="139", facts="事实经过。"
        )
    client = _office(cast)
    page = client.get(reverse("notices:objection", args=[objection.pk]))
    assert "钱某" in page.content.decode()
    empty = client.post(
        reverse("notices:objection", args=[objection.pk]), {"outcome": "upheld_back"}
    )
    assert empty.status_code == 400
    objection.refresh_from_db()
    assert objection.outcome == "waiting"
    response = client.post(
        reverse("notices:objection", args=[objection.pk]),
        {"outcome": "upheld_back", "note": "经核查情况属实，退回厅党委重新研究。"},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    approved.refresh_from_db()
    assert objection.outcome == "upheld_back"
    assert approved.state == S.INSPECTED_PASSED
    detail = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert objection.reference in detail


def test_the_list_counts_the_waiting_objections(notice, approved, cast, django_assert_num_queries):
    with time_machine.travel(OPEN_DAY, tick=False):
        objection_submit(
            notice=notice, application=approved, name="孙某", phone="139", facts="事实经过。"
        )
    response = _office(cast).get(reverse("notices:list"))
    assert response.context["waiting"] == 1
    assert 'id="objections-waiting"' in response.content.decode()


def test_the_office_enters_a_year_through_its_page(cast):
    client = _office(cast)
    url = reverse("notices:calendar_year", args=[2027])
    bad = client.post(
        url, {"form": "entry", "entry-schedule": "2027-10-11 workday 国庆节\n2027-13-01 holiday"}
    )
    assert bad.status_code == 400
    assert len(bad.context["entry"].non_field_errors()) == 2
    assert "2027-13-01" in bad.content.decode()  # what was typed stays
    assert not HolidayCalendarYear.objects.filter(year=2027).exists()
    response = client.post(
        url,
        {
            "form": "entry",
            "entry-notice_reference": "国办发明电〔2026〕1号",
            "entry-schedule": "2027-10-01 holiday 国庆节\n2027-10-09 workday 国庆节",
        },
    )
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date__year=2027).count() == 2


def test_the_calendar_page_refuses_a_post_of_neither_form(cast):
    client = _office(cast)
    url = reverse("notices:calendar_year", args=[2027])
    for which in ({"form": "other"}, {}):
        refused = client.post(url, {**which, "entry-schedule": "2027-10-01 holiday 国庆节"})
        assert refused.status_code == 400
        assert [m.level_tag for m in refused.context["messages"]] == ["error"]
    assert not HolidayCalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_the_office_imports_a_year_through_its_page(cast):
    client = _office(cast)
    upload = SimpleUploadedFile("2027.csv", "2027-01-01,holiday,元旦\n".encode())
    response = client.post(
        reverse("notices:calendar_year", args=[2027]), {"form": "import", "import-file": upload}
    )
    assert response.status_code == 302
    assert HolidayCalendarYear.objects.get(year=2027).source == "import"


def test_the_office_has_a_nav_link(cast):
    response = _office(cast).get(reverse("home"))
    assert reverse("notices:list") in response.content.decode()


def test_the_office_pages_take_the_same_queries_for_one_row_or_many(
    notice, approved, cast, django_assert_num_queries
):
    client = _office(cast)
    client.get(reverse("home"))  # the session's first request settles its own queries
    with time_machine.travel(OPEN_DAY, tick=False):
        objection_submit(
            notice=notice, application=approved, name="孙某", phone="139", facts="事实经过。"
        )
    with django_assert_num_queries(LIST_QUERIES):
        client.get(reverse("notices:list"))
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(reverse("notices:detail", args=[notice.pk]))
    with time_machine.travel(OPEN_DAY, tick=False):
        for n in range(4):
            objection = objection_submit(
                notice=notice,
                application=approved,
                name="孙某",
                phone=f"13{n}",
                facts="事实经过。",
            )
            objection_handle(
                objection=objection, outcome="dismissed", note="不属实", by=cast.office
            )
    _open(
        [
            _approved(
                application_create(
                    cycle=approved.cycle,
                    county=Bureau.objects.get(code="230104"),
                    by=actor("county_head", bureau=Bureau.objects.get(code="230104")),
                )
            )
        ],
        cast.office,
        starts_on=D(2026, 10, 8),
    )
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("notices:list"))
    assert len(response.context["notices"]) == 2
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(reverse("notices:detail", args=[notice.pk]))
    assert len(response.context["objections"]) == 5


def test_a_bureau_sent_back_is_decided_again_on_the_decision_page(notice, approved, cast):
    with time_machine.travel(OPEN_DAY, tick=False):
        objection = objection_submit(
            notice=notice,
            application=approved,
            name="钱某",
            phone="13900000011",
            facts="台账系集中补做。",
        )
    objection_handle(
        objection=objection, outcome="upheld_back", note="经核查情况属实", by=cast.office
    )
    first = ProvincialDecision.objects.get(application=approved)
    client = _office(cast)
    page = client.get(reverse("evaluation:decisions")).content.decode()
    assert f"此前已经{first.meeting.number}审议" in page
    response = client.post(
        reverse("evaluation:decisions"),
        {
            "held_on": datetime.date.today().isoformat(),
            "number": "厅党委〔2026〕12号",
            "minutes": SimpleUploadedFile("纪要.pdf", PDF),
            f"decision_{approved.pk}": "approved",
        },
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.state == S.APPROVED
    decisions = ProvincialDecision.objects.filter(application=approved).order_by("id")
    assert [d.meeting.number for d in decisions] == [first.meeting.number, "厅党委〔2026〕12号"]
    # Approved again, the bureau waits for a new window: the page says so, naming is refused.
    page = client.get(reverse("designations:designate")).content.decode()
    assert "本次审议通过后尚未公示" in page
    assert "2026-09-30至2026-10-12" not in page
    before = Designation.objects.count()
    response = client.post(
        reverse("designations:designate"),
        {
            "application": approved.pk,
            "designated_on": datetime.date.today().isoformat(),
            "reward": "collective",
            "head_name": "",
        },
    )
    assert response.status_code == 400
    assert "审议通过后尚未公示" in response.content.decode()
    assert Designation.objects.count() == before
